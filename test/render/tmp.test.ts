import { it } from 'vitest';
import { renderAction } from '../../src/render/letters.js';
import { penaltyTablesFrom } from '../../src/core/rates.js';
it('x', () => {
  const action: any = { clientCode: 'C', clientName: 'N', step: 'relance1', channel: 'email', segment: 'nouveau', oldestDaysLate: 3, invoices: [{ ref: 'F', docDate: null, dueDate: '2026-11-01', dueDateDerived: false, originalCents: 100, openCents: 100, daysOverdue: 15, step: 'relance1', atRiskCents: 1 }] };
  try { renderAction({ asOf: '2026-11-16', company: { name: 'S', address: [] }, client: null, action, penaltyTables: penaltyTablesFrom(), templatesDir: 'modeles', cwd: '/tmp/ov' }); } catch (e: any) { console.log(e.constructor.name, e.message, '\nconseil :', e.hint); }
});
