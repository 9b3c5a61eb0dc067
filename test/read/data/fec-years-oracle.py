#!/usr/bin/env python3
"""Independent figures for the two-year FEC pair of fixtures/fec-years (standard library only).

    python3 test/read/data/fec-years-oracle.py > test/read/data/fec-years-oracle.json

Reads the two FEC files as text and computes, at a few as-of dates, each client's open
items and what it owes once unapplied credits are allocated, by these rules (DESIGN §2.2
item 2 and §2.4), written here without the TypeScript code:
- customer lines are those of accounts 411*; a client is its auxiliary account
  (CompAuxNum), else its account; amount = Debit - Credit;
- the 2026 opening lines (journal AN) are dropped, 2025's detail stands for them; a
  lettered opening line passes its letter to the 2025 lines it restates: a line of the
  same piece and amount, else (when all the client's opening lines carry the same letter
  and add up to what 2025 leaves open for the client) all of 2025's open lines of the
  client, else a 2025 open line of the same amount;
- a lettering group is (client, letter) over both files; at an as-of date its lines up to
  that date are netted: the group's credits settle its debits oldest first, what is left
  of a debit is open, credit left over stays on the latest credit lines;
- a client's unapplied credits (negative open items) then settle its invoices oldest due
  date (DateLimitReglmt) first; an invoice is overdue when its due date is before the
  as-of date.
"""
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
FILES = ['fixtures/fec-years/900000001FEC20251231.txt', 'fixtures/fec-years/900000001FEC20261231.txt']
AS_OF = ['20251231', '20260131', '20260228', '20260331', '20260430']


def cents(text):
    text = text.strip().replace(',', '.')
    if not text:
        return 0
    whole, _, frac = text.partition('.')
    return int(whole) * 100 + int((frac + '00')[:2])


def read(path):
    rows = []
    lines = (ROOT / path).read_text(encoding='utf-8').splitlines()
    head = lines[0].split('\t')
    for n, text in enumerate(lines[1:], start=2):
        r = dict(zip(head, text.split('\t')))
        if not r['CompteNum'].startswith('411'):
            continue
        rows.append({
            'file': path, 'line': n, 'journal': r['JournalCode'], 'client': r['CompAuxNum'] or r['CompteNum'],
            'ref': r['PieceRef'], 'date': r['EcritureDate'], 'due': r.get('DateLimitReglmt', ''),
            'cents': cents(r['Debit']) - cents(r['Credit']), 'letter': r['EcritureLet'],
        })
    return rows


def net(rows):
    """FIFO netting of one group's rows: list of (row, open cents)."""
    rows = sorted(rows, key=lambda r: (r['date'], r['file'], r['line']))
    credit = -sum(r['cents'] for r in rows if r['cents'] < 0)
    out = []
    for r in rows:
        if r['cents'] > 0:
            used = min(credit, r['cents'])
            credit -= used
            if r['cents'] - used:
                out.append((r, r['cents'] - used))
    for r in reversed(rows):
        if credit == 0:
            break
        if r['cents'] < 0:
            part = min(credit, -r['cents'])
            credit -= part
            out.append((r, -part))
    return out


def open_rows(rows, as_of):
    groups = {}
    out = []
    for r in rows:
        if r['date'] > as_of:
            continue
        if r['letter']:
            groups.setdefault((r['client'], r['letter']), []).append(r)
        elif r['cents']:
            out.append((r, r['cents']))
    for g in groups.values():
        out.extend(net(g))
    return out


first, second = (read(f) for f in FILES)
# What 2025 leaves open, by client, and how the 2026 opening lines map onto it.
left_2025 = {}
for r, c in open_rows(first, '99991231'):
    left_2025.setdefault(r['client'], []).append([r, c, False])
openings = [r for r in second if r['journal'] == 'AN']
letter_of = {}  # id(row of 2025) -> letter given by an opening line
regroup = {}  # (client, letter of 2025) -> letter of 2026
def give(entry, letter):
    entry[2] = True
    row = entry[0]
    if not letter:
        return
    if row['letter']:
        regroup[(row['client'], row['letter'])] = letter
    else:
        letter_of[id(row)] = letter
rest = []
for o in openings:
    same = [e for e in left_2025.get(o['client'], []) if not e[2] and e[0]['ref'] == o['ref'] and e[1] == o['cents']]
    if same:
        give(same[0], o['letter'])
    else:
        rest.append(o)
by_client = {}
for o in rest:
    by_client.setdefault(o['client'], []).append(o)
single = []
for client, os in by_client.items():
    free = [e for e in left_2025.get(client, []) if not e[2]]
    letters = {o['letter'] for o in os}
    if len(letters) == 1 and '' not in letters and free and sum(o['cents'] for o in os) == sum(e[1] for e in free):
        for e in free:
            give(e, os[0]['letter'])
    else:
        single.extend(o for o in os if o['letter'])
for o in single:
    free = sorted((e for e in left_2025.get(o['client'], []) if not e[2] and e[1] == o['cents']), key=lambda e: e[0]['date'])
    if free:
        give(free[0], o['letter'])

ledger = []
for r in first:
    letter = letter_of.get(id(r)) or regroup.get((r['client'], r['letter']), r['letter'])
    ledger.append({**r, 'letter': letter})
ledger.extend(r for r in second if r['journal'] != 'AN')


def iso(d):
    return f'{d[:4]}-{d[4:6]}-{d[6:]}'


result = {'files': FILES, 'as_of': {}}
for as_of in AS_OF:
    clients = {}
    for r, c in open_rows(ledger, as_of):
        clients.setdefault(r['client'], []).append((r, c))
    out = {}
    for client in sorted(clients):
        items = clients[client]
        credit = -sum(c for _, c in items if c < 0)
        invoices = sorted((x for x in items if x[1] > 0), key=lambda x: (x[0]['due'] or '99991231', x[0]['date'], x[0]['ref']))
        owed = []
        for r, c in invoices:
            used = min(credit, c)
            credit -= used
            if c - used:
                owed.append((r, c - used))
        overdue = sum(c for r, c in owed if r['due'] and r['due'] < as_of)
        out[client] = {
            'balance_cents': sum(c for _, c in items),
            'open_items': sorted([r['ref'], c] for r, c in items),
            'owed': [[r['ref'], c] for r, c in owed],
            'overdue_cents': overdue,
            'not_due_cents': sum(c for _, c in owed) - overdue - credit,
            'leftover_credit_cents': credit,
        }
    result['as_of'][iso(as_of)] = out
print(json.dumps(result, indent=1, ensure_ascii=False))
