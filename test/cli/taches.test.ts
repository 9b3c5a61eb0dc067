import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/journal.js';
import { loadTasks } from '../../src/journal/tasks.js';
import { fixture, runCli } from '../helpers.js';
import { startSmtp } from '../smtp.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

function workspace(): { dir: string; journal: string; send: (asOf: string, ...more: string[]) => string[]; plan: (asOf: string, ...more: string[]) => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'relance-taches-'));
  for (const f of ['balance.csv', 'reglements.csv', 'clients.csv']) copyFileSync(fixture(`sage100/${f}`), join(dir, f));
  writeFileSync(join(dir, 'relance.yaml'), readFileSync(fixture('relance.yaml'), 'utf8'));
  const journal = join(dir, 'journal.sqlite');
  const files = ['--balance', 'balance.csv', '--payments', 'reglements.csv', '--clients', 'clients.csv', '--journal', journal];
  return { dir, journal, send: (asOf, ...more) => ['send', ...files, '--as-of', asOf, ...more], plan: (asOf, ...more) => ['plan', ...files, '--as-of', asOf, ...more] };
}

const pdfText = (path: string) => execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });

describe('send writes the day\'s letters and records the tasks; fait closes them', () => {
  it('a formal notice: PDF and LRAR task, no litigation before it is posted, the deadline from the posting', { timeout: 120_000 }, async () => {
    const server = await startSmtp();
    closers.push(server.close);
    const w = workspace();
    writeFileSync(join(w.dir, 'relance.yaml'), `${readFileSync(join(w.dir, 'relance.yaml'), 'utf8')}\nmaxExportAgeDays: 120\n`);
    const env = { RELANCE_SMTP_URL: server.url };
    // CTILLEU, 307 days late: relance1, relance2, escalade, then the formal notice.
    for (const d of ['2026-11-16', '2026-11-24', '2026-12-09']) expect((await runCli(w.send(d, '--max', '50'), { cwd: w.dir, env })).code).not.toBe(1);
    // relance2 and escalade go by e-mail + call: the call is a task, with the number to dial.
    const calls = JSON.parse((await runCli(['taches', '--journal', w.journal, '--as-of', '2026-12-09', '--format', 'json', '--client', 'CTILLEU'], { cwd: w.dir })).stdout);
    expect(calls.tasks.map((t: { kind: string; dueOn: string; contact: string; what: string }) => [t.kind, t.dueOn, t.what])).toEqual([
      ['appel', '2026-11-24', 'appeler le 04 65 71 90 37'], ['appel', '2026-12-09', 'appeler le 04 65 71 90 37'],
    ]);
    // A call noted with relance note --call does those call tasks.
    const inputs = ['--balance', 'balance.csv', '--payments', 'reglements.csv', '--clients', 'clients.csv', '--journal', w.journal];
    expect((await runCli(['note', 'CTILLEU', 'appel : le gérant règle la semaine prochaine', '--call', ...inputs, '--as-of', '2026-12-10'], { cwd: w.dir })).code).toBe(0);
    const afterCall = JSON.parse((await runCli(['taches', '--journal', w.journal, '--as-of', '2026-12-10', '--format', 'json', '--client', 'CTILLEU'], { cwd: w.dir })).stdout);
    expect(afterCall.tasks).toEqual([]);
    // --dry-run names the letter it would write, and writes nothing.
    const dry = await runCli(w.send('2026-12-24', '--max', '50', '--dry-run'), { cwd: w.dir, env });
    expect(dry.stdout).toMatch(/^simulation CTILLEU mise en demeure .* ; lettre recommandée AR à poster : courriers\/2026-12-24\/\d+-CTILLEU-mise_en_demeure\.pdf/m);
    expect(existsSync(join(w.dir, 'courriers', '2026-12-24'))).toBe(false);
    const r = await runCli(w.send('2026-12-24', '--max', '50'), { cwd: w.dir, env });
    const med = r.stdout.split('\n').find((l) => l.startsWith('envoyé CTILLEU mise en demeure'))!;
    expect(med).toMatch(/^envoyé CTILLEU mise en demeure .* ; lettre recommandée AR à poster : courriers\/2026-12-24\/\d+-CTILLEU-mise_en_demeure\.pdf \(tâche n° \d+\)/);
    const dir = join(w.dir, 'courriers', '2026-12-24');
    const pdfName = readdirSync(dir).find((f) => f.endsWith('CTILLEU-mise_en_demeure.pdf'))!;
    const pdf = join(dir, pdfName);
    expect(pdfText(pdf)).toMatch(/MISE EN DEMEURE/i);
    expect(pdfText(join(dir, 'a-imprimer.pdf'))).toMatch(/MISE EN DEMEURE/i);
    // lrar.csv: one line per registered letter, in the shape of an online service's import.
    const csv = readFileSync(join(dir, 'lrar.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('reference;societe;civilite;prenom;nom;adresse_1;adresse_2;adresse_3;code_postal;ville;pays;fichier');
    expect(csv.find((l) => l.startsWith('CTILLEU-mise_en_demeure;'))).toMatch(/;\d{5};[^;]+;France;\d+-CTILLEU-mise_en_demeure\.pdf$/);
    // The e-mail copy says the letter is coming, not that it left.
    const mail = server.received.filter((m) => m.to.includes('economat@residence-tilleuls.example')).pop()!;
    expect(mail.mail.text).toContain('Copie par e-mail de la mise en demeure que vous recevrez par lettre recommandée avec accusé de réception');
    expect(mail.mail.text).not.toContain('adressée ce jour');
    // The PDF's SHA-256 is in the journal, with the task.
    const j = Journal.openReadOnly(w.journal);
    const task = loadTasks(j, { open: true }).find((t) => t.clientCode === 'CTILLEU' && t.kind === 'lrar')!;
    j.close();
    expect(task.documents).toEqual([{ path: `courriers/2026-12-24/${pdfName}`, sha256: createHash('sha256').update(readFileSync(pdf)).digest('hex') }]);

    // Not posted: the plan never hands the case over, and says why.
    const late = await runCli(w.plan('2027-01-10', '--format', 'json'), { cwd: w.dir });
    const plan = JSON.parse(late.stdout);
    expect(plan.actions.find((a: { clientCode: string }) => a.clientCode === 'CTILLEU')).toBeUndefined();
    const waiting = plan.waiting.find((x: { clientCode: string }) => x.clientCode === 'CTILLEU');
    expect(waiting.case.waitCode).toBe('lrar-a-poster');
    // Overdue after taskOverdueDays (5): flagged by plan (stderr with JSON) and by taches.
    // The ten oldest are shown (the calls of November come first), the rest counted.
    expect(late.stderr).toMatch(/^\d+ tâches en retard \(relance taches les liste toutes\) :\n {2}tâche en retard n° 1 CGIRAUD : courrier à poster depuis le 16\/11\/2026 \(55 jours, plus de 5\)/m);
    expect(late.stderr).toMatch(/^ {2}… et \d+ autres\.$/m);
    const listed = await runCli(['taches', '--journal', w.journal, '--as-of', '2027-01-10'], { cwd: w.dir });
    expect(listed.stdout).toContain(`n° ${task.id}  24/12/2026  CTILLEU`);
    expect(listed.stdout).toContain(`EN RETARD de 17 jours`);
    expect(listed.stdout).toContain(`une fois faite : relance fait ${task.id} --lrar NUMÉRO`);

    // fait: the LRAR number is required, then kept; the deadline runs from the posting.
    const now = new Date('2027-01-10T10:00:00+01:00');
    const refused = await runCli(['fait', String(task.id), '--journal', w.journal], { cwd: w.dir, now });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--lrar est obligatoire');
    const done = await runCli(['fait', String(task.id), '--lrar', '1A 123 456 7890 1', '--date', '2027-01-05', '--journal', w.journal], { cwd: w.dir, now });
    expect(done.stdout).toBe(`tâche n° ${task.id} faite le 05/01/2027 : CTILLEU Résidence Les Tilleuls, lettre recommandée AR à poster (mise en demeure), LRAR n° 1A12345678901 ; le délai de la mise en demeure court à partir de cet envoi.\n`.replace('Résidence Les Tilleuls', task.clientName));
    const again = await runCli(['fait', String(task.id), '--lrar', '1A12345678901', '--journal', w.journal], { cwd: w.dir, now });
    expect(again.stderr).toContain('est déjà faite, le 05/01/2027, LRAR n° 1A12345678901');
    // Eight days from 05/01/2027: the hand-over comes on 13/01/2027, not before.
    const after = JSON.parse((await runCli(w.plan('2027-01-10', '--format', 'json'), { cwd: w.dir })).stdout);
    const next = after.actions.find((x: { clientCode: string }) => x.clientCode === 'CTILLEU');
    expect(next).toMatchObject({ step: 'contentieux', dueOn: '2027-01-13', case: { step: 'mise_en_demeure', stepOn: '2027-01-05' } });
    // The LRAR number, kept as evidence: in relance client and in the litigation file.
    const files = ['--balance', 'balance.csv', '--payments', 'reglements.csv', '--clients', 'clients.csv', '--journal', w.journal];
    const client = await runCli(['client', 'CTILLEU', ...files, '--as-of', '2027-01-10', '--wide'], { cwd: w.dir, columns: 200 });
    expect(client.stdout).toContain(`n° ${task.id} du 24/12/2026, lettre recommandée AR à poster (mise en demeure) : faite le 05/01/2027, LRAR n° 1A12345678901`);
    const letters = await runCli(w.plan('2027-01-13', '--days', '1', '--letters', 'dossier'), { cwd: w.dir });
    expect(letters.code).toBe(0);
    const written = readdirSync(join(w.dir, 'dossier'));
    const file = written.find((f) => f.endsWith('CTILLEU-contentieux.html'))!;
    expect(readFileSync(join(w.dir, 'dossier', file), 'utf8')).toContain('(lettre recommandée n° 1A12345678901)');
    expect(written).toContain(file.replace(/\.html$/, '.pdf'));
    expect(pdfText(join(w.dir, 'dossier', file.replace(/\.html$/, '.pdf')))).toContain('1A12345678901');
  });

  it('a letter to a client without e-mail: a PDF, a task, and the run says where', { timeout: 60_000 }, async () => {
    const server = await startSmtp();
    closers.push(server.close);
    const w = workspace();
    const r = await runCli(w.send('2026-11-16'), { cwd: w.dir, env: { RELANCE_SMTP_URL: server.url } });
    expect(r.stdout).toMatch(/^à faire CGIRAUD 1re relance .* : courrier à faire par une personne \(pas d'adresse e-mail dans la fiche client\) : courrier à poster : courriers\/2026-11-16\/01-CGIRAUD-relance1\.pdf \(tâche n° 1\) ; ouvre le dossier$/m);
    expect(r.stderr).toContain('courriers à imprimer : courriers/2026-11-16/a-imprimer.pdf\n');
    expect(pdfText(join(w.dir, 'courriers/2026-11-16/01-CGIRAUD-relance1.pdf'))).toContain('Giraud');
    const csv = await runCli(['taches', '--journal', w.journal, '--as-of', '2026-11-16', '--format', 'csv'], { cwd: w.dir });
    expect(csv.stdout.split('\n')[0]).toBe('id,echeance,client,nom,tache,etape,en_retard,jours,a_faire,contact,documents,sha256,dossier');
    expect(csv.stdout).toContain('1,2026-11-16,CGIRAUD,');
    const done = await runCli(['fait', '1', '--note', 'posté au bureau de Vourles', '--journal', w.journal], { cwd: w.dir });
    expect(done.code).toBe(0);
    const empty = await runCli(['taches', '--journal', w.journal, '--as-of', '2026-11-16'], { cwd: w.dir });
    expect(empty.stdout).toBe('Aucune tâche à faire au 16/11/2026.\n');
    // A second run of the day writes nothing again (one message per client per day).
    expect(existsSync(join(w.dir, 'courriers/2026-11-16/a-imprimer-2.pdf'))).toBe(false);
  });
});
