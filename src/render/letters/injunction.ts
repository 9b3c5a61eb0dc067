import { formatDateFr } from '../../core/dates.js';
import { formatSiren, normaliseLegalForm } from '../../core/debtor.js';
import { formatEuros, type Cents } from '../../core/money.js';
import { percentFr, type PenaltyBasis } from '../../core/penalties.js';
import type { LetterContext } from './data.js';
import { noticeOf } from './history.js';

/** One entry of what the injonction de payer form asks: its value, or « à compléter » with what to give. */
export interface FormEntry {
  label: string;
  value: string;
  /** False when the data lacks it: the value then says what to complete. */
  complete: boolean;
}

/** What the claim asks: the principal of the overdue invoices, their penalties and the total. */
export interface ClaimAmounts {
  principalCents: Cents;
  interestCents: Cents;
  indemnityCents: Cents;
  claimedCents: Cents;
}

/** The company name the configuration holds until the user sets one (config.ts's default): not a creditor's name. */
const PLACEHOLDER_COMPANY_NAME = 'Votre société';

/**
 * What the request for an injonction de payer (Cerfa 12946 or 12948, art. 1407 CPC)
 * asks, filled from the data: the parties with their SIREN and address, the principal,
 * the interest and the indemnity claimed with their legal basis, the invoices, the formal
 * notice and its date, the documents to attach. What the data lacks says « à compléter ».
 */
export function injunctionData(ctx: LetterContext, refs: string[], amounts: ClaimAmounts, basis: PenaltyBasis) {
  const entries = [...partyEntries(ctx), ...claimEntries(ctx, refs, amounts, basis)];
  return { entries, missingCount: entries.filter((e) => !e.complete).length };
}

/** An entry of the form: the value when the data has it, else what to complete. */
function entry(label: string, value: string | null, missing: string): FormEntry {
  return value ? { label, value, complete: true } : { label, value: `à compléter (${missing})`, complete: false };
}

const addressText = (lines: string[] | undefined): string | null => (lines && lines.length > 0 ? lines.join(', ') : null);

/** The creditor and the debtor: names, SIREN, legal form (a company's), address. */
function partyEntries(ctx: LetterContext): FormEntry[] {
  const { company, client } = ctx;
  const consumer = client?.consumer ?? false;
  const name = client?.clientName || ctx.action.clientName;
  const form = client?.legalForm ? normaliseLegalForm(client.legalForm) : null;
  return [
    entry('créancier (demandeur)', company.name && company.name !== PLACEHOLDER_COMPANY_NAME ? company.name : null, 'clé company.name de la configuration'),
    entry('SIREN du créancier', company.siren ? formatSiren(company.siren) : null, 'clé company.siren de la configuration'),
    entry('siège du créancier', addressText(company.address), 'clé company.address de la configuration'),
    entry('représentant légal du créancier', null, 'nom et qualité du signataire de la requête'),
    entry(consumer ? 'débiteur (nom et prénom)' : 'débiteur (dénomination)', name || null, 'nom du débiteur'),
    ...(consumer ? [] : [
      entry('forme juridique du débiteur', form ? `${form.code} (${form.label})` : null,
        client?.legalForm ? `« ${client.legalForm} » non reconnue : voir l'extrait Kbis` : 'colonne « Forme juridique » du fichier clients, ou extrait Kbis'),
      entry('SIREN du débiteur', client?.siren ? formatSiren(client.siren) : null, 'colonne « SIREN » ou « SIRET » du fichier clients, ou avis de situation SIRENE'),
    ]),
    entry(consumer ? 'domicile du débiteur' : 'siège social du débiteur', addressText(client?.address), "adresse absente du fichier clients : elle fixe le tribunal compétent"),
  ];
}

/** The claim: its amounts and their legal basis, its cause, the formal notice, the documents to attach. */
function claimEntries(ctx: LetterContext, refs: string[], amounts: ClaimAmounts, basis: PenaltyBasis): FormEntry[] {
  const consumer = ctx.client?.consumer ?? false;
  const invoices = `${refs.length === 1 ? 'la facture' : 'les factures'} ${refs.join(', ')}`;
  const notice = noticeOf(ctx.history ?? [], ctx.asOf);
  return [
    entry('montant en principal', `${formatEuros(amounts.principalCents)} (${refs.length === 1 ? 'facture' : 'factures'} ${refs.join(', ')})`, ''),
    entry(consumer ? 'intérêts de retard' : 'pénalités de retard',
      `${formatEuros(amounts.interestCents)} ${consumer ? 'arrêtés' : 'arrêtées'} au ${formatDateFr(ctx.asOf)}, ${rateText(basis, ctx.contractualRatePercent ?? 0)}`, ''),
    ...(consumer ? [] : [entry('indemnité forfaitaire pour frais de recouvrement', `${formatEuros(amounts.indemnityCents)} (40 € par facture, article D441-5 du Code de commerce)`, '')]),
    entry('total demandé', formatEuros(amounts.claimedCents), ''),
    entry('cause de la créance', null, `vente ou prestation facturée par ${invoices} : précisez la commande, le devis ou le contrat`),
    entry('mise en demeure', notice ? `envoyée le ${formatDateFr(notice.date)}${notice.lrarNumber ? ` par lettre recommandée n° ${notice.lrarNumber}` : ''}, délai ${notice.expired ? 'expiré le' : "ouvert jusqu'au"} ${formatDateFr(notice.deadline)}` : null,
      "aucune mise en demeure au journal : date d'envoi et accusé de réception"),
    entry('pièces à joindre (bordereau)', `${invoices} ; la mise en demeure et son accusé de réception ; les conditions générales de vente acceptées ; le bon de commande, le devis signé ou le contrat ; les bons de livraison ou procès-verbaux de réception`, ''),
  ];
}

/** The rate the interest is claimed at, and the article that sets it. */
function rateText(basis: PenaltyBasis, contractualRatePercent: number): string {
  switch (basis) {
    case 'taux-legal':
      return "au taux de l'intérêt légal (article 1231-6 du Code civil)";
    case 'taux-contractuel':
      return `au taux de ${percentFr(contractualRatePercent)} des conditions générales de vente (article L441-10 du Code de commerce)`;
    case 'taux-bce':
      return 'au taux de la BCE majoré de 10 points (article L441-10 du Code de commerce)';
  }
}
