/**
 * The debtor's identity for a court: its SIREN (from a SIREN or a SIRET, checked with
 * the Luhn key), its legal form (normalised from what the clients file writes), and the
 * court and Cerfa form of a request for an injonction de payer (art. 1405 s. CPC).
 */

/** Why a SIREN or SIRET cell is not one. */
export type SirenProblem = 'longueur' | 'cle';

/** A SIREN read from a SIREN (9 digits) or a SIRET (14 digits: SIREN + NIC). */
export type SirenReading = { ok: true; siren: string; siret: string | null } | { ok: false; problem: SirenProblem; digits: string };

/** The Luhn check every SIREN and SIRET passes (INSEE). */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * The SIREN of a cell: 9 digits, or a SIRET of 14 whose first 9 are the SIREN; spaces,
 * dots and dashes ignored. The Luhn key is checked on the SIREN, and on the whole SIRET
 * except for La Poste's establishments (SIREN 356000000), whose SIRET uses another key.
 */
export function readSiren(text: string): SirenReading {
  const digits = text.replace(/[\s.\-\u00a0\u202f]/g, '');
  if (!/^\d+$/.test(digits) || (digits.length !== 9 && digits.length !== 14)) return { ok: false, problem: 'longueur', digits };
  const siren = digits.slice(0, 9);
  if (!passesLuhn(siren)) return { ok: false, problem: 'cle', digits };
  if (digits.length === 14 && siren !== '356000000' && !passesLuhn(digits)) return { ok: false, problem: 'cle', digits };
  return { ok: true, siren, siret: digits.length === 14 ? digits : null };
}

/** « 552 100 554 ». */
export function formatSiren(siren: string): string {
  return siren.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3');
}

/**
 * How a legal form stands before the courts: `commerciale` (a société commerciale by its
 * form, Code de commerce L210-1), `civile` (société civile, association: never a
 * commerçant), `a_verifier` (an EI, a GIE or a société d'exercice libéral: it depends on
 * the activity).
 */
export type LegalFormKind = 'commerciale' | 'civile' | 'a_verifier';

/** A legal form, normalised. */
export interface LegalForm {
  /** Its usual abbreviation: SARL, SAS, EI, SCI, association… */
  code: string;
  /** Its name in full, for the litigation file. */
  label: string;
  kind: LegalFormKind;
}

const FORMS: { code: string; label: string; kind: LegalFormKind; names: string[] }[] = [
  { code: 'SARL', label: 'société à responsabilité limitée', kind: 'commerciale', names: ['sarl', 'societe a responsabilite limitee'] },
  { code: 'EURL', label: 'entreprise unipersonnelle à responsabilité limitée', kind: 'commerciale', names: ['eurl', 'sarlu', 'sarl unipersonnelle', 'entreprise unipersonnelle a responsabilite limitee'] },
  { code: 'SASU', label: 'société par actions simplifiée unipersonnelle', kind: 'commerciale', names: ['sasu', 'sas unipersonnelle', 'societe par actions simplifiee unipersonnelle'] },
  { code: 'SAS', label: 'société par actions simplifiée', kind: 'commerciale', names: ['sas', 'societe par actions simplifiee'] },
  { code: 'SA', label: 'société anonyme', kind: 'commerciale', names: ['sa', 'societe anonyme', 'sa a conseil d administration', 'sa a directoire'] },
  { code: 'SNC', label: 'société en nom collectif', kind: 'commerciale', names: ['snc', 'societe en nom collectif'] },
  { code: 'SCS', label: 'société en commandite simple', kind: 'commerciale', names: ['scs', 'societe en commandite simple'] },
  { code: 'SCA', label: 'société en commandite par actions', kind: 'commerciale', names: ['sca', 'societe en commandite par actions'] },
  { code: 'SELARL', label: "société d'exercice libéral à responsabilité limitée", kind: 'a_verifier', names: ['selarl', 'selurl', 'societe d exercice liberal a responsabilite limitee'] },
  { code: 'SELAS', label: "société d'exercice libéral par actions simplifiée", kind: 'a_verifier', names: ['selas', 'selasu', 'societe d exercice liberal par actions simplifiee'] },
  { code: 'EI', label: 'entreprise individuelle', kind: 'a_verifier', names: ['ei', 'eirl', 'entreprise individuelle', 'micro entreprise', 'microentreprise', 'auto entrepreneur', 'autoentrepreneur', 'micro entrepreneur', 'entrepreneur individuel'] },
  { code: 'GIE', label: "groupement d'intérêt économique", kind: 'a_verifier', names: ['gie', 'groupement d interet economique'] },
  { code: 'SCI', label: 'société civile immobilière', kind: 'civile', names: ['sci', 'societe civile immobiliere'] },
  { code: 'SCP', label: 'société civile professionnelle', kind: 'civile', names: ['scp', 'societe civile professionnelle'] },
  { code: 'SCM', label: 'société civile de moyens', kind: 'civile', names: ['scm', 'societe civile de moyens'] },
  { code: 'SCEA', label: "société civile d'exploitation agricole", kind: 'civile', names: ['scea', 'societe civile d exploitation agricole'] },
  { code: 'GAEC', label: "groupement agricole d'exploitation en commun", kind: 'civile', names: ['gaec', 'groupement agricole d exploitation en commun'] },
  { code: 'SC', label: 'société civile', kind: 'civile', names: ['sc', 'societe civile'] },
  { code: 'association', label: 'association (loi 1901)', kind: 'civile', names: ['association', 'association loi 1901', 'asso', 'association declaree'] },
];

const FORM_BY_NAME = new Map(FORMS.flatMap((f) => f.names.map((n) => [n, f] as const)));

/**
 * The legal form a cell names: « S.A.R.L. », « Sarl », « SAS au capital de… » are the
 * SARL and the SAS; null when the text names no form we know (the file then says so, it
 * does not guess). Abbreviations are read with or without dots; the words after a known
 * form (capital, « unipersonnelle ») are tried longest first.
 */
export function normaliseLegalForm(text: string): LegalForm | null {
  const words = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    // S.A.R.L. → sarl; « d'exercice » → « d exercice »
    .replace(/\b((?:[a-z]\.){2,})/g, (m) => m.replace(/\./g, ''))
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  for (let n = words.length; n >= 1; n--) {
    const form = FORM_BY_NAME.get(words.slice(0, n).join(' '));
    if (form) return { code: form.code, label: form.label, kind: form.kind };
  }
  return null;
}

/** The court of a request for an injonction de payer, as far as the data tells. */
export type Court = 'tribunal_de_commerce' | 'tribunal_judiciaire';

/** The court and Cerfa form of a request for an injonction de payer, and what to check. */
export interface CourtChoice {
  /** Null when the data does not tell (unknown form, an EI): the file says what decides. */
  court: Court | null;
  /** Cerfa 12946 (tribunal de commerce) or 12948 (tribunal judiciaire); null with the court. */
  cerfa: '12946' | '12948' | null;
  /** Why, in French, citing the article. */
  reason: string;
  /** What to check before filing, in French; null when nothing is left to check. */
  check: string | null;
}

/**
 * Where to file an injonction de payer (art. 1406 CPC: the court that would hear the
 * claim): the tribunal de commerce for a claim against a société commerciale or between
 * commerçants (Code de commerce L721-3), Cerfa 12946; otherwise the tribunal judiciaire
 * (or its chambre de proximité), Cerfa 12948. A consumer, a société civile or an
 * association is never before the tribunal de commerce. An EI depends on whether it is
 * a commerçant (RCS) or an artisan, a profession libérale, a farmer; an unknown form is
 * said to be unknown, never guessed.
 */
export function courtFor(debtor: { consumer: boolean; legalForm: LegalForm | null; legalFormText: string | null }): CourtChoice {
  const judiciaire = (reason: string, check: string | null = null): CourtChoice => ({ court: 'tribunal_judiciaire', cerfa: '12948', reason, check });
  if (debtor.consumer) {
    return judiciaire(
      'le débiteur est un particulier (consommateur) : tribunal judiciaire, ou sa chambre de proximité',
      "le domicile du débiteur : c'est le tribunal judiciaire de ce domicile (article 1406 du Code de procédure civile)",
    );
  }
  const form = debtor.legalForm;
  if (!form) {
    return {
      court: null,
      cerfa: null,
      reason: debtor.legalFormText
        ? `forme juridique non reconnue (« ${debtor.legalFormText} ») : le tribunal compétent ne peut pas être déterminé`
        : 'forme juridique inconnue (absente du fichier clients) : le tribunal compétent ne peut pas être déterminé',
      check: "la forme juridique, sur l'extrait Kbis ou l'avis de situation SIRENE : société commerciale (SARL, SAS, SA, SNC…) ou commerçant inscrit au RCS → tribunal de commerce, Cerfa 12946 ; société civile, association, artisan, profession libérale → tribunal judiciaire, Cerfa 12948",
    };
  }
  if (form.kind === 'commerciale') {
    return {
      court: 'tribunal_de_commerce',
      cerfa: '12946',
      reason: `${form.code} (${form.label}) : société commerciale par sa forme (article L210-1 du Code de commerce), le tribunal de commerce connaît des contestations qui la concernent (article L721-3 du Code de commerce)`,
      check: "le siège social du débiteur, sur l'extrait Kbis : c'est le tribunal de commerce de ce siège (article 1406 du Code de procédure civile)",
    };
  }
  if (form.kind === 'civile') {
    return judiciaire(
      `${form.code === 'association' ? 'association' : `${form.code} (${form.label})`} : ni commerçant ni société commerciale, le tribunal de commerce n'est pas compétent (article L721-3 du Code de commerce a contrario) ; tribunal judiciaire, ou sa chambre de proximité`,
      "le siège du débiteur : c'est le tribunal judiciaire de ce siège (article 1406 du Code de procédure civile)",
    );
  }
  if (form.code === 'EI') {
    return {
      court: null,
      cerfa: null,
      reason: "entreprise individuelle : le tribunal dépend de l'activité du débiteur",
      check: "l'activité et l'inscription du débiteur, sur l'avis de situation SIRENE ou le registre national des entreprises : commerçant inscrit au RCS → tribunal de commerce, Cerfa 12946 (article L721-3 du Code de commerce) ; artisan, profession libérale, agriculteur → tribunal judiciaire, Cerfa 12948",
    };
  }
  return {
    court: null,
    cerfa: null,
    reason: `${form.code} (${form.label}) : société civile ou commerciale selon son objet, le tribunal compétent ne se déduit pas de la forme`,
    check: "l'objet et l'immatriculation, sur l'extrait Kbis : activité commerciale → tribunal de commerce, Cerfa 12946 ; activité civile (profession libérale…) → tribunal judiciaire, Cerfa 12948",
  };
}

/** French names of the courts. */
export const COURT_LABELS: Record<Court, string> = {
  tribunal_de_commerce: 'tribunal de commerce',
  tribunal_judiciaire: 'tribunal judiciaire',
};
