import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { KpiReport } from '../../src/core/kpi.js';
import { formatChange, formatDays, formatEuroRatio, formatRate, monthLabel, periodLabel, type KpiKey } from '../../src/render/kpi-format.js';
import { kpiAsHtml } from '../../src/render/kpi-html.js';
import { kpiAsCsv, kpiAsText } from '../../src/render/kpi-text.js';
import { expectGolden } from '../golden.js';
import { ROOT } from '../helpers.js';
import { sampleReport, SAMPLE_COMPANY } from './kpi-sample.js';

const report = sampleReport();
/** Ordinary spaces for the no-break spaces of French numbers, so that tests read plainly. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const html = kpiAsHtml(report, SAMPLE_COMPANY);

/** The HTML of the element carrying data-kpi="key". */
function figureHtml(key: KpiKey): string {
  const m = new RegExp(`<article[^>]*data-kpi="${key}"[^>]*>([\\s\\S]*?)</article>`).exec(html);
  if (!m?.[1]) throw new Error(`no data-kpi="${key}" in the page`);
  return plain(m[1]);
}

/** A report in which nothing could be computed: no sales, no journal, no trend. */
function emptyReport(): KpiReport {
  return {
    ...sampleReport(),
    period: { from: '2026-11-01', to: '2026-11-30' },
    days: 30,
    salesCents: null,
    currentCents: null,
    receivablesCents: null,
    dso: { simple: null, countback: null },
    bpdso: null,
    add: null,
    cei: null,
    recoveryRate: null,
    recovery: null,
    activationRate: { coverage: null, payers: null },
    activation: null,
    costPerEuroRecovered: null,
    costs: null,
    disputeRate: null,
    badDebtRate: null,
    weightedDaysLate: null,
    agedBalance: null,
    topDebtors: [],
    trend: [],
    missing: {
      sales: 'les FEC fournis commencent le 2026-11-15 : ventes de la période incomplètes',
      'dso.countback': 'les ventes des mois couverts par les FEC n\'épuisent pas les créances',
      costPerEuroRecovered: 'pas de journal des actions : donnez --journal',
    },
  };
}

describe('French number formats', () => {
  it.each([
    [formatDays(40), '40,0 j'],
    [formatDays(1234.56), '1 234,6 j'],
    [formatRate(0.75), '75,0 %'],
    [formatRate(0.55930), '55,9 %'],
    [formatEuroRatio(0.05), '0,05 €'],
    [formatChange(-7.66, 'days'), '−7,7 j'],
    [formatChange(0.06, 'rate'), '+6,0 pts'],
    [formatChange(0, 'rate'), '0,0 pts'],
    [monthLabel('2026-11'), 'nov. 2026'],
    [monthLabel('2026-02'), 'févr. 2026'],
  ])('%s', (actual, expected) => {
    expect(plain(actual)).toBe(expected);
  });

  it.each([
    ['2026-11-01', '2026-11-30', 'novembre 2026'],
    ['2026-01-01', '2026-03-31', '1er trimestre 2026'],
    ['2026-10-01', '2026-12-31', '4e trimestre 2026'],
    ['2026-02-01', '2026-04-30', 'du 01/02/2026 au 30/04/2026'],
    ['2026-11-05', '2026-11-20', 'du 05/11/2026 au 20/11/2026'],
  ])('period %s – %s is « %s »', (from, to, label) => {
    expect(periodLabel({ from, to })).toBe(label);
  });
});

describe('kpiAsText', () => {
  it('pins the whole terminal report', () => {
    expectGolden(kpiAsText(report, false), `${ROOT}test/render/data/kpi.golden.txt`);
  });

  it('colours only when asked, with the same text', () => {
    const coloured = kpiAsText(report, true);
    expect(coloured).toMatch(/\x1b\[/);
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(kpiAsText(report, false));
  });

  it('says what could not be computed and why', () => {
    const text = plain(kpiAsText(emptyReport(), false));
    expect(text).toContain('Indicateurs de recouvrement : novembre 2026 (du 01/11/2026 au 30/11/2026, 30 jours)');
    expect(text).toMatch(/DSO \(méthode simple\) +│ non calculable │/);
    expect(text).toContain('- Ventes de la période : les FEC fournis commencent le 2026-11-15 : ventes de la période incomplètes.');
    expect(text).toContain('- Coût par euro recouvré : pas de journal des actions : donnez --journal.');
    expect(text).toContain('Aucun client ne doit rien.');
    expect(text).toContain('Pas de tendance');
  });
});

describe('kpiAsCsv', () => {
  it('gives one row per figure, values as plain numbers', () => {
    const rows = parse(kpiAsCsv(report), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.key)).toEqual([
      'dso-simple', 'dso-countback', 'bpdso', 'add', 'cei', 'recovery-rate', 'activation-coverage', 'activation-payers',
      'cost-per-euro', 'dispute-rate', 'bad-debt-rate', 'weighted-days-late',
      'aged-balance-non_echu', 'aged-balance-1-30', 'aged-balance-31-60', 'aged-balance-61-90', 'aged-balance-91+',
    ]);
    const byKey = new Map(rows.map((r) => [r.key, r]));
    expect(byKey.get('dso-simple')).toEqual({ key: 'dso-simple', label: 'DSO (méthode simple)', value: '40', unit: 'jours', reason: '' });
    expect(byKey.get('cei')?.value).toBe('0.5593');
    expect(byKey.get('recovery-rate')?.value).toBe('0.75');
    expect(byKey.get('cost-per-euro')).toMatchObject({ value: '0.05', unit: 'euro par euro' });
    expect(byKey.get('weighted-days-late')).toMatchObject({ value: '', reason: 'aucun règlement de la période rapproché d\'une facture datée' });
    expect(byKey.get('aged-balance-91+')).toMatchObject({ value: '200000', unit: 'centimes' });
  });
});

describe('kpiAsHtml', () => {
  it('is one self-contained page, titled with the company and the period', () => {
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="fr">/);
    expect(html).toContain('<title>Indicateurs de recouvrement – Menuiserie Martin &amp; Fils &lt;SAS&gt; – 1er trimestre 2026</title>');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|https?:\/\//i);
    expect(html).toContain('@page { size: A4; margin: 15mm; }');
  });

  it('escapes every text', () => {
    expect(html).toContain('Dupont &amp; Fils &lt;SARL&gt;');
    expect(html).toContain('L&#39;Atelier &quot;Bois &amp; Co&quot;');
    expect(html).not.toContain('<SARL>');
    expect(html).not.toContain('<SAS>');
  });

  it.each<[KpiKey, string, string]>([
    ['dso-simple', '40,0 j', 'créances 20 000,00 € / ventes 45 000,00 € × 90 j = 40,0 j'],
    ['dso-countback', '42,7 j', 'créances 20 000,00 € = mars 2026 15 000,00 € (31 j) + 5 000,00 € sur févr. 2026 12 000,00 € (11,7 j sur 28)'],
    ['bpdso', '12,0 j', 'non échu 6 000,00 € / ventes 45 000,00 € × 90 j = 12,0 j'],
    ['add', '28,0 j', 'DSO 40,0 j − BPDSO 12,0 j = 28,0 j'],
    ['cei', '55,9 %', '(début 22 768,00 € + ventes 45 000,00 € / 3 − fin 20 000,00 €) / (début 22 768,00 € + ventes 45 000,00 € / 3 − non échu fin 6 000,00 €) = 55,9 %'],
    ['recovery-rate', '75,0 %', 'encaissé 75 000,00 € / (échu au début 110 000,00 € − en litige 10 000,00 €) = 75,0 %'],
    ['activation-coverage', '85,0 %', '34 dossiers relancés / 40 dossiers échus = 85,0 %'],
    ['activation-payers', '55,0 %', '22 dossiers ayant payé / 40 dossiers en recouvrement = 55,0 %'],
    ['cost-per-euro', '0,05 €', 'coûts 3 750,00 € (actions 2 250,00 € + fixes 1 500,00 €) / recouvré 75 000,00 € = 0,05 €'],
    ['dispute-rate', '10,0 %', 'en litige 2 000,00 € / créances 20 000,00 € = 10,0 %'],
    ['bad-debt-rate', '1,0 %', 'passé en perte 450,00 € / ventes 45 000,00 € = 1,0 %'],
  ])('shows %s as %s with its inputs', (key, value, inputs) => {
    const figure = figureHtml(key);
    expect(figure).toContain(`<p class="value">${value}</p>`);
    expect(figure).toContain(`<span>Calcul</span> ${inputs.replace(/&/g, '&amp;')}`);
    expect(figure).toContain('<span>Formule</span>');
  });

  it('shows a null figure as « non calculable » with its reason', () => {
    const figure = figureHtml('weighted-days-late');
    expect(figure).toContain('<p class="value">non calculable</p>');
    expect(figure).toContain('Pourquoi : aucun règlement de la période rapproché d&#39;une facture datée');
    expect(figure).not.toContain('Calcul');
    expect(plain(html)).toMatch(/<h2>Non calculable<\/h2>\n<ul>\n<li><strong>Retard moyen pondéré<\/strong> : aucun règlement/);
  });

  it('takes the reason of a null figure from the input it lacks', () => {
    const page = plain(kpiAsHtml(emptyReport(), SAMPLE_COMPANY));
    const bpdso = /data-kpi="bpdso"[\s\S]*?<\/article>/.exec(page)?.[0] ?? '';
    expect(bpdso).toContain('Pourquoi : les FEC fournis commencent le 2026-11-15');
    const countback = /data-kpi="dso-countback"[\s\S]*?<\/article>/.exec(page)?.[0] ?? '';
    expect(countback).toContain('Pourquoi : les ventes des mois couverts par les FEC n&#39;épuisent pas les créances');
    expect(page.match(/<p class="value">non calculable<\/p>/g)).toHaveLength(12);
    expect(page).not.toContain('data-chart');
  });

  it('draws the aged balance as five labelled bars', () => {
    const svg = /<svg data-chart="aged-balance"[\s\S]*?<\/svg>/.exec(plain(html))?.[0] ?? '';
    expect(svg).toMatch(/role="img" aria-label="Balance âgée au 31\/03\/2026 : non échu 6 000,00 € ; 1–30 j 5 200,00 € ; 31–60 j 4 300,00 € ; 61–90 j 2 500,00 € ; &gt; 90 j 2 000,00 €"/);
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(5);
    for (const amount of ['6 000,00 €', '5 200,00 €', '4 300,00 €', '2 500,00 €', '2 000,00 €']) expect(svg).toContain(`>${amount}</text>`);
    for (const bucket of ['non échu', '1–30 j', '31–60 j', '61–90 j', '&gt; 90 j']) expect(svg).toContain(`>${bucket}</text>`);
  });

  it('draws DSO and the recovery rate over the trend, skipping months with no value', () => {
    const dso = /<svg data-chart="dso-trend"[\s\S]*?<\/svg>/.exec(plain(html))?.[0] ?? '';
    const recovery = /<svg data-chart="recovery-trend"[\s\S]*?<\/svg>/.exec(plain(html))?.[0] ?? '';
    expect(dso).toContain('role="img" aria-label="DSO (méthode simple), par mois de avr. 2025 à mars 2026 : avr. 2025 37,9 j ;');
    expect(dso).toContain('août 2025 non disponible');
    expect(dso.match(/<circle class="point"/g)).toHaveLength(11);
    expect(dso.match(/<polyline/g)).toHaveLength(2);
    expect(recovery.match(/<circle class="point"/g)).toHaveLength(10);
    expect(recovery.match(/<polyline/g)).toHaveLength(3);
    for (const month of ['avr. 2025', 'nov. 2025', 'mars 2026']) expect(dso).toContain(`>${month}</text>`);
    // The axis: 0 and a round maximum above the highest value.
    expect(dso).toContain('>0 j</text>');
    expect(dso).toContain('>60 j</text>');
    expect(recovery).toContain('>0 %</text>');
    expect(recovery).toContain('>80 %</text>');
  });

  it('lists the top debtors and the sources', () => {
    const page = plain(html);
    expect(page.match(/<tr><td class="num">\d+<\/td>/g)).toHaveLength(10);
    expect(page).toContain('<td class="num">4 200,00 €</td><td class="num">3 100,00 €</td><td class="num">97&nbsp;j</td>');
    expect(page).toContain('<dt>Créances</dt><dd>FEC 123456789FEC20260331.txt (écritures des comptes 411)</dd>');
    expect(page).toContain('<dt>Litiges</dt><dd>journal relance.db</dd>');
  });
});
