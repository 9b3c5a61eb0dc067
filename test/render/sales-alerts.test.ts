import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { SalesAlert } from '../../src/core/sales-alerts.js';
import { composeSalesAlert } from '../../src/mail/sales-alerts.js';
import { renderSalesAlert } from '../../src/render/sales-alerts.js';
import { expectGolden } from '../golden.js';
import { ROOT } from '../helpers.js';

const config = loadConfig('fixtures/relance.yaml', ROOT);
const ALERT: SalesAlert = {
  clientCode: 'CTRABOU', clientName: 'Brasserie Les Traboules', segment: 'chronique', salesRep: 'Thomas Lambert', consumer: false, recipient: 'thomas.lambert@lumen-eclairage.example',
  step: 'mise_en_demeure', plannedOn: '2026-12-14', daysLeft: 2, caseOpenedOn: '2026-11-16', overdueCents: 606_000,
  invoices: [
    { ref: 'FA2026-0030', docDate: '2026-08-28', dueDate: '2026-09-27', daysOverdue: 76, openCents: 165_600 },
    { ref: 'FA2026-0033', docDate: '2026-09-12', dueDate: '2026-10-12', daysOverdue: 61, openCents: 440_400 },
  ],
  reminders: [{ date: '2026-11-16', step: 'relance1' }, { date: '2026-11-24', step: 'relance2' }, { date: '2026-12-04', step: 'escalade' }],
};

describe('alerte_commercial.hbs: the internal alert to the sales rep', () => {
  it('says the case, the amounts, the step and its date, and how to ask for a pause (golden)', () => {
    const m = renderSalesAlert(ALERT, config, '2026-12-12', ROOT);
    expect(m.subject).toBe('[Interne] Brasserie Les Traboules (CTRABOU) : mise en demeure prévue le 14/12/2026 – 6 060,00 €');
    expect(m.text).toContain('lettre recommandée avec accusé de réception, article 1344 du Code civil');
    expect(m.text).not.toMatch(/undefined|null/);
    expectGolden(`${m.subject}\n\n${m.text}`, `${ROOT}test/render/data/alerte_commercial.golden.txt`);
  });

  it('an escalade: L441-10 penalties for a business, the legal rate (1231-6) for a consumer', () => {
    const b2b = renderSalesAlert({ ...ALERT, step: 'escalade' }, config, '2026-12-12', ROOT);
    expect(b2b.text).toContain('une relance plus ferme, qui chiffre les pénalités de retard (article L441-10 du Code de commerce) et annonce un appel');
    const b2c = renderSalesAlert({ ...ALERT, step: 'escalade', consumer: true }, config, '2026-12-12', ROOT);
    expect(b2c.text).toContain("qui rappelle les intérêts au taux de l'intérêt légal (article 1231-6 du Code civil) et annonce un appel");
    expect(b2c.text).not.toContain('L441-10');
  });

  it('writes the same bytes for the same alert (the SHA-256 is evidence)', async () => {
    const now = new Date('2026-12-12T08:00:00Z');
    const a = await composeSalesAlert(ALERT, config, '2026-12-12', now, ROOT);
    const b = await composeSalesAlert(ALERT, config, '2026-12-12', now, ROOT);
    expect(a.raw).toBe(b.raw);
    expect(a.messageId).toBe('<relance.alerte.2026-12-14.CTRABOU.mise_en_demeure@lumen-eclairage.example>');
    expect(a.raw).toContain('Reply-To: nadia.benali@lumen-eclairage.example');
    expect(a.raw).toMatch(/^To: thomas\.lambert@lumen-eclairage\.example\r$/m);
  });

  it("uses the user's template from templatesDir, and refuses an unknown variable", () => {
    const dir = mkdtempSync(join(tmpdir(), 'relance-alert-tpl-'));
    mkdirSync(join(dir, 'modeles'));
    writeFileSync(join(dir, 'modeles', 'alerte_commercial.hbs'), '{{#*inline "subject"}}Alerte {{client.code}}{{/inline}}{{#*inline "text"}}{{client.adresse}}{{/inline}}{{#*inline "html"}}<p></p>{{/inline}}');
    expect(() => renderSalesAlert(ALERT, { ...config, templatesDir: 'modeles' }, '2026-12-12', dir)).toThrow(/modèle modeles\/alerte_commercial\.hbs : variable inconnue « client\.adresse »/);
  });
});
