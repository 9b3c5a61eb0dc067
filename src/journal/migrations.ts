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
  {
    version: 2,
    name: 'case follow-up: promises, disputes, payment plans, notes and calls, pauses, write-offs, settlements',
    sql: `
      CREATE TABLE promises (
        id INTEGER PRIMARY KEY,
        client_code TEXT NOT NULL,
        refs TEXT NOT NULL,
        promised_on TEXT NOT NULL,
        amount_cents INTEGER,
        created_on TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE disputes (
        id INTEGER PRIMARY KEY,
        ref TEXT NOT NULL,
        client_code TEXT NOT NULL,
        reason TEXT NOT NULL,
        opened_on TEXT NOT NULL,
        closed_on TEXT,
        credit_note INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE INDEX disputes_by_ref ON disputes (ref);
      CREATE TABLE payment_plans (
        id INTEGER PRIMARY KEY,
        client_code TEXT NOT NULL,
        refs TEXT NOT NULL,
        total_cents INTEGER NOT NULL,
        down_payment_cents INTEGER NOT NULL,
        mode TEXT NOT NULL,
        created_on TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE plan_instalments (
        plan_id INTEGER NOT NULL REFERENCES payment_plans (id),
        number INTEGER NOT NULL,
        due_on TEXT NOT NULL,
        amount_cents INTEGER NOT NULL,
        PRIMARY KEY (plan_id, number)
      );
      CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        client_code TEXT NOT NULL,
        noted_on TEXT NOT NULL,
        text TEXT NOT NULL,
        is_call INTEGER NOT NULL DEFAULT 0,
        minutes INTEGER,
        cost_cents INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE TABLE pauses (
        id INTEGER PRIMARY KEY,
        client_code TEXT NOT NULL,
        until TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_on TEXT NOT NULL,
        resumed_on TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE writeoffs (
        id INTEGER PRIMARY KEY,
        ref TEXT NOT NULL UNIQUE,
        client_code TEXT NOT NULL,
        reason TEXT NOT NULL,
        amount_cents INTEGER NOT NULL,
        written_on TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE known_invoices (
        ref TEXT PRIMARY KEY,
        client_code TEXT NOT NULL,
        due_date TEXT,
        open_cents INTEGER NOT NULL,
        first_seen_on TEXT NOT NULL,
        last_seen_on TEXT NOT NULL,
        settled_on TEXT
      );
    `,
  },
  {
    version: 3,
    name: 'corrections: cancelled and replaced promises, plans, pauses and disputes; litigation closures',
    // Corrections never delete: a cancelled or replaced record keeps its row, with the
    // date it stopped counting, why, and the record that replaced it.
    sql: `
      ALTER TABLE promises ADD COLUMN cancelled_on TEXT;
      ALTER TABLE promises ADD COLUMN cancel_reason TEXT;
      ALTER TABLE promises ADD COLUMN replaced_by INTEGER REFERENCES promises (id);
      ALTER TABLE payment_plans ADD COLUMN cancelled_on TEXT;
      ALTER TABLE payment_plans ADD COLUMN cancel_reason TEXT;
      ALTER TABLE payment_plans ADD COLUMN replaced_by INTEGER REFERENCES payment_plans (id);
      ALTER TABLE pauses ADD COLUMN cancelled_on TEXT;
      ALTER TABLE pauses ADD COLUMN cancel_reason TEXT;
      ALTER TABLE pauses ADD COLUMN replaced_by INTEGER REFERENCES pauses (id);
      ALTER TABLE disputes ADD COLUMN replaced_by INTEGER REFERENCES disputes (id);
      CREATE TABLE litigation_closures (
        id INTEGER PRIMARY KEY,
        client_code TEXT NOT NULL,
        handover_action_id INTEGER NOT NULL UNIQUE REFERENCES actions (id),
        handed_over_on TEXT NOT NULL,
        closed_on TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('paye', 'abandon', 'perte')),
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX litigation_closures_by_client ON litigation_closures (client_code, closed_on);
    `,
  },
  {
    version: 4,
    name: 'French law: signed payment plans (acknowledgement, Code civil 2240) and collective proceedings',
    // A signed payment plan is an acknowledgement of the debt: it interrupts
    // prescription (Code civil art. 2240), the bar date restarts from its signature.
    // A collective proceeding (sauvegarde, redressement, liquidation) stops every
    // reminder to the client and opens the claim's declaration deadline (L622-24).
    sql: `
      ALTER TABLE payment_plans ADD COLUMN signed_on TEXT;
      CREATE TABLE procedures (
        id INTEGER PRIMARY KEY,
        client_code TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('sauvegarde', 'redressement', 'liquidation')),
        judgment_on TEXT NOT NULL,
        bodacc_on TEXT,
        administrator TEXT,
        opened_on TEXT NOT NULL,
        closed_on TEXT,
        close_reason TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX procedures_by_client ON procedures (client_code, judgment_on);
    `,
  },
  {
    version: 5,
    name: 'tasks a person must do (letters to post, LRAR, calls, hand-overs, declarations) and the sales reps\' alerts',
    // Every action a person must do is a task: its documents (the PDFs written, with
    // their SHA-256 as evidence), its due date and its status; the LRAR number is kept
    // when the task is done. An alert to the sales rep is sent once per client and step.
    sql: `
      CREATE TABLE tasks (
        id INTEGER PRIMARY KEY,
        action_id INTEGER REFERENCES actions (id),
        client_code TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('courrier', 'lrar', 'appel', 'contentieux', 'declaration')),
        due_on TEXT NOT NULL,
        documents TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL DEFAULT 'a_faire' CHECK (status IN ('a_faire', 'fait')),
        done_on TEXT,
        lrar_number TEXT,
        note TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX tasks_by_status ON tasks (status, due_on);
      CREATE INDEX tasks_by_client ON tasks (client_code);
      CREATE TABLE sales_alerts (
        id INTEGER PRIMARY KEY,
        client_code TEXT NOT NULL,
        step TEXT NOT NULL,
        planned_on TEXT NOT NULL,
        recipient TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('envoi', 'envoye', 'echec', 'incertain')),
        message_id TEXT,
        sha256 TEXT,
        error TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (client_code, step, planned_on)
      );
    `,
  },
  {
    version: 6,
    name: 'tasks: the contact (number to call, address to write to) and the case summary at creation',
    // What a person needs to do the task without the exports at hand: the number to
    // call or the postal address, and where the case stood when the task was created.
    sql: `
      ALTER TABLE tasks ADD COLUMN contact TEXT;
      ALTER TABLE tasks ADD COLUMN summary TEXT;
    `,
  },
  {
    version: 7,
    name: 'imported_reminders: the reminders an accounting export says it sent (Sage 100), so that the ladder goes on from them',
    // Recorded by send from the ledger exports it read (Sage 100's « nombre de rappels » and
    // « date relance »); the same reminder read again is not recorded twice.
    sql: `
      CREATE TABLE imported_reminders (
        client_code TEXT NOT NULL,
        ref TEXT NOT NULL,
        count INTEGER NOT NULL,
        last_date TEXT NOT NULL,
        source TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        PRIMARY KEY (client_code, ref, count, last_date)
      );
    `,
  },
];
