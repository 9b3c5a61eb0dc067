import { describe, expect, it } from 'vitest';
import { courtFor, formatSiren, normaliseLegalForm, readSiren } from '../../src/core/debtor.js';

describe('readSiren: the SIREN of a SIREN or SIRET cell (INSEE, Luhn key)', () => {
  it.each([
    ['a SIREN of 9 digits', '552100554', { ok: true, siren: '552100554', siret: null }],
    ['a SIREN written in groups', '552 100 554', { ok: true, siren: '552100554', siret: null }],
    ['a SIREN with dots', '732.829.320', { ok: true, siren: '732829320', siret: null }],
    ['a SIRET: its first 9 digits', '552 100 554 00013', { ok: true, siren: '552100554', siret: '55210055400013' }],
    ['another SIRET', '44306184100047', { ok: true, siren: '443061841', siret: '44306184100047' }],
    ['a SIREN whose Luhn key is wrong', '552100555', { ok: false, problem: 'cle', digits: '552100555' }],
    ['a SIRET whose Luhn key is wrong (NIC mistyped)', '55210055400014', { ok: false, problem: 'cle', digits: '55210055400014' }],
    ['a SIRET of La Poste: its own key, the SIREN checked only', '35600000000048', { ok: true, siren: '356000000', siret: '35600000000048' }],
    ['8 digits', '55210055', { ok: false, problem: 'longueur', digits: '55210055' }],
    ['a TVA number, not a SIREN', 'FR40552100554', { ok: false, problem: 'longueur', digits: 'FR40552100554' }],
  ])('%s', (_, text, expected) => {
    expect(readSiren(text)).toEqual(expected);
  });

  it('formats a SIREN in three groups of three', () => {
    expect(formatSiren('552100554')).toBe('552 100 554');
  });
});

describe('normaliseLegalForm: the legal form as the clients file writes it', () => {
  it.each([
    ['S.A.R.L.', 'SARL', 'commerciale'],
    ['Sarl', 'SARL', 'commerciale'],
    ['SARL au capital de 10 000 €', 'SARL', 'commerciale'],
    ['Société à responsabilité limitée', 'SARL', 'commerciale'],
    ['EURL', 'EURL', 'commerciale'],
    ['SARL unipersonnelle', 'EURL', 'commerciale'],
    ['SAS', 'SAS', 'commerciale'],
    ['S.A.S.', 'SAS', 'commerciale'],
    ['SASU', 'SASU', 'commerciale'],
    ['SA', 'SA', 'commerciale'],
    ['S.A.', 'SA', 'commerciale'],
    ['Société anonyme', 'SA', 'commerciale'],
    ['SNC', 'SNC', 'commerciale'],
    ['SCA', 'SCA', 'commerciale'],
    ['EI', 'EI', 'a_verifier'],
    ['Micro-entreprise', 'EI', 'a_verifier'],
    ['Auto-entrepreneur', 'EI', 'a_verifier'],
    ['SELARL', 'SELARL', 'a_verifier'],
    ['SCI', 'SCI', 'civile'],
    ['Société civile immobilière', 'SCI', 'civile'],
    ['SCP', 'SCP', 'civile'],
    ['Association', 'association', 'civile'],
    ['association loi 1901', 'association', 'civile'],
  ])('« %s » is %s', (text, code, kind) => {
    expect(normaliseLegalForm(text)).toMatchObject({ code, kind });
  });

  it.each([['Professionnel'], ['Société'], ['?'], ['SASA']])('« %s » names no legal form: null, never a guess', (text) => {
    expect(normaliseLegalForm(text)).toBeNull();
  });
});

describe('courtFor: the court and Cerfa of an injonction de payer (art. 1405 s. CPC)', () => {
  const of = (legalFormText: string | null, consumer = false) =>
    courtFor({ consumer, legalForm: legalFormText ? normaliseLegalForm(legalFormText) : null, legalFormText });

  it.each([
    ['a SARL: société commerciale by its form (C. com. L210-1) → tribunal de commerce, Cerfa 12946 (C. com. L721-3)', 'SARL', 'tribunal_de_commerce', '12946'],
    ['a SAS → tribunal de commerce, Cerfa 12946 (C. com. L721-3)', 'SAS', 'tribunal_de_commerce', '12946'],
    ['an SNC → tribunal de commerce, Cerfa 12946 (C. com. L721-3)', 'SNC', 'tribunal_de_commerce', '12946'],
    ['an SCI: société civile → tribunal judiciaire, Cerfa 12948 (C. com. L721-3 a contrario)', 'SCI', 'tribunal_judiciaire', '12948'],
    ['an association → tribunal judiciaire, Cerfa 12948 (C. com. L721-3 a contrario)', 'association', 'tribunal_judiciaire', '12948'],
  ])('%s', (_, form, court, cerfa) => {
    expect(of(form)).toMatchObject({ court, cerfa });
  });

  it('a consumer → tribunal judiciaire, Cerfa 12948, whatever the form column says (CPC 1406)', () => {
    const c = of('SARL', true);
    expect(c).toMatchObject({ court: 'tribunal_judiciaire', cerfa: '12948' });
    expect(c.check).toContain('article 1406 du Code de procédure civile');
  });

  it('an EI: commerçant or artisan decides, the court is not guessed (C. com. L721-3)', () => {
    const c = of('EI');
    expect(c).toMatchObject({ court: null, cerfa: null });
    expect(c.check).toContain('commerçant inscrit au RCS → tribunal de commerce, Cerfa 12946');
    expect(c.check).toContain('artisan, profession libérale, agriculteur → tribunal judiciaire, Cerfa 12948');
  });

  it('an unknown form is said to be unknown, not guessed (C. com. L721-3)', () => {
    expect(of(null)).toMatchObject({ court: null, cerfa: null, reason: 'forme juridique inconnue (absente du fichier clients) : le tribunal compétent ne peut pas être déterminé' });
    expect(of('Professionnel').reason).toBe('forme juridique non reconnue (« Professionnel ») : le tribunal compétent ne peut pas être déterminé');
  });

  it('cites L210-1 and L721-3 of the Code de commerce for a société commerciale', () => {
    expect(of('SAS').reason).toBe(
      'SAS (société par actions simplifiée) : société commerciale par sa forme (article L210-1 du Code de commerce), le tribunal de commerce connaît des contestations qui la concernent (article L721-3 du Code de commerce)',
    );
  });
});
