import type { CalendarDate } from './dates.js';
import type { Segment } from './records.js';

/** The reminder steps, in order (DESIGN §3.3). */
export const STEPS = ['preventive', 'relance1', 'relance2', 'escalade', 'mise_en_demeure', 'contentieux'] as const;
export type Step = (typeof STEPS)[number];

/** French names of the steps, for tables and letters. */
export const STEP_LABELS: Record<Step, string> = {
  preventive: 'rappel préventif',
  relance1: '1re relance',
  relance2: '2e relance',
  escalade: 'escalade',
  mise_en_demeure: 'mise en demeure',
  contentieux: 'contentieux',
};

/** How a step reaches the client. */
export const CHANNELS = ['email', 'email+appel', 'lrar+email', 'interne', 'courrier', 'courrier+appel', 'lrar'] as const;
export type Channel = (typeof CHANNELS)[number];

/** French names of the channels. */
export const CHANNEL_LABELS: Record<Channel, string> = {
  email: 'e-mail',
  'email+appel': 'e-mail + appel',
  'lrar+email': 'LRAR + copie e-mail',
  interne: 'transmission interne',
  courrier: 'courrier',
  'courrier+appel': 'courrier + appel',
  lrar: 'LRAR',
};

/** One rung of a ladder: which step, how many days from the due date, by which channel. */
export interface Rung {
  step: Step;
  /** Days after the due date (negative: before it). */
  offsetDays: number;
  channel: Channel;
}

/** A scenario: rungs in step order; a step may be left out. */
export type Ladder = Rung[];

const rung = (step: Step, offsetDays: number, channel: Channel): Rung => ({ step, offsetDays, channel });

/**
 * The default ladders. `standard` is DESIGN §3.3 and serves `nouveau` and
 * `occasionnel`; good payers get the same courteous preventive reminder but later
 * reminders after the due date; chronic late payers get earlier, firmer ones. The
 * formal notice gives 8 days, then litigation.
 */
export const DEFAULT_LADDERS: Record<'standard' | 'bon' | 'chronique', Ladder> = {
  standard: [
    rung('preventive', -5, 'email'),
    rung('relance1', 7, 'email'),
    rung('relance2', 15, 'email+appel'),
    rung('escalade', 30, 'email+appel'),
    rung('mise_en_demeure', 45, 'lrar+email'),
    rung('contentieux', 53, 'interne'),
  ],
  bon: [
    rung('preventive', -5, 'email'),
    rung('relance1', 10, 'email'),
    rung('relance2', 20, 'email+appel'),
    rung('escalade', 40, 'email+appel'),
    rung('mise_en_demeure', 60, 'lrar+email'),
    rung('contentieux', 68, 'interne'),
  ],
  chronique: [
    rung('preventive', -7, 'email'),
    rung('relance1', 3, 'email'),
    rung('relance2', 10, 'email+appel'),
    rung('escalade', 20, 'email+appel'),
    rung('mise_en_demeure', 30, 'lrar+email'),
    rung('contentieux', 38, 'interne'),
  ],
};

/** Which ladder each segment follows by default. */
export const SEGMENT_LADDERS: Record<Segment, string> = {
  bon: 'bon',
  occasionnel: 'standard',
  nouveau: 'standard',
  chronique: 'chronique',
};

/** A step already taken for an invoice (from the journal's per-invoice view). */
export interface SentStep {
  step: Step;
  date: CalendarDate;
}

/**
 * The step that follows `current` in a ladder: the first overdue rung (never the
 * preventive one) whose step comes strictly after `current` in STEPS, so that no step
 * of the ladder is skipped and the tone never goes down, even when the client changed
 * ladder (its segment) since `current` was sent. With `current` null: the ladder's first
 * overdue rung (`relance1` by default). Null at the end of the ladder.
 */
export function nextRung(ladder: Ladder, current: Step | null): Rung | null {
  const from = current === null ? STEPS.indexOf('preventive') : STEPS.indexOf(current);
  return ladder.find((r) => r.step !== 'preventive' && STEPS.indexOf(r.step) > from) ?? null;
}

/** The rung of a step in a ladder, or null when the ladder leaves that step out. */
export function rungOf(ladder: Ladder, step: Step): Rung | null {
  return ladder.find((r) => r.step === step) ?? null;
}

/** The more advanced of two steps. */
export function laterStep(a: Step, b: Step): Step {
  return STEPS.indexOf(a) >= STEPS.indexOf(b) ? a : b;
}

/** The channel to use when the client has no e-mail address: a letter, with the call kept. */
export function withoutEmail(channel: Channel): Channel {
  if (channel === 'email') return 'courrier';
  if (channel === 'email+appel') return 'courrier+appel';
  if (channel === 'lrar+email') return 'lrar';
  return channel;
}
