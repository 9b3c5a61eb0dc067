import { normaliseHeader } from './dialect.js';
import type { ProfileId } from './profile-ids.js';

/** The three kinds of tabular export relance reads. */
export type TabularKind = 'balance' | 'payments' | 'clients';

/** French names of the kinds, for messages. */
export const KIND_LABELS: Record<TabularKind, string> = {
  balance: 'balance âgée (créances ouvertes)',
  payments: 'liste des règlements',
  clients: 'fichier clients',
};

/** What a file of each kind is, in a sentence (« ce fichier est une liste de règlements »). */
export const KIND_NOUNS: Record<TabularKind, string> = {
  balance: 'une balance âgée',
  payments: 'une liste de règlements',
  clients: 'un fichier clients',
};

/** The flag that gives a file of each kind. */
export const KIND_FLAGS: Record<TabularKind, string> = {
  balance: '--balance',
  payments: '--payments',
  clients: '--clients',
};

/** Typical column names of each kind, shown when no header is recognised. */
export const KIND_EXAMPLES: Record<TabularKind, string> = {
  balance: 'Code client, N° pièce, Date pièce, Échéance, Montant, Solde',
  payments: 'Code client, Date de règlement, Montant, N° facture',
  clients: 'Code client, Nom, E-mail, Conditions de règlement',
};

/** Canonical fields a column can feed, per kind. */
export const FIELDS = {
  balance: [
    'clientCode', 'clientName', 'ref', 'docDate', 'dueDate', 'label', 'originalAmount', 'openAmount',
    'debit', 'credit', 'currency', 'salesRep', 'docType',
  ],
  payments: [
    'clientCode', 'clientName', 'date', 'amount', 'debit', 'credit', 'paymentRef', 'invoiceRefs',
    'invoiceDate', 'invoiceDueDate', 'mode', 'lettering', 'currency',
  ],
  clients: [
    'clientCode', 'clientName', 'email', 'cc', 'phone', 'salesRep', 'salesRepEmail', 'address1',
    'address2', 'postcode', 'city', 'country', 'language', 'customerType', 'terms', 'segment',
    'excluded', 'excludedReason', 'siren', 'legalForm',
  ],
} as const satisfies Record<TabularKind, readonly string[]>;

export type Field<K extends TabularKind = TabularKind> = (typeof FIELDS)[K][number];

type Synonyms<K extends TabularKind> = Partial<Record<Field<K>, string[]>>;

const CLIENT_CODE = ['code client', 'n compte tiers', 'compte tiers', 'n tiers', 'tiers', 'auxiliaire', 'compte auxiliaire',
  'code tiers', 'n client', 'compte client', 'compte', 'n compte', 'code', 'code auxiliaire'];
const CLIENT_NAME = ['intitule', 'intitule tiers', 'nom', 'nom client', 'nom du client', 'raison sociale',
  'libelle auxiliaire', 'libelle compte', 'libelle tiers', 'societe', 'client'];

/**
 * Column names every export may use, whatever the software: the `generic` profile.
 * Matching is on normalised names (see normaliseHeader), so accents, case, `N°` and
 * punctuation do not matter.
 */
export const GENERIC: { [K in TabularKind]: Synonyms<K> } = {
  balance: {
    clientCode: CLIENT_CODE,
    clientName: CLIENT_NAME,
    ref: ['n piece', 'piece', 'reference', 'ref', 'ref piece', 'n facture', 'facture', 'n de facture', 'n de piece',
      'n document', 'document', 'n doc', 'reference piece', 'n ecriture'],
    docDate: ['date piece', 'date', 'date facture', 'date de facture', 'date document', 'date de piece', 'date d emission',
      'date ecriture', 'date emission'],
    dueDate: ['echeance', 'date echeance', 'date d echeance', 'date de l echeance', 'date limite', 'date limite de reglement',
      'date limite reglement', 'date d exigibilite'],
    label: ['libelle', 'libelle ecriture', 'libelle piece', 'designation', 'objet'],
    originalAmount: ['montant', 'montant ttc', 'montant initial', 'montant facture', 'montant origine', 'montant d origine',
      'total ttc', 'net a payer', 'montant piece', 'montant document'],
    openAmount: ['solde', 'reste du', 'reste a payer', 'montant restant', 'restant du', 'solde du', 'solde restant', 'reste',
      'montant du', 'solde ttc', 'montant non regle', 'non regle', 'reste a encaisser', 'solde piece'],
    debit: ['debit', 'montant debit', 'debit ttc'],
    credit: ['credit', 'montant credit', 'credit ttc'],
    currency: ['devise', 'code devise', 'monnaie'],
    salesRep: ['representant', 'commercial', 'vendeur', 'code representant'],
    docType: ['type', 'type piece', 'type de piece', 'nature', 'nature piece', 'type document'],
  },
  payments: {
    clientCode: CLIENT_CODE,
    clientName: CLIENT_NAME,
    date: ['date', 'date reglement', 'date de reglement', 'date encaissement', 'date d encaissement', 'date paiement',
      'date de paiement', 'date valeur', 'date piece'],
    amount: ['montant', 'montant regle', 'montant reglement', 'montant du reglement', 'montant encaisse', 'encaissement',
      'montant paye', 'montant ttc', 'montant impute'],
    debit: ['debit'],
    credit: ['credit'],
    paymentRef: ['n piece', 'piece', 'reference', 'n reglement', 'ref reglement', 'n de piece', 'reference reglement'],
    invoiceRefs: ['pieces reglees', 'piece reglee', 'factures', 'facture', 'n facture', 'n de facture', 'factures reglees',
      'facture reglee', 'ref facture', 'reference facture', 'pieces lettrees', 'documents regles', 'imputation'],
    invoiceDate: ['date facture', 'date de facture', 'date piece reglee', 'date document regle'],
    invoiceDueDate: ['echeance facture', 'echeance', 'date echeance', 'date d echeance', 'echeance de la facture'],
    mode: ['mode de reglement', 'mode', 'mode reglement', 'moyen de paiement', 'mode de paiement', 'type de reglement',
      'reglement'],
    lettering: ['lettrage', 'code lettrage', 'let'],
    currency: ['devise', 'code devise'],
  },
  clients: {
    clientCode: CLIENT_CODE,
    clientName: [...CLIENT_NAME, 'libelle'],
    email: ['e mail', 'email', 'courriel', 'adresse e mail', 'adresse email', 'mail', 'e mail facturation',
      'email facturation', 'e mail comptabilite', 'email comptabilite'],
    cc: ['e mail copie', 'email copie', 'copie', 'cc', 'e mail cc'],
    phone: ['telephone', 'tel', 'n telephone', 'n de telephone', 'portable'],
    salesRep: ['representant', 'commercial', 'vendeur'],
    salesRepEmail: ['e mail representant', 'email representant', 'e mail commercial', 'email commercial',
      'courriel representant'],
    address1: ['adresse', 'adresse 1', 'adresse1', 'rue', 'adresse ligne 1'],
    address2: ['complement', 'adresse 2', 'adresse2', 'complement d adresse', 'adresse ligne 2'],
    postcode: ['code postal', 'cp'],
    city: ['ville', 'localite', 'commune'],
    country: ['pays'],
    language: ['langue', 'code langue'],
    customerType: ['type', 'type client', 'type de client', 'categorie', 'nature', 'categorie client'],
    terms: ['conditions de reglement', 'condition de reglement', 'conditions de paiement', 'delai de paiement',
      'delai de reglement', 'conditions reglement'],
    segment: ['segment', 'profil payeur', 'profil'],
    excluded: ['exclu des relances', 'exclu', 'bloque', 'relance bloquee', 'relances bloquees', 'ne pas relancer', 'hors relance',
      'hors relances', 'relance suspendue', 'relances suspendues', 'exclusion'],
    excludedReason: ['motif d exclusion', 'motif', 'raison exclusion', 'motif de blocage', 'motif exclusion'],
    siren: ['siren', 'siret', 'n siren', 'n siret', 'numero siren', 'numero siret', 'siren siret', 'code siren', 'code siret',
      'n de siren', 'n de siret', 'identifiant siren'],
    legalForm: ['forme juridique', 'forme', 'statut juridique', 'forme sociale', 'forme de la societe', 'type de societe',
      'categorie juridique'],
  },
};

/**
 * A header matched on its words, when no synonym matches it exactly: `all` are the
 * words it may hold (anything else, and it is not this field), `any` the words of which
 * it must hold one (a list of several words: all of them). Words are those of
 * headerWords: normalised, singular, small words dropped, `dû`/`due` as `du`.
 */
export interface WordRule {
  field: string;
  any: string[][];
  all: Set<string>;
}

const rule = (field: string, any: string, all: string): WordRule => ({
  field,
  any: any.split(',').map((w) => w.trim().split(' ')),
  all: new Set(`${any.replace(/,/g, ' ')} ${all}`.split(/\s+/).filter(Boolean)),
});

const CODE_RULE = rule('clientCode', 'code, compte, tier, auxiliaire, n client', 'n client cpt');
const NAME_RULE = rule('clientName', 'nom, raison, intitule, denomination, societe', 'client sociale tier compte libelle');
const MONEY = 'ttc eur euro';

/**
 * The word rules of each kind, tried in order (the first that fits wins): « Montant
 * restant dû », « Solde dû TTC », « Reste dû TTC », « Montant TTC restant » are the open
 * amount; « Montant » and « Montant TTC » stay the original amount; « Montant HT »,
 * « Solde client », « Solde cumulé », « Date échéance » are no amount at all.
 */
export const WORD_RULES: Record<TabularKind, WordRule[]> = {
  balance: [
    rule('openAmount', 'solde, reste, restant, du, impaye, impayee, ouvert, non regle, non reglee',
      `montant somme piece facture document net payer regler encaisser ${MONEY}`),
    rule('originalAmount', 'montant, net payer, total ttc', `initial origine original facture piece document brut ${MONEY}`),
    rule('debit', 'debit', `montant ${MONEY}`),
    rule('credit', 'credit', `montant ${MONEY}`),
    rule('dueDate', 'echeance, date limite, exigibilite, date du', 'reglement paiement facture piece prevue initiale'),
    rule('docDate', 'date', 'piece facture document emission ecriture facturation comptable'),
    rule('ref', 'piece, facture, document, reference, ref', 'n avoir ecriture'),
    CODE_RULE,
    NAME_RULE,
  ],
  payments: [
    rule('amount', 'montant, encaisse, encaissement, regle', `reglement paye paiement impute recu verse net ${MONEY}`),
    rule('invoiceDueDate', 'echeance', 'date facture piece limite'),
    rule('invoiceDate', 'date facture, date piece reglee', 'piece reglee'),
    rule('date', 'date', 'reglement encaissement paiement valeur operation remise comptable piece'),
    rule('invoiceRefs', 'facture, reglee, lettree, imputation', 'n piece ref reference document avoir'),
    rule('mode', 'mode, moyen', 'reglement paiement encaissement type'),
    CODE_RULE,
    NAME_RULE,
  ],
  clients: [
    rule('email', 'mail, email, courriel', 'e adresse facturation comptabilite contact principal client'),
    rule('siren', 'siren, siret', 'n numero code identifiant client societe'),
    rule('legalForm', 'forme juridique, statut juridique, forme sociale', 'client societe'),
    CODE_RULE,
    NAME_RULE,
  ],
};

/**
 * A software profile: the exact column names its screens export, per kind, and its
 * quirks. Names come from the exports we have seen; a user whose export differs maps
 * its columns in the config (`columns:`) rather than waiting for a release.
 */
export interface Profile {
  id: ProfileId;
  label: string;
  columns: { [K in TabularKind]: Synonyms<K> };
  /** Whether detail rows may leave the client code blank under a client header row. */
  groupHeaders: boolean;
}

export { PROFILE_IDS, type ProfileId } from './profile-ids.js'; // light, for the declarations

export const PROFILES: Profile[] = [
  {
    id: 'sage100',
    label: 'Sage 100',
    groupHeaders: true,
    columns: {
      balance: {
        clientCode: ['n compte tiers'], clientName: ['intitule'], ref: ['n piece'], docDate: ['date piece'],
        dueDate: ['echeance'], label: ['libelle'], originalAmount: ['montant'], openAmount: ['solde'],
      },
      payments: {
        clientCode: ['n compte tiers'], clientName: ['intitule'], date: ['date'], paymentRef: ['n piece'],
        mode: ['mode de reglement'], amount: ['montant'], invoiceRefs: ['pieces reglees'],
        invoiceDate: ['date facture'], invoiceDueDate: ['echeance facture'],
      },
      clients: {
        clientCode: ['n compte tiers'], clientName: ['intitule'], address1: ['adresse'], address2: ['complement'],
        postcode: ['code postal'], city: ['ville'], email: ['e mail'], phone: ['telephone'], salesRep: ['representant'],
        salesRepEmail: ['e mail representant'], terms: ['conditions de reglement'], customerType: ['type'],
        excluded: ['exclu des relances'], excludedReason: ['motif d exclusion'],
      },
    },
  },
  {
    id: 'sage50',
    label: 'Sage 50 (ex-Ciel)',
    groupHeaders: false,
    columns: {
      balance: {
        clientCode: ['code client'], clientName: ['nom client'], ref: ['n facture'], docDate: ['date facture'],
        dueDate: ['date d echeance'], originalAmount: ['montant ttc'], openAmount: ['reste du'],
      },
      payments: {
        clientCode: ['code client'], clientName: ['nom client'], date: ['date de reglement'], amount: ['montant regle'],
        invoiceRefs: ['n facture'], invoiceDate: ['date facture'], invoiceDueDate: ['date d echeance'], mode: ['mode'],
        paymentRef: ['n reglement'],
      },
      clients: {
        clientCode: ['code client'], clientName: ['nom'], email: ['email'], phone: ['telephone'], address1: ['adresse 1'],
        address2: ['adresse 2'], postcode: ['code postal'], city: ['ville'], terms: ['mode de reglement'],
      },
    },
  },
  {
    id: 'cegid',
    label: 'Cegid',
    groupHeaders: false,
    columns: {
      balance: {
        clientCode: ['auxiliaire'], clientName: ['libelle auxiliaire'], ref: ['reference'], docDate: ['date piece'],
        dueDate: ['date echeance'], debit: ['debit'], credit: ['credit'], openAmount: ['solde'],
      },
      payments: {
        clientCode: ['auxiliaire', 'compte'], clientName: ['libelle auxiliaire', 'libelle'], date: ['date reglement'],
        amount: ['montant'], invoiceRefs: ['factures'], lettering: ['lettrage'], mode: ['mode de paiement'],
        paymentRef: ['reference'],
      },
      clients: {
        clientCode: ['auxiliaire', 'compte'], clientName: ['libelle auxiliaire', 'libelle'], email: ['email'],
        terms: ['conditions de reglement'],
      },
    },
  },
  {
    id: 'ebp',
    label: 'EBP',
    groupHeaders: false,
    columns: {
      balance: {
        clientCode: ['code client'], clientName: ['raison sociale'], ref: ['n facture'], docDate: ['date facture'],
        dueDate: ['echeance'], originalAmount: ['montant ttc'], openAmount: ['reste a payer'],
      },
      payments: {
        clientCode: ['code client'], clientName: ['raison sociale'], date: ['date reglement'], amount: ['montant'],
        invoiceRefs: ['n facture'], mode: ['mode de reglement'],
      },
      clients: {
        clientCode: ['code client'], clientName: ['raison sociale'], email: ['e mail'], terms: ['mode de reglement'],
      },
    },
  },
];

/** Column names of one kind as a lookup from normalised header to field. */
export type ColumnIndex = Map<string, string>;

function indexOf<K extends TabularKind>(synonyms: Synonyms<K>): ColumnIndex {
  const index: ColumnIndex = new Map();
  for (const [field, names] of Object.entries(synonyms) as [string, string[]][]) {
    for (const name of names) {
      const key = normaliseHeader(name);
      if (!index.has(key)) index.set(key, field);
    }
  }
  return index;
}

/** The generic synonyms of each kind, indexed. */
export const GENERIC_INDEX: Record<TabularKind, ColumnIndex> = {
  balance: indexOf(GENERIC.balance),
  payments: indexOf(GENERIC.payments),
  clients: indexOf(GENERIC.clients),
};

/** A profile's own column names for a kind, indexed. */
export function profileIndex(profile: Profile, kind: TabularKind): ColumnIndex {
  return indexOf(profile.columns[kind]);
}

/**
 * Aging-bucket columns (`Non échu`, `0 à 30 j`, `31-60`, `+ de 90 j`, `> 90 jours`):
 * recognised so that they are not reported as unknown, but never needed.
 */
export function isAgingBucket(normalised: string): boolean {
  return /^(non echu|a echoir|echu|total echu|(\+|plus|>|sup)? ?(de )?\d+ ?(a|-)? ?(\d+)? ?(j|jours?)?|\d+ ?(a|-) ?\d+ ?(j|jours?)?)$/.test(
    normalised,
  );
}
