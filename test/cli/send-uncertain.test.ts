import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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
function workspace(): { dir: string; journal: string; args: (...more: string[]) => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'relance-uncertain-'));
  for (const f of ['balance.csv', 'reglements.csv', 'clients.csv']) copyFileSync(fixture(`sage100/${f}`), join(dir, f));
  writeFileSync(join(dir, 'relance.yaml'), readFileSync(fixture('relance.yaml'), 'utf8'));
  const journal = join(dir, 'journal.sqlite');
  const inputs = ['--balance', 'balance.csv', '--payments', 'reglements.csv', '--clients', 'clients.csv', '--journal', journal, '--as-of', '2026-11-16'];
  return { dir, journal, args: (...more) => ['send', ...inputs, ...more] };
}

async function smtp(opts: Parameters<typeof startSmtp>[0] = {}) {
  const server = await startSmtp(opts);
  closers.push(server.close);
  return server;
}

const TRABOULES = 'brasserie.traboules@example.fr';

/** Runs the built CLI as a real process, collecting its stdout; `child` is there to kill it. */
function spawnSend(args: string[], cwd: string, url: string): { child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; stdout: string }> } {
  const child = spawn(process.execPath, [join(ROOT, 'bin/relance.js'), ...args], { cwd, env: { ...process.env, RELANCE_SMTP_URL: url } });
  let stdout = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  const done = new Promise<{ code: number | null; stdout: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout })));
  return { child, done };
}

describe('relance send: a message perhaps delivered is uncertain, never sent twice, never out of sight', () => {
  it('connection dropped after the final « . » of DATA: incertain, exit 4, not sent again, reported first until resolved', { timeout: 20_000 }, async () => {
    let drops = 0;
    const server = await smtp({ dropAfterData: (to) => to.includes(TRABOULES) && drops++ === 0 });
    const w = workspace();
    const env = { RELANCE_SMTP_URL: server.url };
    const first = await runCli(w.args(), { cwd: w.dir, env });
    expect(first.code).toBe(4);
    expect(first.stdout).toMatch(/^INCERTAIN CTRABOU .*la connexion au serveur SMTP s'est interrompue après la transmission du message, sans confirmer sa réception \(ECONNECTION\) : message peut-être parti, il ne sera pas renvoyé ; vérifiez la boîte d'envoi, puis relance resolve \d+ --envoye ou --non-envoye$/m);
    expect(first.stdout).toContain('7 envoyés, 0 échec, 1 à faire par une personne, 1 ignoré, 1 incertain. 1 message incertain à trancher (relance resolve N° --envoye ou --non-envoye) : code de sortie 4.');
    const j = Journal.open(w.journal);
    const action = j.actions({ client: 'CTRABOU' })[0]!;
    j.close();
    expect(action.status).toBe('incertain');

    const again = await runCli(w.args(), { cwd: w.dir, env });
    expect(again.code).toBe(4);
    expect(server.received.filter((m) => m.to.includes(TRABOULES))).toHaveLength(1);
    expect(again.stdout.split('\n').slice(0, 2)).toEqual([
      'À trancher : 1 message incertain, peut-être parti, jamais renvoyé automatiquement ; pour chacun, relance resolve N° --envoye ou --non-envoye.',
      expect.stringMatching(new RegExp(`^INCERTAIN CTRABOU .*relance resolve ${action.id} --envoye ou --non-envoye$`)),
    ]);

    // plan says it first too, and reads only.
    const plan = await runCli(['plan', ...w.args().slice(1)], { cwd: w.dir, env });
    expect(plan.stdout.startsWith('À trancher : 1 message incertain')).toBe(true);

    // A person checks the outbox: not there. The step is due again and goes on the next run.
    const resolved = await runCli(['resolve', String(action.id), '--non-envoye', '--reason', 'absent de la boîte d\'envoi'], { cwd: w.dir, env: { RELANCE_JOURNAL: w.journal } });
    expect(resolved).toMatchObject({ code: 0, stderr: '' });
    expect(resolved.stdout).toBe(`Message n° ${action.id} (CTRABOU Brasserie Les Traboules, ${action.step === 'relance1' ? '1re relance' : action.step} du 16/11/2026) tranché non envoyé : l'étape est de nouveau due et repartira au prochain relance send.\n`);
    const third = await runCli(w.args(), { cwd: w.dir, env });
    expect(third.code).toBe(0);
    expect(third.stdout).not.toContain('À trancher');
    expect(server.received.filter((m) => m.to.includes(TRABOULES))).toHaveLength(2);
    const k = Journal.open(w.journal);
    expect(k.actions({ client: 'CTRABOU' }).map((a) => a.status)).toEqual(['echec', 'envoye']);
    expect(k.actions({ client: 'CTRABOU' })[0]!.error).toBe(
      "incertain (la connexion au serveur SMTP s'est interrompue après la transmission du message, sans confirmer sa réception (ECONNECTION)) ; tranché non envoyé le 2026-11-16 : absent de la boîte d'envoi",
    );
    k.close();
  });

  it('--envoye counts it as sent: nothing goes again, the exit code is back to 0', async () => {
    const server = await smtp({ dropAfterData: (to) => to.includes(TRABOULES) });
    const w = workspace();
    const env = { RELANCE_SMTP_URL: server.url };
    expect((await runCli(w.args(), { cwd: w.dir, env })).code).toBe(4);
    const j = Journal.open(w.journal);
    const id = j.actions({ client: 'CTRABOU' })[0]!.id;
    j.close();
    const resolved = await runCli(['resolve', String(id), '--envoye', '--journal', w.journal], { cwd: w.dir });
    expect(resolved.code).toBe(0);
    expect(resolved.stdout).toContain('tranché envoyé : il compte comme envoyé');
    const again = await runCli(w.args(), { cwd: w.dir, env });
    expect(again.code).toBe(0);
    expect(server.received.filter((m) => m.to.includes(TRABOULES))).toHaveLength(1);
    // Settled once: a second verdict is refused, the row is kept.
    const twice = await runCli(['resolve', String(id), '--non-envoye', '--journal', w.journal], { cwd: w.dir });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/^relance: erreur : l'action n° \d+ \(CTRABOU, .* du 16\/11\/2026\) n'est pas incertaine : son statut est « envoyé »\.$/m);
  });

  it('a refusal before the server took the message (5xx to RCPT TO) stays a failure: exit 2, nothing uncertain', async () => {
    const server = await smtp({ reject: TRABOULES });
    const w = workspace();
    const r = await runCli(w.args(), { cwd: w.dir, env: { RELANCE_SMTP_URL: server.url } });
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain('INCERTAIN');
  });

  it('a run refused by the cap still lists the uncertain messages first', async () => {
    const server = await smtp();
    const w = workspace();
    const j = Journal.open(w.journal);
    j.record({
      clientCode: 'CBELLEC', clientName: 'Hôtel Bellecour SAS', step: 'preventive', channel: 'email', actionDate: '2026-11-02',
      createdAt: '2026-11-02T07:00:00Z', status: 'incertain', recipients: 'comptabilite@hotel-bellecour.example', cc: '', subject: 'rappel',
      amountCents: 100, costCents: 0, messageId: null, sha256: null, error: "le serveur SMTP n'a pas répondu à temps",
      invoices: [{ ref: 'AUTRE', step: 'preventive', openCents: 100, dueDate: null }],
    });
    j.close();
    const capped = await runCli(w.args('--max', '1'), { cwd: w.dir, env: { RELANCE_SMTP_URL: server.url } });
    expect(capped.code).toBe(1);
    expect(capped.stderr).toContain('plus que le plafond de 1 par envoi');
    expect(server.received).toEqual([]);
    expect(capped.stdout.split('\n').slice(0, 2).join('\n') + '\n').toBe(
      'À trancher : 1 message incertain, peut-être parti, jamais renvoyé automatiquement ; pour chacun, relance resolve N° --envoye ou --non-envoye.\n' +
        "INCERTAIN CBELLEC rappel préventif (1 facture, 1,00\u00a0€) → comptabilite@hotel-bellecour.example : le serveur SMTP n'a pas répondu à temps (lancement du 02/11/2026) : message peut-être parti, il ne sera pas renvoyé ; vérifiez la boîte d'envoi, puis relance resolve 1 --envoye ou --non-envoye\n",
    );
  });

  it('a run refused by the lock still lists the uncertain messages first', async () => {
    const server = await smtp({ dropAfterData: (to) => to.includes(TRABOULES) });
    const w = workspace();
    const env = { RELANCE_SMTP_URL: server.url };
    expect((await runCli(w.args(), { cwd: w.dir, env })).code).toBe(4);
    const lock = RunLock.acquire(w.journal, new Date('2026-11-16T06:00:00Z'));
    const r = await runCli(w.args(), { cwd: w.dir, env });
    lock.release();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('un autre « relance send » est en cours');
    expect(r.stdout).toMatch(/^À trancher : 1 message incertain.*\nINCERTAIN CTRABOU /);
  });

  it('resolve refuses a bad number, a missing verdict, both verdicts and an unknown action', async () => {
    const w = workspace();
    Journal.open(w.journal).close();
    const run = (...args: string[]) => runCli(['resolve', ...args, '--journal', w.journal], { cwd: w.dir });
    expect((await run('abc', '--envoye')).stderr).toContain("relance: erreur : numéro d'action invalide : « abc ».");
    expect((await run('3')).stderr).toContain('relance: erreur : dites si le message n° 3 est parti : --envoye ou --non-envoye.');
    expect((await run('3', '--envoye', '--non-envoye')).stderr).toContain("relance: erreur : --envoye et --non-envoye s'excluent : choisissez l'un des deux.");
    const unknown = await run('3', '--envoye');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`relance: erreur : aucune action n° 3 dans le journal ${w.journal}.`);
  });
});

describe('relance send as a real process', () => {
  it('a journal held by another process for 2 s: waited for, every message ends envoyé', async () => {
    const w = workspace();
    let holder: Database.Database | null = null;
    const server = await smtp({
      onMessage: () => {
        if (holder) return;
        // Another writer takes the journal's write lock just as the first message arrives.
        holder = new Database(w.journal);
        holder.exec('BEGIN IMMEDIATE');
        setTimeout(() => holder!.exec('COMMIT'), 2000);
      },
    });
    const { done } = spawnSend(w.args(), w.dir, server.url);
    const r = await done;
    (holder as Database.Database | null)?.close();
    expect(r.code).toBe(0);
    const j = Journal.open(w.journal);
    expect(j.actions({}).filter((a) => a.channel.includes('email')).map((a) => a.status)).toEqual(Array(8).fill('envoye'));
    j.close();
  }, 20_000);

  it('killed mid-run: stdout already holds the line of the message sent before the kill', async () => {
    const w = workspace();
    let child: ReturnType<typeof spawn> | null = null;
    let count = 0;
    const server = await smtp({ onMessage: () => void (++count === 2 && child?.kill('SIGKILL')) });
    const run = spawnSend(w.args(), w.dir, server.url);
    child = run.child;
    const r = await run.done;
    expect(r.code).toBeNull(); // killed
    const first = server.received[0]!.to[0]!;
    expect(r.stdout).toMatch(new RegExp(`^envoyé \\S+ .*→ ${first.replace(/\./g, '\\.')}`, 'm'));
    expect(r.stdout).not.toContain('Envoi du');
  }, 20_000);
});
