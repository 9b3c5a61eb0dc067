import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMERCIAUX_OPTIONS } from '../../src/commands/commerciaux-options.js';
import { optionTable } from '../../src/commands/options.js';
import { Journal } from '../../src/journal/journal.js';
import { salesAlertRows } from '../../src/journal/sales-alerts.js';
import { fixture, runCli } from '../helpers.js';
import { startSmtp } from '../smtp.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

function workspace(extraConfig = '') {
  const dir = mkdtempSync(join(tmpdir(), 'relance-commerciaux-'));
  for (const f of ['balance.csv', 'reglements.csv', 'clients.csv']) copyFileSync(fixture(`sage100/${f}`), join(dir, f));
  writeFileSync(join(dir, 'relance.yaml'), `${readFileSync(fixture('relance.yaml'), 'utf8')}\nmaxExportAgeDays: 365\n${extraConfig}`);
  const journal = join(dir, 'journal.sqlite');
  return { dir, journal, inputs: ['--balance', 'balance.csv', '--payments', 'reglements.csv', '--clients', 'clients.csv', '--journal', journal] };
}

const E = (s: string): string => s.replace(/ (?=\d{3},)/g, '\u202f').replace(/ €/g, '\u00a0€');

describe('relance commerciaux: each sales rep, their clients in collection', () => {
  it('prints one digest per rep from the plan, amounts after allocation, next step and date', async () => {
    const w = workspace();
    const server = await startSmtp();
    closers.push(server.close);
    await runCli(['send', ...w.inputs, '--as-of', '2026-11-16'], { cwd: w.dir, env: { RELANCE_SMTP_URL: server.url } });
    const before = readFileSync(w.journal);
    const r = await runCli(['commerciaux', ...w.inputs, '--as-of', '2026-11-20'], { cwd: w.dir });
    expect(r.code).toBe(0);
    expect(readFileSync(w.journal).equals(before)).toBe(true); // read-only without --send
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['Clients en recouvrement par commercial au 20/11/2026 : 9 clients, 3 commerciaux', '']);
    expect(r.stdout).toContain(E('Claire Mercier <claire.mercier@lumen-eclairage.example> : 3 clients en recouvrement, 67 700,00 €\n'));
    expect(r.stdout).toContain(E('  - CMORELE Électricité Générale Morel : 2 400,00 € (1 facture, la plus ancienne à 13 jours de retard) ; 2e relance'));
    expect(r.stdout).toContain('CNUITBL SARL Nuit Blanche Événements');
    expect(r.stdout).toMatch(/CNUITBL .* ; à traiter par une personne \(Contentieux en cours avec l'avocat\)/);

    const json = await runCli(['commerciaux', ...w.inputs, '--as-of', '2026-11-20', '--format', 'json'], { cwd: w.dir });
    const data = JSON.parse(json.stdout) as { asOf: string; reps: { email: string | null; totalCents: number; clients: { clientCode: string; overdueCents: number; step: string; on: string }[] }[] };
    expect(data.asOf).toBe('2026-11-20');
    expect(data.reps.map((r) => r.email)).toEqual(['claire.mercier@lumen-eclairage.example', 'ines.moreau@lumen-eclairage.example', 'thomas.lambert@lumen-eclairage.example']);
    expect(data.reps[0]!.totalCents).toBe(6_770_000);
    expect(data.reps[2]!.clients.find((c) => c.clientCode === 'CMORELE')).toMatchObject({ overdueCents: 240_000, step: 'relance2' });

    const bad = await runCli(['commerciaux', ...w.inputs, '--as-of', '2026-11-20', '--format', 'csv'], { cwd: w.dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('relance: erreur : format inconnu pour --format : « csv ».\nconseil : valeurs possibles : text, json.\n');
  }, 30_000);

  it('--send mails each rep their digest, journaled: never twice the same day', async () => {
    const w = workspace();
    const server = await startSmtp();
    closers.push(server.close);
    const env = { RELANCE_SMTP_URL: server.url };
    await runCli(['send', ...w.inputs, '--as-of', '2026-11-16'], { cwd: w.dir, env });
    const sentBefore = server.received.length;
    const r = await runCli(['commerciaux', ...w.inputs, '--as-of', '2026-11-20', '--send'], { cwd: w.dir, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(E('\nenvoyé claire.mercier@lumen-eclairage.example : récapitulatif de 3 clients « [Interne] Vos clients en recouvrement au 20/11/2026 : 3 clients, 67 700,00 € »\n'));
    const digests = server.received.slice(sentBefore);
    expect(digests.map((m) => m.to[0])).toEqual(['claire.mercier@lumen-eclairage.example', 'ines.moreau@lumen-eclairage.example', 'thomas.lambert@lumen-eclairage.example']);
    const claire = digests[0]!.mail;
    expect(claire.text).toContain('Bonjour Claire Mercier,');
    expect(claire.text).toContain(E('- CBELLEC Hôtel Bellecour SAS : 45 000,00 €'));
    expect(claire.text).toContain('répondez à ce message');
    expect(claire.html).toContain('<td style="padding: 4px 12px 4px 0;">CBELLEC</td>');

    const again = await runCli(['commerciaux', ...w.inputs, '--as-of', '2026-11-20', '--send'], { cwd: w.dir, env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('ignoré claire.mercier@lumen-eclairage.example : récapitulatif déjà envoyé le 20/11/2026 (journal) : un seul par jour\n');
    expect(server.received.length).toBe(sentBefore + 3);
    const j = Journal.openReadOnly(w.journal);
    expect(salesAlertRows(j).map((x) => [x.clientCode, x.step, x.plannedOn, x.status])).toEqual([
      ['commercial:claire.mercier@lumen-eclairage.example', 'recapitulatif', '2026-11-20', 'envoye'],
      ['commercial:ines.moreau@lumen-eclairage.example', 'recapitulatif', '2026-11-20', 'envoye'],
      ['commercial:thomas.lambert@lumen-eclairage.example', 'recapitulatif', '2026-11-20', 'envoye'],
    ]);
    j.close();

    // salesAlerts.enabled: false: the digest is printed, nothing is sent.
    const off = workspace('salesAlerts:\n  enabled: false\n');
    await runCli(['send', ...off.inputs, '--as-of', '2026-11-16'], { cwd: off.dir, env });
    const n = server.received.length;
    const quiet = await runCli(['commerciaux', ...off.inputs, '--as-of', '2026-11-20', '--send'], { cwd: off.dir, env });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toContain("salesAlerts.enabled: false dans la configuration : aucun récapitulatif n'est envoyé, il est seulement affiché.\n");
    expect(quiet.stdout).toContain('Clients en recouvrement par commercial au 20/11/2026');
    expect(server.received.length).toBe(n);
  }, 30_000);
  it('--send without RELANCE_SMTP_URL is refused before anything is read or sent; one option table for help and README', async () => {
    const w = workspace();
    const r = await runCli(['commerciaux', ...w.inputs, '--as-of', '2026-11-20', '--send'], { cwd: w.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^relance: erreur : la variable d'environnement RELANCE_SMTP_URL n'est pas définie : aucun récapitulatif n'a été envoyé\.\nconseil : /);
    expect(optionTable(COMMERCIAUX_OPTIONS).split('\n')).toContain('| `--journal <fichier>` | journal SQLite (défaut : RELANCE_JOURNAL, sinon la clé journal) |');
    const help = await runCli(['help', 'commerciaux']);
    expect(help.stdout).toContain('--send');
    expect(help.stdout).toContain('sortie : text ou json (défaut : "text")');
  });
});
