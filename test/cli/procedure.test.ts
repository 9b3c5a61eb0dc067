import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/plan.js';
import { Journal } from '../../src/journal/journal.js';
import { fixture, runCli } from '../helpers.js';
import { startSmtp } from '../smtp.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** The fixture company's exports and config in a folder, with a journal already created (as the first send would). */
function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'relance-procedure-'));
  for (const f of ['balance.csv', 'reglements.csv', 'clients.csv']) copyFileSync(fixture(`sage100/${f}`), join(dir, f));
  writeFileSync(join(dir, 'relance.yaml'), readFileSync(fixture('relance.yaml'), 'utf8'));
  const journal = join(dir, 'journal.sqlite');
  Journal.open(journal).close();
  const inputs = (asOf: string) => ['--balance', 'balance.csv', '--payments', 'reglements.csv', '--clients', 'clients.csv', '--journal', journal, '--as-of', asOf];
  const run = (asOf: string, ...args: string[]) => runCli([...args, ...inputs(asOf)], { cwd: dir });
  const send = (asOf: string, url: string) => runCli(['send', ...inputs(asOf)], { cwd: dir, env: { RELANCE_SMTP_URL: url } });
  return { dir, journal, run, send };
}

const REDRESSEMENT = ['procedure', 'CTRABOU', '--type', 'redressement', '--jugement', '2026-11-02', '--bodacc', '2026-11-12', '--mandataire', 'Maître Anne Martin, 12 rue de la Bourse, 69002 Lyon'];

describe('relance procedure: a client under a collective proceeding', () => {
  it('L622-21: stops every reminder (real SMTP), lists the client for a person with the deadline, and --close brings it back', async () => {
    const server = await startSmtp();
    closers.push(server.close);
    const w = workspace();
    const r = await w.run('2026-11-16', ...REDRESSEMENT);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 4)).toEqual([
      'Procédure enregistrée pour CTRABOU Brasserie Les Traboules : redressement judiciaire, jugement du 02/11/2026 ; relances arrêtées (L622-21).',
      'Déclaration de créance à faire avant le 12/01/2027 (deux mois après la publication au BODACC du 12/11/2026, R622-24).',
      'Déclaration : 3 factures, principal 6\u202f060,00\u00a0€, intérêts 36,39\u00a0€ (arrêtés au 01/11/2026, veille du jugement, L622-28), indemnités 120,00\u00a0€ (D441-5), pénalités de 5 factures réglées en retard avant le jugement 378,85\u00a0€, total 6\u202f595,24\u00a0€.',
      'Déclaration de créance : declaration-creance-CTRABOU-2026-11-02.html (à envoyer en recommandé avec avis de réception au mandataire judiciaire, avec la copie des factures).',
    ]);
    expect(readFileSync(join(w.dir, 'declaration-creance-CTRABOU-2026-11-02.html'), 'utf8')).toContain('Maître Anne Martin');

    const plan = JSON.parse((await w.run('2026-11-16', 'plan', '--format', 'json')).stdout) as Plan;
    expect(plan.actions.map((a) => a.clientCode)).not.toContain('CTRABOU');
    const manual = plan.manual.find((m) => m.clientCode === 'CTRABOU')!;
    expect(manual.reason).toBe(
      'redressement judiciaire (jugement du 02/11/2026) : relances arrêtées (L622-21) ; déclaration de créance à faire avant le 12/01/2027 (deux mois après la publication au BODACC du 12/11/2026, R622-24)',
    );
    expect(manual.procedure).toEqual({ code: 'procedure-collective', id: 1, type: 'redressement', judgmentOn: '2026-11-02', bodaccOn: '2026-11-12', declarationDeadline: '2027-01-12' });
    const table = (await w.run('2026-11-16', 'plan', '--wide')).stdout;
    expect(table).toMatch(/CTRABOU .*déclaration de créance à faire avant le 12\/01\/2027/);

    const sent = await w.send('2026-11-16', server.url);
    expect(sent.code).toBe(0);
    expect(server.received.flatMap((m) => m.to)).not.toContain('brasserie.traboules@example.fr');
    expect(server.received.length).toBeGreaterThan(0);
    expect(sent.stdout).toMatch(/^ignoré CTRABOU .*redressement judiciaire \(jugement du 02\/11\/2026\) : relances arrêtées/m);

    const closed = await w.run('2026-11-17', 'procedure', 'CTRABOU', '--close', '--reason', 'jugement rétracté sur tierce opposition');
    expect(closed.stdout).toBe(
      'Procédure collective de CTRABOU Brasserie Les Traboules close le 17/11/2026 (redressement judiciaire, jugement du 02/11/2026) : jugement rétracté sur tierce opposition.\n' +
        'Ses factures reviennent dans les relances dès le 17/11/2026.\n',
    );
    await w.send('2026-11-17', server.url);
    expect(server.received.flatMap((m) => m.to)).toContain('brasserie.traboules@example.fr');
  }, 30_000);

  it('an active proceeding refuses a second one; without --bodacc the deadline is unknown, said plainly; without --mandataire the addressee is to complete', async () => {
    const w = workspace();
    const first = await w.run('2026-11-16', 'procedure', 'CTRABOU', '--type', 'liquidation', '--jugement', '2026-11-10', '--out', 'decl.html');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Déclaration de créance à faire : délai de deux mois à calculer dès la publication au BODACC (R622-24).');
    expect(first.stdout).toContain('! destinataire à compléter sur la lettre : le nom et l\'adresse du liquidateur figurent dans l\'annonce du jugement au BODACC');
    expect(readFileSync(join(w.dir, 'decl.html'), 'utf8')).toContain('À compléter : nom et adresse du liquidateur judiciaire');
    const plan = JSON.parse((await w.run('2026-11-16', 'plan', '--format', 'json')).stdout) as Plan;
    expect(plan.manual.find((m) => m.clientCode === 'CTRABOU')!.procedure!.declarationDeadline).toBeNull();

    const second = await w.run('2026-11-16', ...REDRESSEMENT);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      'relance: erreur : une procédure collective de CTRABOU est déjà enregistrée (liquidation judiciaire, jugement du 10/11/2026), en cours.\n' +
        'conseil : relance procedure CTRABOU --close --reason "…" y met fin (par exemple « conversion en liquidation ») ; enregistrez ensuite la nouvelle.\n',
    );
  });

  it('a client whose case waits (a promise) is still listed for a person, and plan --letters writes it no reminder', async () => {
    const w = workspace();
    expect((await w.run('2026-11-16', 'promise', 'CTRABOU', '--date', '2026-11-30')).code).toBe(0);
    expect((await w.run('2026-11-16', ...REDRESSEMENT)).code).toBe(0);
    const plan = JSON.parse((await w.run('2026-11-16', 'plan', '--format', 'json')).stdout) as Plan;
    expect(plan.manual.filter((m) => m.clientCode === 'CTRABOU').map((m) => m.procedure?.code)).toEqual(['procedure-collective']);
    expect(plan.waiting.map((c) => c.clientCode)).not.toContain('CTRABOU');
    expect(plan.skipped.map((c) => c.clientCode)).not.toContain('CTRABOU');
    await w.run('2026-11-16', 'plan', '--letters', 'lettres');
    const written = readdirSync(join(w.dir, 'lettres'));
    expect(written.length).toBeGreaterThan(0);
    expect(written.filter((f) => f.includes('CTRABOU'))).toEqual([]);
    const client = await w.run('2026-11-16', 'client', 'CTRABOU');
    expect(client.stdout).toMatch(/Prochaine étape : aucune relance,\s+redressement judiciaire \(jugement du\s+02\/11\/2026\)/);
    expect(client.stdout).toMatch(/Procédures collectives\n  - redressement, jugement du 02\/11\/2026, BODACC du 12\/11\/2026/);
  });

  it.each([
    [['--jugement', '2026-11-02'], '--type est obligatoire.'],
    [['--type', 'faillite', '--jugement', '2026-11-02'], 'valeur invalide pour --type : « faillite » (valeurs possibles : sauvegarde, redressement, liquidation).'],
    [['--type', 'redressement'], '--jugement est obligatoire.'],
    [['--type', 'redressement', '--jugement', '2026-11-02', '--bodacc', '2026-10-30'], 'la publication au BODACC (30/10/2026) précède le jugement (02/11/2026).'],
    [['--type', 'redressement', '--jugement', '2026-11-20'], 'le jugement du 20/11/2026 est postérieur à la date d\'arrêté (16/11/2026).'],
    [['--close'], '--reason est obligatoire avec --close.'],
    [['--close', '--reason', 'x', '--type', 'liquidation'], '--close ne se combine pas avec --type.'],
    [['--close', '--reason', 'x'], 'aucune procédure collective en cours pour CTRABOU au 16/11/2026.'],
    [['--type', 'redressement', '--jugement', '2026-11-02', '--reason', 'x'], '--reason ne s\'emploie qu\'avec --close.'],
  ])('refuses %j: « %s »', async (args, message) => {
    const w = workspace();
    const r = await w.run('2026-11-16', 'procedure', 'CTRABOU', ...args);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(`relance: erreur : ${message}`);
  });

  it.each(['sauvegarde', 'redressement', 'liquidation'])('L620-2, L631-2, L640-2: refuses a %s for a consumer, points to surendettement (L711-1 C. consom.) and relance pause', async (type) => {
    const w = workspace();
    const r = await w.run('2026-11-16', 'procedure', 'CMARCHE', '--type', type, '--jugement', '2026-11-02');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "relance: erreur : CMARCHE (M. Julien Marchetti) est un particulier : les procédures collectives du livre VI du Code de commerce (sauvegarde, redressement, liquidation judiciaire) ne s'appliquent pas à un consommateur (L620-2, L631-2, L640-2).\n" +
        'conseil : pour un particulier, c\'est la procédure de surendettement devant la commission de la Banque de France (Code de la consommation, articles L711-1 et suivants) ; suspendez ses relances pendant ce temps : relance pause CMARCHE --until AAAA-MM-JJ --reason "dossier de surendettement".\n',
    );
    expect(readdirSync(w.dir).filter((f) => f.startsWith('declaration-creance'))).toEqual([]);
    const j = Journal.openReadOnly(w.journal);
    expect(Journal.sqlOf(j).prepare('SELECT COUNT(*) AS n FROM procedures').get()).toEqual({ n: 0 });
    j.close();
  });

  it('L622-26: the declaration also claims the penalties on invoices paid late before the judgment (CTRABOU, 378,85 €)', async () => {
    const w = workspace();
    const r = await w.run('2026-11-16', ...REDRESSEMENT, '--format', 'json');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout).declaration;
    expect(d.paidLate.map((i: { ref: string; totalCents: number }) => [i.ref, i.totalCents])).toEqual([
      ['FA2026-0001', 7005], ['FA2026-0006', 7713], ['FA2026-0014', 8774], ['FA2026-0021', 7032], ['FA2026-0025', 7361],
    ]);
    expect(d.totals).toMatchObject({ paidLateCents: 37885, totalCents: 621639 + 37885 });
  });
});
