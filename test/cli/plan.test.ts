import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, planSettings } from '../../src/config.js';
import type { Plan } from '../../src/core/plan.js';
import { DEFAULT_LADDERS } from '../../src/core/scenario.js';
import { runCli } from '../helpers.js';

const SOFTWARE = ['sage100', 'sage50', 'cegid', 'ebp'];
const euros = (text: string) => text.replace(/ (?=\d{3},)/g, '\u202f').replace(/ €/g, '\u00a0€');
// What `check` flags on the fixture company and bears on the plan: the same from every software.
const WARNINGS =
  euros('attention : 1 client sans e-mail : CGIRAUD ; 2 clients ont des règlements ou avoirs non imputés (CVASSEU 2 160,00 €, CMORELE 1 200,00 €).\n') +
  'conseil : relance check sur les mêmes fichiers donne le détail et la correction de chaque point.\n';
const planOf = async (sw: string): Promise<Plan> => {
  const r = await runCli(['plan', '--balance', `fixtures/${sw}/balance.csv`, '--payments', `fixtures/${sw}/reglements.csv`, '--clients', `fixtures/${sw}/clients.csv`, '--as-of', '2026-11-16', '--format', 'json']);
  expect(r.stderr).toBe(WARNINGS);
  return JSON.parse(r.stdout) as Plan;
};

describe('relance plan on the fixture company', () => {
  it.each(SOFTWARE)('gives the same plan from the %s exports', async (sw) => {
    const reference = await planOf('sage100');
    expect(await planOf(sw)).toEqual(reference);
  });

  it('puts the 45 000 € invoice at J+8 above the 800 € at J+25, both new clients', async () => {
    const p = await planOf('sage100');
    const bellecour = p.actions.find((a) => a.clientCode === 'CBELLEC')!;
    const canuts = p.actions.find((a) => a.clientCode === 'CCANUTS')!;
    expect([bellecour.segment, canuts.segment]).toEqual(['nouveau', 'nouveau']);
    expect(bellecour.rank).toBeLessThan(canuts.rank);
  });

  it('sends the good payer a preventive reminder 5 days before the due date, and the chronic one starts at relance1', async () => {
    const p = await planOf('sage100');
    expect(p.actions.find((a) => a.clientCode === 'CROUXVI')).toMatchObject({ segment: 'bon', step: 'preventive', dueOn: '2026-11-16' });
    expect(p.actions.find((a) => a.clientCode === 'CTRABOU')).toMatchObject({ segment: 'chronique', step: 'relance1' });
  });

  it("prints check's warnings about what it plans on stderr, in two lines, stdout JSON left clean", async () => {
    // Two weeks later the exports are stale too; four clients without e-mail are listed three at most.
    const dir = mkdtempSync(join(tmpdir(), 'relance-warn-'));
    let clients = readFileSync('fixtures/sage100/clients.csv', 'latin1');
    for (const address of ['"comptabilite@hotel-bellecour.example;direction@hotel-bellecour.example"', 'boulangerie.canuts@example.fr', 'administration@roux-vidal.example']) {
      clients = clients.replace(address, '');
    }
    writeFileSync(join(dir, 'clients.csv'), clients, 'latin1');
    const r = await runCli(['plan', '--balance', 'fixtures/sage100/balance.csv', '--clients', join(dir, 'clients.csv'), '--as-of', '2026-12-01', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stderr).toBe(
      euros('attention : 2 exports du 16/11/2026, vieux de 15 jours ; 4 clients sans e-mail : CBELLEC, CCANUTS, CGIRAUD et 1 autre ; 2 clients ont des règlements ou avoirs non imputés (CVASSEU 2 160,00 €, CMORELE 1 200,00 €).\n') +
        'conseil : relance check sur les mêmes fichiers donne le détail et la correction de chaque point.\n',
    );
  });

  it('refuses a plan from a file that cannot be trusted', async () => {
    const r = await runCli(['plan', '--balance', 'fixtures/messy/total-mismatch.csv', '--as-of', '2026-11-16']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Le fichier est rejeté en entier');
  });
});

describe('relance init', () => {
  it('writes a commented config whose values are exactly the defaults', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relance-init-'));
    const r = await runCli(['init'], { cwd: dir });
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'relance.yaml'), 'utf8');
    expect(text).toContain('# Scénarios');
    const written = loadConfig(join(dir, 'relance.yaml'), dir);
    const defaults = loadConfig(null, tmpdir());
    expect({ ...written, scenario: undefined, journalDefault: undefined }).toEqual({ ...defaults, scenario: undefined, journalDefault: undefined });
    expect(written.journalDefault).toBe(join(dir, 'relance.sqlite')); // beside the config, not in the cwd
    expect(planSettings(written).ladders).toEqual(DEFAULT_LADDERS);
  });

  it('does not overwrite an existing config without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relance-init-'));
    await runCli(['init'], { cwd: dir });
    const again = await runCli(['init'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe("relance: erreur : relance.yaml existe déjà dans ce dossier.\nconseil : relancez avec --force pour le remplacer (l'ancien sera perdu).\n");
    expect((await runCli(['init', '--force'], { cwd: dir })).code).toBe(0);
  });
});

describe('relance plan --letters', () => {
  it("writes each action's e-mail and printable letter, named by rank, client and step", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relance-letters-'));
    const r = await runCli([
      'plan', '--balance', 'fixtures/sage100/balance.csv', '--payments', 'fixtures/sage100/reglements.csv', '--clients', 'fixtures/sage100/clients.csv',
      '--config', 'fixtures/relance.yaml', '--as-of', '2026-11-16', '--letters', dir, '--format', 'json',
    ]);
    expect(r.code).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files).toContain('02-CBELLEC-relance1.eml');
    expect(files).toContain('05-CGIRAUD-relance1.html'); // no e-mail: a letter only
    expect(files).not.toContain('05-CGIRAUD-relance1.eml');
    expect(files).toContain('manuel-01-CNUITBL-relance1.eml');
    const mail = await simpleParser(readFileSync(join(dir, '02-CBELLEC-relance1.eml')));
    expect(mail.subject).toContain('FA2026-0040');
    expect(mail.text).toMatch(/45\s000,00\s€/);
    expect(readFileSync(join(dir, '05-CGIRAUD-relance1.html'), 'utf8')).toContain('Menuiserie Giraud');
  });
});

describe('the litigation file', () => {
  it('lists the reminders already sent, from the journal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relance-contentieux-'));
    const journal = join(dir, 'journal.sqlite');
    const { Journal } = await import('../../src/journal/journal.js');
    const j = Journal.open(journal);
    for (const [step, date, channel] of [['relance1', '2026-09-30', 'email'], ['relance2', '2026-10-07', 'email+appel'], ['escalade', '2026-10-17', 'email+appel'], ['mise_en_demeure', '2026-10-27', 'lrar+email']] as const) {
      j.record({
        clientCode: 'CTRABOU', clientName: 'Brasserie Les Traboules', step, channel, actionDate: date, createdAt: `${date}T08:00:00Z`, status: 'envoye',
        recipients: '', cc: '', subject: '', amountCents: 165_600, costCents: 5, messageId: null, sha256: null,
        invoices: [{ ref: 'FA2026-0030', step, openCents: 165_600, dueDate: '2026-09-27' }],
      });
    }
    j.close();
    const r = await runCli([
      'plan', '--balance', 'fixtures/sage100/balance.csv', '--payments', 'fixtures/sage100/reglements.csv', '--clients', 'fixtures/sage100/clients.csv',
      '--config', 'fixtures/relance.yaml', '--journal', journal, '--as-of', '2026-11-16', '--letters', dir, '--format', 'json',
    ]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as Plan;
    const traboules = plan.actions.find((a) => a.clientCode === 'CTRABOU')!;
    expect(traboules.step).toBe('contentieux');
    const file = readdirSync(dir).find((f) => f.endsWith('-CTRABOU-contentieux.html'))!;
    const html = readFileSync(join(dir, file), 'utf8');
    expect(html).toContain('27/10/2026');
    expect(html).toContain('mise en demeure');
  });
});
