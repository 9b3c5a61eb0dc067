import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Journal, type NewAction } from '../../src/journal/journal.js';
import { MIGRATIONS } from '../../src/journal/migrations.js';
import { item } from '../builders.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'relance-journal-')), 'relance.sqlite');
const action = (over: Partial<NewAction> = {}): NewAction => ({
  clientCode: 'C1', clientName: 'Client 1', step: 'relance1', channel: 'email', actionDate: '2026-11-16', createdAt: '2026-11-16T08:00:00.000Z',
  status: 'envoi', recipients: 'compta@client1.example', cc: '', subject: 'Relance', amountCents: 100_000, costCents: 5,
  messageId: '<m1@example>', sha256: 'ab'.repeat(32), invoices: [{ ref: 'FA1', step: 'relance1', openCents: 100_000, dueDate: '2026-10-31' }], ...over,
});

describe('the journal (a real SQLite file)', () => {
  it('applies its numbered migrations once, and opening it again changes nothing', () => {
    const path = fresh();
    const j = Journal.open(path);
    expect(j.versions()).toEqual(MIGRATIONS.map((m) => m.version));
    expect(j.migrate()).toEqual([]);
    j.close();
    const again = Journal.open(path);
    expect(again.versions()).toEqual(MIGRATIONS.map((m) => m.version));
    again.close();
    const rows = new Database(path).prepare('SELECT version, name FROM schema_migrations').all();
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
  });

  it('remembers the steps taken per invoice, but not the failed ones', () => {
    const j = Journal.open(fresh());
    const sent = j.record(action());
    j.settle(sent, 'envoye');
    const failed = j.record(action({ step: 'relance2', actionDate: '2026-11-24', invoices: [{ ref: 'FA1', step: 'relance2', openCents: 100_000, dueDate: '2026-10-31' }] }));
    j.settle(failed, 'echec', 'boîte pleine');
    expect(j.sentSteps()).toEqual(new Map([['FA1', [{ step: 'relance1', date: '2026-11-16' }]]]));
    expect(j.actions({}).map((a) => [a.step, a.status, a.error])).toEqual([['relance1', 'envoye', null], ['relance2', 'echec', 'boîte pleine']]);
    j.close();
  });

  it('knows which clients were contacted on a day', () => {
    const j = Journal.open(fresh());
    j.settle(j.record(action()), 'envoye');
    j.record(action({ clientCode: 'C2', status: 'a_faire', channel: 'courrier' }));
    expect([...j.clientsContactedOn('2026-11-16')]).toEqual(['C1']);
    expect([...j.clientsContactedOn('2026-11-17')]).toEqual([]);
    j.close();
  });

  it('turns an action left "being sent" by a killed run into an uncertain one that still counts as sent', () => {
    const path = fresh();
    const killed = Journal.open(path);
    killed.record(action()); // the process died before settle()
    killed.close();
    const next = Journal.open(path);
    const uncertain = next.resolveInterrupted();
    expect(uncertain.map((a) => [a.clientCode, a.status])).toEqual([['C1', 'incertain']]);
    expect(next.sentSteps().get('FA1')).toEqual([{ step: 'relance1', date: '2026-11-16' }]);
    expect(next.resolveInterrupted()).toEqual([]);
    next.close();
  });

  it('filters the listing by client, step and dates', () => {
    const j = Journal.open(fresh());
    j.record(action({ status: 'envoye' }));
    j.record(action({ clientCode: 'C2', step: 'relance2', actionDate: '2026-11-20', status: 'envoye' }));
    expect(j.actions({ client: 'C2' }).map((a) => a.clientCode)).toEqual(['C2']);
    expect(j.actions({ step: 'relance1' }).map((a) => a.clientCode)).toEqual(['C1']);
    expect(j.actions({ from: '2026-11-17', to: '2026-11-30' }).map((a) => a.clientCode)).toEqual(['C2']);
    j.close();
  });

  it('keeps one aged-balance snapshot per date and source, with aging buckets per client', () => {
    const j = Journal.open(fresh());
    const items = [item({ openCents: 100_000, dueDate: '2026-11-20' }), item({ ref: 'FA2', openCents: 50_000, dueDate: '2026-09-01' }), item({ clientCode: 'C2', ref: 'FA3', openCents: 20_000, dueDate: '2026-11-01' })];
    j.recordSnapshot('2026-11-16', 'balance.csv', items, '2026-11-16T08:00:00Z');
    j.recordSnapshot('2026-11-16', 'balance.csv', items, '2026-11-16T09:00:00Z');
    expect(j.snapshots()).toEqual([{ asOf: '2026-11-16', source: 'balance.csv', totalCents: 170_000, overdueCents: 70_000, clients: 2 }]);
    j.close();
  });
});

