import type { Config } from '../../config.js';
import type { CalendarDate } from '../../core/dates.js';
import { COURT_LABELS, courtFor, formatSiren, normaliseLegalForm, type LegalForm } from '../../core/debtor.js';
import type { Client } from '../../core/records.js';

/** The parties, the place and the date: what every letter starts with. */
export function commonData(asOf: CalendarDate, company: Config['company'], client: Client | null, code: string, name: string) {
  const form = client?.legalForm ? normaliseLegalForm(client.legalForm) : null;
  return {
    asOf,
    place: cityOf(company.address),
    company: companyData(company),
    client: clientData(client, code, name, form),
    consumer: client?.consumer ?? false,
    court: courtData(client, form),
  };
}

/** The creditor as the letters name it. */
function companyData(company: Config['company']) {
  return {
    name: company.name,
    address: company.address,
    siren: company.siren ?? null,
    sirenText: company.siren ? company.siren.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3') : null,
    contactName: company.contactName ?? null,
    contactEmail: company.contactEmail ?? null,
    contactPhone: company.contactPhone ?? null,
    iban: company.iban ?? null,
  };
}

/** The debtor from the clients file; `name` (the accounts' name) when the file lacks the client. */
function clientData(client: Client | null, code: string, name: string, form: LegalForm | null) {
  return {
    code,
    name: client?.clientName || name,
    address: client?.address ?? [],
    emails: client?.emails ?? [],
    phone: client?.phone ?? null,
    consumer: client?.consumer ?? false,
    siren: client?.siren ?? null,
    sirenText: client?.siren ? formatSiren(client.siren) : null,
    /** The form as the clients file writes it; `legalFormCode` is its normalised abbreviation. */
    legalForm: client?.legalForm ?? null,
    legalFormCode: form?.code ?? null,
    legalFormLabel: form?.label ?? null,
    identityText: identityText(client?.clientName || name, client, form?.code ?? null),
  };
}

/** The court a claim against the debtor goes to (core's `courtFor`), with its label. */
function courtData(client: Client | null, form: LegalForm | null) {
  const court = courtFor({ consumer: client?.consumer ?? false, legalForm: form, legalFormText: client?.legalForm ?? null });
  return {
    ...court,
    label: court.court ? COURT_LABELS[court.court] : null,
    commerce: court.court === 'tribunal_de_commerce',
    judiciaire: court.court === 'tribunal_judiciaire',
  };
}

/**
 * The debtor's legal form and SIREN after its name in a letter (« SARL, SIREN 552 100 554 »),
 * the form left out when the name already carries it (« Hôtel Bellecour SAS »); null when
 * the file gives neither.
 */
function identityText(name: string, client: Client | null, formCode: string | null): string | null {
  const parts: string[] = [];
  const form = formCode ?? client?.legalForm ?? null;
  const plain = (t: string) => t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/\./g, '').toLowerCase();
  if (form && !new RegExp(`(^|[^a-z])${plain(form).replace(/[^a-z0-9 ]/g, '')}([^a-z]|$)`).test(plain(name))) parts.push(form);
  if (client?.siren) parts.push(`SIREN ${formatSiren(client.siren)}`);
  return parts.length > 0 ? parts.join(', ') : null;
}

/** The city of the last address line with a postcode: « 69007 Lyon » → « Lyon ». */
function cityOf(address: string[]): string | null {
  for (let i = address.length - 1; i >= 0; i--) {
    const m = /^\s*\d{5}\s+(.+?)(\s+cedex(\s+\d+)?)?\s*$/i.exec(address[i]!);
    if (m) return m[1]!;
  }
  return null;
}
