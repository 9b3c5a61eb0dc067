import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/journal.js';
import { claimSalesAlert, salesAlertRows } from '../../src/journal/sales-alerts.js';
import { fixture, runCli } from '../helpers.js';
import { startSmtp, type Received } from '../smtp.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** The fixture company in a temp folder; its exports stay valid over the weeks the tests run through. */
function workspace(extraConfig = '') {
  const dir = mkdtempSync(join(tmpdir(), 'relance-alerts-'));
  for (const f of ['balance.csv', 'reglements.csv', 'clients.csv']) copyFileSync(fixture(`sage100/${f}`), join(dir, f));
  writeFileSync(join(dir, 'relance.yaml'), `${readFileSync(fixture('relance.yaml'), 'utf8')}\nmaxExportAgeDays: 365\n${extraConfig}`);
  const journal = join(dir, 'journal.sqlite');
  const inputs = ['--balance', 'balance.csv', '--payments', 'reglements.csv', '--clients', 'clients.csv', '--journal', journal];
  return { dir, journal, inputs };
}

async function smtp(opts: Parameters<typeof startSmtp>[0] = {}) {
  const server = await startSmtp(opts);
  closers.push(server.close);
  return server;
}

const at = (date: string) => new Date(`${date}T09:00:00+01:00`);
const TRABOULES_REP = 'thomas.lambert@lumen-eclairage.example';
const internal = (s: { received: Received[] }): Received[] => s.received.filter((m) => m.mail.subject?.startsWith('[Interne]'));

/** Runs send on each date, in order, against `url`; returns the last run. */
async function sendOn(w: ReturnType<typeof workspace>, url: string, dates: string[], more: string[] = []) {
  let last = { code: 0, stdout: '', stderr: '' };
  for (const d of dates) last = await runCli(['send', ...w.inputs, '--as-of', d, ...more], { cwd: w.dir, env: { RELANCE_SMTP_URL: url }, now: at(d) });
  return last;
}

describe('relance send: the sales rep is alerted before an escalade or a formal notice', () => {
  it('alerts Brasserie Les Traboules\' rep two days before its escalade, once, and journals it', async () => {
    const server = await smtp();
    const w = workspace();
    await sendOn(w, server.url, ['2026-11-16', '2026-11-24']);
    expect(internal(server)).toEqual([]);
    const r = await sendOn(w, server.url, ['2026-12-02']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `envoyé CTRABOU alerte commercial (3 factures, 6\u202f060,00\u00a0€) → ${TRABOULES_REP} : alerte avant escalade du 04/12/2026 : « [Interne] Brasserie Les Traboules (CTRABOU) : escalade prévue le 04/12/2026 – 6 060,00 € »\n`, // the subject's spaces are plain (one line)
    );
    const [alert, ...others] = internal(server);
    expect(others).toEqual([]);
    expect(alert!.to).toEqual([TRABOULES_REP]);
    const mail = alert!.mail;
    expect(mail.replyTo?.text).toBe('nadia.benali@lumen-eclairage.example');
    expect(mail.text).toContain('Brasserie Les Traboules (CTRABOU, mauvais payeur chronique) va recevoir une escalade');
    expect(mail.text).toContain('le 04/12/2026, dans 2 jours');
    expect(mail.text).toMatch(/- FA2026-0030 du 28\/08\/2026, échue le 27\/09\/2026 : 1\s656,00\s€ \(66 jours de retard\)/);
    expect(mail.text).toContain('- 16/11/2026 : 1re relance\n- 24/11/2026 : 2e relance\n');
    expect(mail.text).toContain('Répondez à ce message avant le 04/12/2026');
    expect(mail.text).toContain('relance pause CTRABOU --until 2026-12-19 --reason "…"');
    expect(mail.html).toContain('<strong>Répondez à ce message avant le 04/12/2026</strong>');

    const j = Journal.openReadOnly(w.journal);
    const rows = salesAlertRows(j);
    j.close();
    expect(rows.map((x) => [x.clientCode, x.step, x.plannedOn, x.recipient, x.status])).toEqual([['CTRABOU', 'escalade', '2026-12-04', TRABOULES_REP, 'envoye']]);
    const { createHash } = await import('node:crypto');
    expect(rows[0]!.sha256).toBe(createHash('sha256').update(alert!.raw).digest('hex'));

    // The same day again, the next day, the day of the escalade: never a second alert.
    for (const d of ['2026-12-02', '2026-12-03', '2026-12-04']) {
      const again = await sendOn(w, server.url, [d]);
      expect(again.stdout).not.toContain('alerte commercial');
    }
    expect(internal(server).filter((m) => m.mail.subject!.includes('CTRABOU') && m.mail.subject!.includes('escalade'))).toHaveLength(1);
  }, 60_000);

  it('when the cron ran late and the step falls due this very run, the rep still hears of it before the client', async () => {
    const server = await smtp();
    const w = workspace();
    await sendOn(w, server.url, ['2026-11-16', '2026-11-24']);
    // No run between 25/11 and 04/12: the escalade is due on the day of this run.
    const r = await sendOn(w, server.url, ['2026-12-04']);
    const alertAt = r.stdout.indexOf('envoyé CTRABOU alerte commercial');
    const escaladeAt = r.stdout.indexOf('envoyé CTRABOU escalade');
    expect(alertAt).toBeGreaterThanOrEqual(0);
    expect(escaladeAt).toBeGreaterThan(alertAt);
    // On the wire too: the rep's alert, then the client's escalade (the last message to the client).
    const toRep = server.received.findIndex((m) => m.to.includes(TRABOULES_REP));
    const toClient = server.received.map((m) => m.to.includes('brasserie.traboules@example.fr')).lastIndexOf(true);
    expect(toRep).toBeGreaterThanOrEqual(0);
    expect(toClient).toBeGreaterThan(toRep);
  }, 60_000);

  it('--dry-run lists the alert and writes nothing; salesAlerts.enabled: false sends none', async () => {
    const server = await smtp();
    const w = workspace();
    await sendOn(w, server.url, ['2026-11-16', '2026-11-24']);
    const dry = await sendOn(w, server.url, ['2026-12-02'], ['--dry-run']);
    expect(dry.stdout).toMatch(/^simulation CTRABOU alerte commercial \(3 factures, .*\) → thomas\.lambert@lumen-eclairage\.example : alerte avant escalade du 04\/12\/2026 : « \[Interne\]/m);
    expect(internal(server)).toEqual([]);
    const j = Journal.openReadOnly(w.journal);
    expect(salesAlertRows(j)).toEqual([]);
    j.close();

    const off = workspace('salesAlerts:\n  enabled: false\n');
    await sendOn(off, server.url, ['2026-11-16', '2026-11-24']);
    const r = await sendOn(off, server.url, ['2026-12-02']);
    expect(r.stdout).not.toContain('alerte commercial');
    expect(internal(server)).toEqual([]);
  }, 60_000);

  it('a refused alert is a failure (exit 2) sent again on the next run', async () => {
    const refusing = await smtp({ reject: TRABOULES_REP });
    const w = workspace();
    await sendOn(w, refusing.url, ['2026-11-16', '2026-11-24']);
    const r = await sendOn(w, refusing.url, ['2026-12-02']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^ÉCHEC CTRABOU alerte commercial .* : alerte avant escalade du 04\/12\/2026 : .*550.* ; elle repartira au prochain envoi$/m);
    const server = await smtp();
    const next = await sendOn(w, server.url, ['2026-12-03']);
    expect(next.code).toBe(0);
    expect(next.stdout).toMatch(/^envoyé CTRABOU alerte commercial .* alerte avant escalade du 04\/12\/2026/m);
    expect(internal(server).map((m) => m.to)).toEqual([[TRABOULES_REP]]);
  }, 60_000);

  it('a connection lost after DATA leaves the alert uncertain (exit 2): journaled, never sent again', async () => {
    const dropping = await smtp({ dropAfterData: (to) => to.includes(TRABOULES_REP) });
    const w = workspace();
    const server = await smtp();
    await sendOn(w, server.url, ['2026-11-16', '2026-11-24']);
    const r = await sendOn(w, dropping.url, ['2026-12-02']);
    expect(r.stdout).toMatch(/^INCERTAIN CTRABOU alerte commercial .* alerte avant escalade du 04\/12\/2026 : .*peut-être partie, jamais renvoyée : vérifiez auprès de thomas\.lambert@lumen-eclairage\.example$/m);
    expect(r.code).toBe(2);
    const j = Journal.openReadOnly(w.journal);
    expect(salesAlertRows(j).map((x) => [x.clientCode, x.status])).toEqual([['CTRABOU', 'incertain']]);
    j.close();
    const next = await sendOn(w, server.url, ['2026-12-03']);
    expect(next.stdout).not.toContain('alerte commercial');
    expect(internal(server)).toEqual([]);
  }, 60_000);
  it('an alert left « envoi » by a killed run becomes uncertain on the next run, and is never sent again', async () => {
    const server = await smtp();
    const w = workspace();
    await sendOn(w, server.url, ['2026-11-16', '2026-11-24']);
    const j = Journal.open(w.journal);
    claimSalesAlert(j, { clientCode: 'CTRABOU', step: 'escalade', plannedOn: '2026-12-04', recipient: TRABOULES_REP, messageId: '<x@y>', sha256: 'ab', createdAt: '2026-12-01T08:00:00Z' });
    j.close();
    const r = await sendOn(w, server.url, ['2026-12-02']);
    expect(r.stdout).toContain(`INCERTAIN CTRABOU alerte commercial (0 facture, 0,00\u00a0€) → ${TRABOULES_REP} : alerte avant escalade du 04/12/2026 : run interrompu entre l'envoi et son enregistrement, peut-être partie ; jamais renvoyée\n`);
    expect(r.code).toBe(2);
    expect(internal(server)).toEqual([]);
    const k = Journal.openReadOnly(w.journal);
    expect(salesAlertRows(k).map((x) => x.status)).toEqual(['incertain']);
    k.close();
  }, 60_000);
});
