import { describe, expect, it } from 'vitest';
import { isOverdue, normaliseLrarNumber, postalAddressOf, printOrder, taskKindsOf } from '../../src/core/tasks.js';
import { lrarCsv } from '../../src/render/taches.js';

describe('tasks a person must do', () => {
  it('each channel leaves its tasks: the registered letter of a formal notice, the call, the hand-over', () => {
    expect(taskKindsOf('email')).toEqual([]);
    expect(taskKindsOf('email+appel')).toEqual(['appel']);
    expect(taskKindsOf('lrar+email')).toEqual(['lrar']);
    expect(taskKindsOf('lrar')).toEqual(['lrar']);
    expect(taskKindsOf('courrier+appel')).toEqual(['courrier', 'appel']);
    expect(taskKindsOf('interne')).toEqual(['contentieux']);
  });

  it('a task is overdue once open more than taskOverdueDays after its due date', () => {
    expect(isOverdue({ status: 'a_faire', dueOn: '2026-11-16' }, '2026-11-21', 5)).toBe(false);
    expect(isOverdue({ status: 'a_faire', dueOn: '2026-11-16' }, '2026-11-22', 5)).toBe(true);
    expect(isOverdue({ status: 'fait', dueOn: '2026-11-16' }, '2026-12-31', 5)).toBe(false);
  });

  it('prints the registered letters first, then the plain ones, each by client code', () => {
    const order = printOrder([
      { kind: 'courrier' as const, clientCode: 'A' }, { kind: 'lrar' as const, clientCode: 'Z' }, { kind: 'contentieux' as const, clientCode: 'B' }, { kind: 'lrar' as const, clientCode: 'C' },
    ]);
    expect(order.map((o) => `${o.kind}:${o.clientCode}`)).toEqual(['lrar:C', 'lrar:Z', 'courrier:A', 'contentieux:B']);
  });

  it('takes an LRAR number as La Poste prints it, spaces and case aside', () => {
    expect(normaliseLrarNumber('1a 123 456 7890 1')).toBe('1A12345678901');
    expect(normaliseLrarNumber('12')).toBeNull();
    expect(normaliseLrarNumber('1A;DROP')).toBeNull();
  });

  it('splits an address into the AFNOR lines, postcode and city, France by default', () => {
    expect(postalAddressOf(['12 chemin des Érables', 'ZA du Bois', '69390 Vourles'])).toEqual({ lines: ['12 chemin des Érables', 'ZA du Bois', ''], postcode: '69390', city: 'Vourles', country: 'France' });
    expect(postalAddressOf(['BP 12', '4 rue de la Paix', 'Bâtiment B', 'Étage 3', '75002 PARIS CEDEX 02'])).toEqual({ lines: ['BP 12 4 rue de la Paix', 'Bâtiment B', 'Étage 3'], postcode: '75002', city: 'PARIS CEDEX 02', country: 'France' });
    expect(postalAddressOf(['Rue du Lac 1', '1200 Genève', 'Suisse'])).toBeNull();
  });

  it('lrar.csv: one recipient per line, semicolons, a cell that a spreadsheet would run neutralised; a client without a postcode left out', () => {
    const { text, skipped } = lrarCsv([
      { clientCode: 'CBELLEC', clientName: 'Hôtel Bellecour', step: 'mise_en_demeure', address: ['3 place Bellecour', '69002 Lyon'], file: '01-CBELLEC-mise_en_demeure.pdf' },
      { clientCode: 'CX', clientName: '=HYPERLINK("x")', step: 'mise_en_demeure', address: ['1 rue A', '75001 Paris'], file: '02-CX-mise_en_demeure.pdf' },
      { clientCode: 'CMARCHE', clientName: 'M. Julien Marchetti', step: 'mise_en_demeure', address: ['27 montée de la Grande-Côte', '69001 Lyon'], consumer: true, file: '03-CMARCHE-mise_en_demeure.pdf' },
      { clientCode: 'CSUISSE', clientName: 'Genève SA', step: 'mise_en_demeure', address: ['Rue du Lac 1', '1200 Genève'], file: '03-CSUISSE-mise_en_demeure.pdf' },
    ]);
    expect(text).toBe(
      'reference;societe;civilite;prenom;nom;adresse_1;adresse_2;adresse_3;code_postal;ville;pays;fichier\n' +
        'CBELLEC-mise_en_demeure;Hôtel Bellecour;;;;3 place Bellecour;;;69002;Lyon;France;01-CBELLEC-mise_en_demeure.pdf\n' +
        `CX-mise_en_demeure;"'=HYPERLINK(""x"")";;;;1 rue A;;;75001;Paris;France;02-CX-mise_en_demeure.pdf\n` +
        'CMARCHE-mise_en_demeure;;;;M. Julien Marchetti;27 montée de la Grande-Côte;;;69001;Lyon;France;03-CMARCHE-mise_en_demeure.pdf\n',
    );
    expect(skipped).toEqual(['CSUISSE']);
  });
});
