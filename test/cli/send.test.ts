import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/journal.js';
import { RunLock } from '../../src/journal/lock.js';
import { fixture, ROOT, runCli } from '../helpers.js';
import { startSmtp } from '../smtp.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A working folder with the fixture company's exports and config, and a fresh journal path. */
function workspace(extraConfig = ''): { dir: string; journal: string; args: (...more: string[]) => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'relance-send-'));
  for (const f of ['balance.csv', 'reglements.csv', 'clients.csv']) copyFileSync(fixture(`sage100/${f}`), join(dir, f));
  writeFileSync(join(dir, 'relance.yaml'), `${readConfig()}${extraConfig}`);
  const journal = join(dir, 'journal.sqlite');
  return {
    dir,
    journal,
    args: (...more) => ['send', '--balance', 'balance.csv', '--payments', 'reglements.csv', '--clients', 'clients.csv', '--journal', journal, '--as-of', '2026-11-16', ...more],
  };
}

function readConfig(): string {
  return readFileSync(fixture('relance.yaml'), 'utf8');
}

async function smtp(opts: Parameters<typeof startSmtp>[0] = {}) {
  const server = await startSmtp(opts);
  closers.push(server.close);
  return server;
}

describe('relance send, against a real SMTP server and a real journal file', () => {
  it("sends the day's e-mails, records each one, and leaves letters to a person", { timeout: 20_000 }, async () => {
    const server = await smtp();
    const w = workspace();
    const r = await runCli(w.args(), { cwd: w.dir, env: { RELANCE_SMTP_URL: server.url } });
    // check's warnings that bear on the run, on stderr (the cron mail shows them; stdout is the log).
    expect(r.stderr).toBe(
      'attention : 1 client sans e-mail : CGIRAUD ; 2 clients ont des règlements ou avoirs non imputés (CVASSEU 2\u202f160,00\u00a0€, CMORELE 1\u202f200,00\u00a0€).\n' +
        'conseil : relance check sur les mêmes fichiers donne le détail et la correction de chaque point.\n' +
        `journal créé : ${w.journal}\n` +
        // The letter to the client without e-mail, as a PDF to print (issue 14).
        'courriers à imprimer : courriers/2026-11-16/a-imprimer.pdf\n',
    );
    expect(r.code).toBe(0);
    expect(server.received.map((m) => m.to[0]).sort()).toEqual([
      'administration@roux-vidal.example', 'boulangerie.canuts@example.fr', 'brasserie.traboules@example.fr',
      'comptabilite@hotel-bellecour.example', 'economat@residence-tilleuls.example', 'factures@egmorel.example',
      'gerance@le-reverbere.example', 'julien.marchetti@example.com',
    ]);
    const bellecour = server.received.find((m) => m.to.includes('comptabilite@hotel-bellecour.example'))!;
    expect(bellecour.to).toEqual(['comptabilite@hotel-bellecour.example', 'direction@hotel-bellecour.example']);
    expect(bellecour.mail.subject).toContain('FA2026-0040');
    expect(bellecour.mail.text).toMatch(/45\s000,00\s€/);
    expect(bellecour.mail.html).toMatch(/45\s000,00\s€/);
    expect(r.stdout).toMatch(/^à faire CGIRAUD .*courrier à faire par une personne/m);
    expect(r.stdout).toMatch(/^ignoré CNUITBL .*exclu des relances automatiques/m);
    expect(r.stdout).toContain('8 envoyés, 0 échec, 1 à faire par une personne, 1 ignoré, 0 incertain.');
    const j = Journal.open(w.journal);
    const actions = j.actions({});
    expect(actions.filter((a) => a.status === 'envoye')).toHaveLength(8);
    expect(actions.find((a) => a.clientCode === 'CBELLEC')).toMatchObject({ step: 'relance1', status: 'envoye', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(j.snapshots()).toHaveLength(1);
    j.close();
  });

  it('records the SHA-256 of exactly the bytes the server received', { timeout: 20_000 }, async () => {
    const server = await smtp();
    const w = workspace();
    await runCli(w.args(), { cwd: w.dir, env: { RELANCE_SMTP_URL: server.url } });
    const { createHash } = await import('node:crypto');
    const j = Journal.open(w.journal);
    const sent = j.actions({ client: 'CBELLEC' })[0]!;
    j.close();
    const raw = server.received.find((m) => m.to.includes('comptabilite@hotel-bellecour.example'))!.raw;
    expect(createHash('sha256').update(raw).digest('hex')).toBe(sent.sha256);
  });

  it('--dry-run sends nothing, writes no journal, and says what would go', async () => {
    const server = await smtp();
    const w = workspace();
    const r = await runCli(w.args('--dry-run'), { cwd: w.dir, env: { RELANCE_SMTP_URL: server.url } });
    expect(r.code).toBe(0);
    expect(server.received).toEqual([]);
    expect(existsSync(w.journal)).toBe(false);
    expect(r.stdout).toMatch(/^simulation CBELLEC 1re relance .* → comptabilite@hotel-bellecour\.example/m);
    expect(r.stdout).toContain("Simulation (--dry-run), rien n'a été envoyé");
  });

  it('run twice the same day, sends nothing the second time', async () => {
    const server = await smtp();
    const w = workspace();
    const env = { RELANCE_SMTP_URL: server.url };
    await runCli(w.args(), { cwd: w.dir, env });
    const count = server.received.length;
    const again = await runCli(w.args(), { cwd: w.dir, env });
    expect(again.code).toBe(0);
    expect(server.received.length).toBe(count);
    expect(again.stdout).toContain('0 envoyé');
  });

  it('never sends the same step twice: the next day brings nothing until the next step is due', async () => {
    const server = await smtp();
    const w = workspace();
    const env = { RELANCE_SMTP_URL: server.url };
    await runCli(w.args(), { cwd: w.dir, env });
    const first = server.received.length;
    const nextDay = await runCli([...w.args().slice(0, -2), '--as-of', '2026-11-17'], { cwd: w.dir, env });
    expect(nextDay.code).toBe(0);
    expect(server.received.length).toBe(first);
  });

  it('never sends two messages to one client the same day', async () => {
    const server = await smtp();
    const w = workspace();
    const j = Journal.open(w.journal);
    j.record({
      clientCode: 'CBELLEC', clientName: 'Hôtel Bellecour SAS', step: 'preventive', channel: 'email', actionDate: '2026-11-16',
      createdAt: '2026-11-16T07:00:00Z', status: 'envoye', recipients: 'x', cc: '', subject: 'autre message', amountCents: 1,
      costCents: 0, messageId: null, sha256: null, invoices: [{ ref: 'AUTRE', step: 'preventive', openCents: 1, dueDate: null }],
    });
    j.close();
    const r = await runCli(w.args(), { cwd: w.dir, env: { RELANCE_SMTP_URL: server.url } });
    expect(server.received.some((m) => m.to.includes('comptabilite@hotel-bellecour.example'))).toBe(false);
    expect(r.stdout).toMatch(/^ignoré CBELLEC .*déjà contacté le 16\/11\/2026/m);
  });

  it('refuses to send from an export older than the allowed age, sending nothing', async () => {
    const server = await smtp();
    const w = workspace();
    const r = await runCli([...w.args().slice(0, -2), '--as-of', '2026-11-20'], { cwd: w.dir, env: { RELANCE_SMTP_URL: server.url } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("date du 16/11/2026, 4 jours avant le 20/11/2026 : envoi refusé, rien n'a été envoyé (au plus 3 jours).");
    expect(server.received).toEqual([]);
  });

  it('stops above the cap per run and asks for --max, then sends with it', async () => {
    const server = await smtp();
    const w = workspace();
    const env = { RELANCE_SMTP_URL: server.url };
    const capped = await runCli(w.args('--max', '5'), { cwd: w.dir, env });
    expect(capped.code).toBe(1);
    expect(capped.stderr).toContain("8 e-mails sont à envoyer, plus que le plafond de 5 par envoi : rien n'a été envoyé.");
    expect(capped.stderr).toContain('confirmez avec --max 8');
    expect(server.received).toEqual([]);
    expect((await runCli(w.args('--max', '8'), { cwd: w.dir, env })).code).toBe(0);
    expect(server.received).toHaveLength(8);
  });

  it('does not overlap another run: the second exits with a clear message and sends nothing', async () => {
    const server = await smtp();
    const w = workspace();
    const lock = RunLock.acquire(w.journal, new Date('2026-11-16T06:00:00Z'));
    const r = await runCli(w.args(), { cwd: w.dir, env: { RELANCE_SMTP_URL: server.url } });
    lock.release();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^relance: erreur : un autre « relance send » est en cours sur ce journal \(processus \d+, démarré le 2026-11-16T06:00:00.000Z\)/m);
    expect(server.received).toEqual([]);
  });

  it('records an SMTP failure, still sends the others, and exits 2', async () => {
    const server = await smtp({ reject: 'brasserie.traboules@example.fr' });
    const w = workspace();
    const r = await runCli(w.args(), { cwd: w.dir, env: { RELANCE_SMTP_URL: server.url } });
    expect(r.code).toBe(2);
    expect(server.received).toHaveLength(7);
    expect(r.stdout).toMatch(/^ÉCHEC CTRABOU .*550/m);
    const j = Journal.open(w.journal);
    expect(j.actions({ client: 'CTRABOU' })[0]).toMatchObject({ status: 'echec', error: expect.stringContaining('550') });
    j.close();
  });

  it('copies the sales rep at escalade, the archive in blind copy, and attaches the invoice PDFs', async () => {
    const server = await smtp();
    // fixtures/relance.yaml ends with its mail section: these lines extend it.
    const w = workspace('  archiveBcc: archives@lumen-eclairage.example\n  invoicesDir: pdf\n');
    mkdirSync(join(w.dir, 'pdf'));
    writeFileSync(join(w.dir, 'pdf', 'FA2026-0030.pdf'), '%PDF-1.4 facture');
    // CTRABOU (chronic) already had relance1 and relance2: escalade is due.
    const j = Journal.open(w.journal);
    for (const [step, date] of [['relance1', '2026-10-01'], ['relance2', '2026-10-08']] as const) {
      j.record({
        clientCode: 'CTRABOU', clientName: 'Brasserie Les Traboules', step, channel: 'email', actionDate: date, createdAt: `${date}T08:00:00Z`,
        status: 'envoye', recipients: 'brasserie.traboules@example.fr', cc: '', subject: '', amountCents: 165_600, costCents: 5, messageId: null,
        sha256: null, invoices: [{ ref: 'FA2026-0030', step, openCents: 165_600, dueDate: '2026-09-27' }],
      });
    }
    j.close();
    const r = await runCli(w.args(), { cwd: w.dir, env: { RELANCE_SMTP_URL: server.url } });
    expect(r.code).toBe(0);
    const traboules = server.received.find((m) => m.to.includes('brasserie.traboules@example.fr'))!;
    const ccHeader = (traboules.mail.cc && !Array.isArray(traboules.mail.cc) ? traboules.mail.cc.value.map((v) => v.address) : []);
    expect(ccHeader).toContain('thomas.lambert@lumen-eclairage.example');
    expect(traboules.mail.text).toContain('Thomas Lambert, votre contact commercial, en copie');
    expect(traboules.mail.text).toContain('article L441-10 du Code de commerce');
    expect(traboules.to).toContain('archives@lumen-eclairage.example');
    expect(traboules.raw).not.toMatch(/^Bcc:/im);
    expect(traboules.mail.attachments.map((a) => a.filename)).toEqual(['Facture-FA2026-0030.pdf']);
  });
});

describe('relance send killed between sending and recording', () => {
  it('does not send that message again on the next run, and reports it as uncertain', { timeout: 20_000 }, async () => {
    const w = workspace();
    let child: ReturnType<typeof spawn> | null = null;
    // The server accepts the first message, then the sender is killed before it can record it.
    const server = await smtp({ onMessage: () => child?.kill('SIGKILL') });
    child = spawn(process.execPath, [join(ROOT, 'bin/relance.js'), ...w.args()], { cwd: w.dir, env: { ...process.env, RELANCE_SMTP_URL: server.url } });
    const code = await new Promise<number | null>((resolve) => child!.on('exit', (c) => resolve(c)));
    expect(code).toBeNull(); // killed
    expect(server.received).toHaveLength(1);
    const first = server.received[0]!.to[0]!;

    const r = await runCli(w.args(), { cwd: w.dir, env: { RELANCE_SMTP_URL: server.url } });
    expect(r.stdout).toMatch(/^INCERTAIN \S+ .*peut-être parti, il ne sera pas renvoyé/m);
    expect(server.received.filter((m) => m.to[0] === first)).toHaveLength(1);
    expect(r.stdout).toContain('1 incertain');
  });
});

describe('relance send and a rate missing from the tables (issue 13, point 3)', () => {
  /**
   * The fixture company with its own relance1.hbs that states the penalties to date (and
   * the rate footnote), so that day one's reminders state penalties computed for the 2nd
   * half of 2026, a half-year the shipped tables lack.
   */
  function stating(penalties: string): ReturnType<typeof workspace> {
    const w = workspace();
    mkdirSync(join(w.dir, 'modeles'));
    const bundled = readFileSync(join(ROOT, 'templates/fr/relance1.hbs'), 'utf8');
    writeFileSync(join(w.dir, 'modeles/relance1.hbs'), bundled.replace('{{> conclusion}}.\n', '{{> conclusion}}. Pénalités à ce jour : {{euros totals.interestCents}}{{#each penalties.footnotes}} ({{this}}){{/each}}.\n'));
    const config = readConfig().replace('penalties:\n  whenRateMissing: lastKnown\n', `templatesDir: modeles\npenalties:\n${penalties}`);
    expect(config).toContain('templatesDir: modeles');
    writeFileSync(join(w.dir, 'relance.yaml'), config);
    return w;
  }
  const REFUSED = ['CBELLEC', 'CCANUTS', 'CMORELE', 'CREVERB', 'CTILLEU', 'CTRABOU'];

  it('refuses, by default, the letters stating penalties computed without the rate: not sent, not journaled, listed with the fix, exit 2', async () => {
    const server = await smtp();
    const w = stating('  whenRateMissing: refuse\n');
    const r = await runCli(w.args(), { cwd: w.dir, env: { RELANCE_SMTP_URL: server.url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("attention : la table des taux des pénalités de retard (taux BCE + 10 points, article L441-10 du Code de commerce) n'a pas de taux pour le 2e semestre 2026 : relance send n'envoie pas les lettres qui chiffrent des pénalités avec ce taux manquant.\n");
    expect(r.stderr).toContain('conseil : ajoutez le taux en vigueur dans la configuration, penalties.rates: [{ from: "2026-07-01", ratePercent: … }] ; ou, pour calculer avec le taux du 1er semestre 2026 (12,15\u00a0%) en le disant dans la lettre, penalties.whenRateMissing: lastKnown.\n');
    for (const code of REFUSED) {
      expect(r.stdout).toMatch(new RegExp(`^ÉCHEC ${code} 1re relance .* : non envoyé : la lettre chiffre des pénalités sans le taux du 2e semestre 2026, absent de la table des taux ; ajoutez-le \\(penalties\\.rates\\) ou choisissez penalties\\.whenRateMissing: lastKnown, puis relancez relance send$`, 'm'));
    }
    // The consumer's reminder claims no interest (Code civil 1231-6), the preventive one none: both go.
    expect(server.received.map((m) => m.to[0]).sort()).toEqual(['administration@roux-vidal.example', 'julien.marchetti@example.com']);
    // The letter to CGIRAUD (no e-mail) states penalties too: not written, not left to a person (issue 14).
    expect(r.stdout).toMatch(/^ÉCHEC CGIRAUD 1re relance .* : courrier non écrit : la lettre chiffre des pénalités sans le taux du 2e semestre 2026/m);
    expect(r.stdout).toContain('2 envoyés, 7 échecs, 0 à faire par une personne');
    const j = Journal.open(w.journal);
    const journaled = new Set(j.actions({}).map((a) => a.clientCode));
    j.close();
    for (const code of REFUSED) expect(journaled.has(code)).toBe(false);
    for (const m of server.received) expect(m.raw).not.toMatch(/faute de taux|publié/);
  });

  it('sends them once the rate is added (penalties.rates), without any footnote', async () => {
    const server = await smtp();
    // As a user would once the rate is known (a test value, not a published one).
    const w = stating('  whenRateMissing: refuse\n  rates: [{ from: "2026-07-01", ratePercent: 12.15 }]\n');
    const r = await runCli(w.args(), { cwd: w.dir, env: { RELANCE_SMTP_URL: server.url } });
    expect(r.code).toBe(0);
    expect(server.received).toHaveLength(8);
    expect(r.stderr).not.toContain('taux');
    const traboules = server.received.find((m) => m.to.includes('brasserie.traboules@example.fr'))!;
    expect(traboules.mail.text).toMatch(/Pénalités à ce jour : 66,65\s€\./);
  });

  it('sends them with penalties.whenRateMissing: lastKnown, the letter stating the rate used and nothing about publication', async () => {
    const server = await smtp();
    const w = stating('  whenRateMissing: lastKnown\n');
    const r = await runCli(w.args(), { cwd: w.dir, env: { RELANCE_SMTP_URL: server.url } });
    expect(r.code).toBe(0);
    expect(server.received).toHaveLength(8);
    expect(r.stderr).toContain("attention : la table des taux des pénalités de retard (taux BCE + 10 points, article L441-10 du Code de commerce) n'a pas de taux pour le 2e semestre 2026 ; le taux du 1er semestre 2026 (12,15\u00a0%) est repris, comme le demande penalties.whenRateMissing: lastKnown, et les lettres l'indiquent.\n");
    const traboules = server.received.find((m) => m.to.includes('brasserie.traboules@example.fr'))!;
    expect(traboules.mail.text).toMatch(/Pénalités à ce jour : 66,65\s€ \(taux de 12,15\s% retenu pour le 2e semestre 2026\)\./);
    expect(traboules.mail.text).not.toMatch(/publié/);
  });
});
