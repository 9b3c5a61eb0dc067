/**
 * The journal's schema, as numbered migrations. Each runs once, in a transaction, and
 * is recorded in `schema_migrations`; opening a journal applies those not yet applied.
 * Never edit a migration that has shipped: add the next one.
 */
export const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'actions, invoices of each action, aged-balance snapshots',
    sql: `
      CREATE TABLE actions (
        id INTEGER PRIMARY KEY,
        client_code TEXT NOT NULL,
        client_name TEXT NOT NULL,
        step TEXT NOT NULL,
        channel TEXT NOT NULL,
        action_date TEXT NOT NULL,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('envoi', 'envoye', 'echec', 'incertain', 'a_faire')),
        recipients TEXT NOT NULL DEFAULT '',
        cc TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        amount_cents INTEGER NOT NULL,
        cost_cents INTEGER NOT NULL DEFAULT 0,
        message_id TEXT,
        sha256 TEXT,
        error TEXT
      );
      CREATE INDEX actions_by_client_date ON actions (client_code, action_date);
      CREATE TABLE action_invoices (
        action_id INTEGER NOT NULL REFERENCES actions (id),
        ref TEXT NOT NULL,
        step TEXT NOT NULL,
        open_cents INTEGER NOT NULL,
        due_date TEXT,
        PRIMARY KEY (action_id, ref)
      );
      CREATE INDEX action_invoices_by_ref ON action_invoices (ref);
      CREATE TABLE snapshots (
        id INTEGER PRIMARY KEY,
        as_of TEXT NOT NULL,
        source TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        total_cents INTEGER NOT NULL,
        overdue_cents INTEGER NOT NULL,
        UNIQUE (as_of, source)
      );
      CREATE TABLE snapshot_clients (
        snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
        client_code TEXT NOT NULL,
        balance_cents INTEGER NOT NULL,
        not_due_cents INTEGER NOT NULL,
        d1_30_cents INTEGER NOT NULL,
        d31_60_cents INTEGER NOT NULL,
        d61_90_cents INTEGER NOT NULL,
        d91_cents INTEGER NOT NULL,
        PRIMARY KEY (snapshot_id, client_code)
      );
    `,
  },
];
