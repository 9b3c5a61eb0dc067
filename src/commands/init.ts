/**
 * relance init : écrit relance.yaml, une configuration de départ commentée qui reprend
 * toutes les valeurs par défaut ; refuse d'écraser un fichier existant sans --force.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_LADDERS } from '../core/scenario.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import type { INIT_OPTIONS } from './init-options.js';
import type { OptionsOf } from './options.js';

/** Writes the starting config; returns its path. */
export function runInit(opts: OptionsOf<typeof INIT_OPTIONS>, ctx: Context): string {
  const path = resolve(ctx.cwd, 'relance.yaml');
  if (existsSync(path) && !opts.force) {
    throw new UsageError(`relance.yaml existe déjà dans ce dossier.`, `relancez avec --force pour le remplacer (l'ancien sera perdu).`);
  }
  writeFileSync(path, STARTING_CONFIG);
  ctx.stdout.write(`relance.yaml écrit : complétez la section company, puis vérifiez vos données avec relance check.\n`);
  return path;
}

function ladderYaml(): string {
  return Object.entries(DEFAULT_LADDERS)
    .map(
      ([name, rungs]) =>
        `    ${name}:\n${rungs.map((r) => `      - { step: ${r.step}, offsetDays: ${r.offsetDays}, channel: ${r.channel} }`).join('\n')}`,
    )
    .join('\n');
}

/** The commented starting config: every key with its default value. */
export const STARTING_CONFIG = `# Configuration de relance. Chaque clé a une valeur par défaut : supprimez celles que
# vous ne changez pas. Montants en euros, durées en jours.

# Votre société, pour l'en-tête des lettres.
company:
  name: Votre société
  address: []                     # par exemple ["17 rue Sébastien Gryphe", "69007 Lyon"]
  # siren: "812345678"
  # contactName: Service comptabilité
  # contactEmail: comptabilite@example.fr
  # contactPhone: 04 00 00 00 00
  # iban: FR76 3000 6000 0112 3456 7890 189

# Conditions de règlement quand ni le fichier ni la fiche client n'en donnent
# (« 30 jours », « 45 jours fin de mois », « à réception ») : elles donnent l'échéance
# absente d'une facture (FEC sans DateLimitReglmt, par exemple).
paymentTerms: 30 jours

# En dessous de ce montant échu, un client n'est pas relancé.
minimumAmount: 50

# Horizon de relance plan, en jours (7 : la semaine).
planDays: 7

# Écart minimal, en jours, entre deux messages à un même client, quels qu'ils soient
# (rappel préventif compris) : l'étape suivante du dossier attend au moins ce délai.
minimumGapDays: 7

# Délai de grâce (en jours) après la date d'une promesse ou d'une échéance d'échéancier
# avant de la considérer comme non tenue.
promiseGraceDays: 3

# Au-delà de cet âge (en jours), un export est signalé par check.
maxExportAgeDays: 3

# Fichier du journal des actions (relatif au dossier de ce fichier) ; par défaut
# relance.sqlite à côté de ce fichier. Seul relance send le crée.
# journal: relance.sqlite

# Profil de payeur, calculé sur les règlements rapprochés des factures : retard
# moyen pondéré par les montants, et part du montant payée après graceDays.
segments:
  minHistory: 3                   # moins de factures payées : « nouveau »
  graceDays: 5                    # tolérance avant de compter un paiement en retard
  bonMaxDaysLate: 5               # « bon » : retard moyen au plus…
  bonMaxLateShare: 0.2            # … et au plus 20 % payés en retard
  chroniqueMinDaysLate: 30        # « chronique » : retard moyen d'au moins 30 jours…
  chroniqueMinLateShare: 0.6      # … ou au moins 60 % payés en retard
  clients: {}                     # segment imposé : { CODECLIENT: chronique }

# Score : euros à risque = reste dû × min(1, risque × p(retard)), avec
# p(retard) = baseProbability + (maxProbability − baseProbability) × (1 − e^(−jours / ageScaleDays)).
score:
  baseProbability: 0.02
  maxProbability: 0.5
  ageScaleDays: 90
  risk: { bon: 0.5, nouveau: 1, occasionnel: 1.5, chronique: 2.5 }

# Scénarios : étapes dans l'ordre, en jours après l'échéance (négatif : avant).
# Étapes : preventive, relance1, relance2, escalade, mise_en_demeure, contentieux.
# Canaux : email, email+appel, lrar+email, interne, courrier, courrier+appel, lrar.
# « standard » sert les segments nouveau et occasionnel ; « bon » et « chronique » les leurs.
scenario:
  ladders:
${ladderYaml()}
  clients: {}                     # scénario imposé : { CODECLIENT: chronique }

# Modèles de lettres : un fichier du même nom dans ce dossier remplace celui de relance.
# templatesDir: modeles

# Pénalités de retard (B2B, art. L441-10 du Code de commerce) : par défaut le taux de
# la BCE en vigueur au 1er janvier / 1er juillet + 10 points ; un taux contractuel le
# remplace (au moins 3 fois le taux de l'intérêt légal). Ajoutez les semestres à venir :
penalties:
  # contractualRatePercent: 12
  rates: []                       # par exemple [{ from: "2026-07-01", ratePercent: 12.15 }]
  legalInterestRates: []          # taux de l'intérêt légal (clients particuliers)
  # Semestre absent des tables : refuse (relance send n'envoie pas une lettre qui chiffre
  # des pénalités sans son taux) ou lastKnown (dernier taux connu, indiqué dans la lettre).
  whenRateMissing: refuse
  # Relevés des pénalités sur factures payées en retard (relance penalites --letters) :
  # lateStatement:
  #   waiveAll: false               # true : rien n'est réclamé, les pénalités sont seulement listées
  #   waiveSegments: [bon]          # pas de relevé aux bons payeurs
  #   waiveClients: []              # ni à ces codes clients
  #   minimum: 50                   # ni sous 50 € de pénalités et indemnités

# Envoi des e-mails (relance send) ; le serveur SMTP vient de la variable
# d'environnement RELANCE_SMTP_URL, jamais de ce fichier.
mail:
  # from: "Service comptabilité <comptabilite@example.fr>"
  # replyTo: comptabilite@example.fr
  # archiveBcc: archives-relances@example.fr
  # invoicesDir: factures-pdf     # PDF joints, retrouvés par numéro de facture
  maxPerRun: 200

# Coût unitaire des actions, pour le coût par euro recouvré (relance kpi).
costs:
  email: 0.05
  courrier: 1.5
  lrar: 7.5
  appelMinute: 0.75
  fixesMensuels: 0

# Colonnes d'un export que relance ne reconnaît pas, par nom d'en-tête :
# columns:
#   balance: { clientCode: Tiers, ref: Doc, docDate: Emis le, dueDate: A regler le, openAmount: Du }

# FEC : préfixes des comptes clients, journaux d'à-nouveaux en plus de AN, ANO, RAN…
fec:
  customerAccounts: ["411", "416"]
  openingJournals: []
`;
