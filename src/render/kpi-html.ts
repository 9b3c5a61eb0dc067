import { formatDateFr } from '../core/dates.js';
import type { AgedBalance } from '../core/kpi.js';
import { formatEuros } from '../core/money.js';
import {
  agedBalanceRows,
  formatChange,
  formatDays,
  formatRate,
  formatTick,
  formatValue,
  kpiFigures,
  missingEntries,
  monthLabel,
  NOT_COMPUTABLE,
  periodLabel,
  periodLine,
  SOURCE_LABELS,
  trendRows,
  type KpiFigure,
  type KpiUnit,
  type KpiView,
  type TrendRow,
} from './kpi-format.js';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

const h = escapeHtml;

/**
 * The CFO's report as one self-contained HTML page (inline CSS and SVG, no script, no
 * network): the figures with their definitions and inputs, the aged balance, the trend
 * of DSO and recovery rate, the top debtors. Prints on A4.
 */
export function kpiAsHtml(report: KpiView, company: { name: string }): string {
  const title = `Indicateurs de recouvrement – ${company.name} – ${periodLabel(report.period)}`;
  const figures = kpiFigures(report);
  const trend = trendRows(report.trend);
  const missing = missingEntries(report);
  const parts: string[] = [];
  parts.push(`<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>Indicateurs de recouvrement</h1>
<p class="company">${h(company.name)}</p>
<p class="period">${h(periodLine(report))}</p>
</header>`);

  parts.push(`<section class="summary" aria-label="Chiffres de base">
<dl>
${basis('Créances TTC en fin de période', report.receivablesCents)}
${basis('dont non échues', report.currentCents)}
${basis('Ventes TTC de la période', report.salesCents)}
</dl>
</section>`);

  parts.push(`<section class="sources">
<h2>Sources</h2>
<dl>
${SOURCE_LABELS.map(([k, label]) => `<dt>${h(label)}</dt><dd>${h(report.sources[k])}</dd>`).join('\n')}
</dl>
</section>`);

  parts.push(`<section class="figures">
<h2>Indicateurs</h2>
<div class="grid">
${figures.map(figureHtml).join('\n')}
</div>
</section>`);

  parts.push(`<section class="aged">
<h2>Balance âgée au ${h(formatDateFr(report.period.to))}</h2>
${report.agedBalance ? agedBalanceChart(report.agedBalance, report.period.to) : `<p class="na">${NOT_COMPUTABLE} : ${h(report.missing.agedBalance ?? 'créances à la fin de la période indisponibles')}</p>`}
</section>`);

  parts.push(`<section class="trend">
<h2>${trend.length === 0 ? 'Tendance' : `Tendance sur ${trend.length} mois`}</h2>
${trend.length === 0 ? `<p class="na">Pas de tendance : ${h(report.missing.trend ?? 'aucun mois antérieur dans les données')}</p>` : trendHtml(trend)}
</section>`);

  parts.push(`<section class="debtors">
<h2>Plus gros débiteurs au ${h(formatDateFr(report.period.to))}</h2>
${debtorsHtml(report.topDebtors)}
</section>`);

  if (missing.length > 0) {
    parts.push(`<section class="missing">
<h2>Non calculable</h2>
<ul>
${missing.map((m) => `<li><strong>${h(m.label)}</strong> : ${h(m.reason)}</li>`).join('\n')}
</ul>
</section>`);
  }

  parts.push(`<footer>Définitions et formules : README de relance, section « Indicateurs ». Montants TTC ; taux en pourcentage ; délais en jours calendaires.</footer>
</main>
</body>
</html>
`);
  return parts.join('\n');
}

function basis(label: string, cents: number | null): string {
  return `<div><dt>${h(label)}</dt><dd>${cents === null ? `<span class="na">${NOT_COMPUTABLE}</span>` : h(formatEuros(cents))}</dd></div>`;
}

function figureHtml(f: KpiFigure): string {
  const na = f.value === null;
  return `<article class="figure${na ? ' na' : ''}" data-kpi="${f.key}">
<h3>${h(f.label)}</h3>
<p class="value">${h(f.text)}</p>
${na ? `<p class="reason">Pourquoi : ${h(f.reason ?? '')}</p>` : ''}
<p class="definition">${h(f.definition)}</p>
<p class="formula"><span>Formule</span> ${h(f.formula)}</p>
${f.inputs ? `<p class="inputs"><span>Calcul</span> ${h(f.inputs)}${na ? '' : ` = ${h(f.text)}`}</p>` : ''}
</article>`;
}

// Chart geometry, in SVG user units; the SVG scales to the width of its section.
const W = 640;

function agedBalanceChart(aged: AgedBalance, date: string): string {
  const top = 34;
  const base = 196;
  const height = 244;
  const { rows, totalCents: total } = agedBalanceRows(aged);
  const slot = (W - 40) / rows.length;
  const barWidth = 74;
  const max = Math.max(1, ...rows.map((b) => b.cents));
  const colours = ['#4f7cac', '#e0b341', '#e08a3c', '#d0603a', '#a8322d'];
  const label = `Balance âgée au ${formatDateFr(date)} : ${rows.map((b) => `${b.label} ${formatEuros(b.cents)}`).join(' ; ')}`;
  const bars = rows.map(({ key: k, label: l, cents, share: fraction }, i) => {
    const barHeight = Math.max(0, (cents / max) * (base - top));
    const cx = 20 + slot * (i + 0.5);
    const x = cx - barWidth / 2;
    const share = fraction === null ? '' : formatRate(fraction);
    return `<g>
<rect class="bar" data-bucket="${k}" x="${n(x)}" y="${n(base - barHeight)}" width="${barWidth}" height="${n(barHeight)}" fill="${colours[i]}"><title>${h(`${l} : ${formatEuros(cents)}`)}</title></rect>
<text class="amount" x="${n(cx)}" y="${n(base - barHeight - 7)}" text-anchor="middle">${h(formatEuros(cents))}</text>
<text class="bucket" x="${n(cx)}" y="${base + 19}" text-anchor="middle">${h(l)}</text>
<text class="share" x="${n(cx)}" y="${base + 37}" text-anchor="middle">${h(share)}</text>
</g>`;
  }).join('\n');
  return `<figure class="chart">
<svg data-chart="aged-balance" role="img" aria-label="${h(label)}" viewBox="0 0 ${W} ${height}" preserveAspectRatio="xMidYMid meet">
<line class="axis" x1="12" y1="${base}" x2="${W - 12}" y2="${base}"/>
${bars}
</svg>
<figcaption>Montants restant dus par retard à la date d’échéance ; total ${h(formatEuros(total))}.</figcaption>
</figure>`;
}

/** A rounded maximum for an axis, at least `value`: a round multiple of a power of ten. */
function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * magnitude >= value - 1e-12) return step * magnitude;
  return 10 * magnitude;
}

function lineChart(chart: string, title: string, points: { month: string; value: number | null }[], unit: KpiUnit, colour: string): string {
  const left = 60;
  const right = 16;
  const top = 26;
  const base = 176;
  const height = 248;
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const max = niceMax(Math.max(0, ...values));
  const step = (W - left - right) / Math.max(1, points.length);
  const xOf = (i: number) => left + step * (i + 0.5);
  const yOf = (v: number) => base - (Math.max(0, v) / max) * (base - top);

  // Points with no value break the line: one polyline per run of known months.
  const runs: string[][] = [];
  let run: string[] = [];
  points.forEach((p, i) => {
    if (p.value === null) {
      if (run.length > 0) runs.push(run);
      run = [];
    } else run.push(`${n(xOf(i))},${n(yOf(p.value))}`);
  });
  if (run.length > 0) runs.push(run);

  const first = points[0];
  const last = points[points.length - 1];
  const span = first && last ? ` de ${monthLabel(first.month)} à ${monthLabel(last.month)}` : '';
  const label = `${title}${span} : ${points.map((p) => `${monthLabel(p.month)} ${p.value === null ? 'non disponible' : formatValue(p.value, unit)}`).join(' ; ')}`;
  const marks = points.map((p, i) => {
    const x = n(xOf(i));
    const month = `<text class="month" x="${x}" y="${base + 14}" text-anchor="end" transform="rotate(-40 ${x} ${base + 14})">${h(monthLabel(p.month))}</text>`;
    if (p.value === null) return `<text class="nd" x="${x}" y="${base - 6}" text-anchor="middle">n.d.</text>\n${month}`;
    const y = yOf(p.value);
    const text = formatValue(p.value, unit);
    return `<circle class="point" cx="${x}" cy="${n(y)}" r="3.5" fill="${colour}"><title>${h(`${monthLabel(p.month)} : ${text}`)}</title></circle>
<text class="point-value" x="${x}" y="${n(y - 9)}" text-anchor="middle">${h(text)}</text>
${month}`;
  }).join('\n');

  return `<figure class="chart">
<figcaption>${h(title)}</figcaption>
<svg data-chart="${chart}" role="img" aria-label="${h(label)}" viewBox="0 0 ${W} ${height}" preserveAspectRatio="xMidYMid meet">
<line class="grid" x1="${left}" y1="${top}" x2="${W - right}" y2="${top}"/>
<line class="axis" x1="${left}" y1="${base}" x2="${W - right}" y2="${base}"/>
<line class="axis" x1="${left}" y1="${top}" x2="${left}" y2="${base}"/>
<text class="tick" x="${left - 6}" y="${base + 4}" text-anchor="end">${h(formatTick(0, unit))}</text>
<text class="tick" x="${left - 6}" y="${top + 4}" text-anchor="end">${h(formatTick(max, unit))}</text>
${runs.map((r) => `<polyline class="line" points="${r.join(' ')}" fill="none" stroke="${colour}"/>`).join('\n')}
${marks}
</svg>
</figure>`;
}

function trendHtml(trend: TrendRow[]): string {
  const change = (delta: number | null, unit: KpiUnit) => (delta === null ? '—' : h(formatChange(delta, unit)));
  const amount = (cents: number | null) => (cents === null ? 'n.d.' : h(formatEuros(cents)));
  return `${lineChart('dso-trend', 'DSO (méthode simple), par mois', trend.map((t) => ({ month: t.month, value: t.dsoSimple })), 'days', '#1f5f99')}
${lineChart('recovery-trend', 'Taux de recouvrement, par mois', trend.map((t) => ({ month: t.month, value: t.recoveryRate })), 'rate', '#2e7d4f')}
<table class="trend-table">
<thead><tr><th>Mois</th><th class="num">Créances</th><th class="num">Ventes</th><th class="num">DSO</th><th class="num">Évolution</th><th class="num">Recouvrement</th><th class="num">Évolution</th></tr></thead>
<tbody>
${trend.map((t) => `<tr><td>${h(monthLabel(t.month))}</td><td class="num">${amount(t.receivablesCents)}</td><td class="num">${amount(t.salesCents)}</td><td class="num">${t.dsoSimple === null ? 'n.d.' : h(formatDays(t.dsoSimple))}</td><td class="num">${change(t.dsoChange, 'days')}</td><td class="num">${t.recoveryRate === null ? 'n.d.' : h(formatRate(t.recoveryRate))}</td><td class="num">${change(t.recoveryChange, 'rate')}</td></tr>`).join('\n')}
</tbody>
</table>
<p class="note">n.d. : mois sans donnée suffisante ; l’évolution compare au mois précédent (en points pour les taux).</p>`;
}

function debtorsHtml(debtors: KpiView['topDebtors']): string {
  if (debtors.length === 0) return '<p>Aucun client ne doit rien.</p>';
  return `<table class="debtors-table">
<thead><tr><th class="num">Rang</th><th>Client</th><th class="num">Solde</th><th class="num">dont échu</th><th class="num">Retard max</th></tr></thead>
<tbody>
${debtors.slice(0, 10).map((d, i) => `<tr><td class="num">${i + 1}</td><td><span class="code">${h(d.clientCode)}</span> ${h(d.clientName)}</td><td class="num">${h(formatEuros(d.balanceCents))}</td><td class="num">${h(formatEuros(d.overdueCents))}</td><td class="num">${d.oldestDaysLate > 0 ? `${d.oldestDaysLate}&nbsp;j` : '—'}</td></tr>`).join('\n')}
</tbody>
</table>`;
}

/** A coordinate with at most one decimal, so the SVG stays short and stable. */
function n(x: number): string {
  return String(Math.round(x * 10) / 10);
}

const CSS = `
@page { size: A4; margin: 15mm; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 10.5pt; line-height: 1.4; color: #1f2933; background: #fff; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; }
main { max-width: 180mm; margin: 0 auto; padding: 10mm 4mm; }
h1 { font-size: 18pt; margin: 0; color: #1f3b57; }
h2 { font-size: 13pt; margin: 0 0 3mm; padding-bottom: 1mm; border-bottom: 2px solid #1f5f99; color: #1f3b57; }
h3 { font-size: 10pt; margin: 0; color: #334e68; }
p { margin: 1mm 0; }
header { margin-bottom: 5mm; }
header .company { font-size: 13pt; font-weight: 600; margin: 1mm 0 0; overflow-wrap: anywhere; }
header .period { color: #52606d; margin: 0; }
section { margin-top: 6mm; break-inside: avoid; page-break-inside: avoid; }
section.figures, section.trend { break-inside: auto; page-break-inside: auto; }
dl { margin: 0; }
.summary dl { display: flex; flex-wrap: wrap; gap: 3mm; }
.summary dl > div { flex: 1 1 0; min-width: 0; border: 1px solid #d9e2ec; border-radius: 2mm; padding: 2mm 3mm; background: #f5f7fa; }
.summary dt { font-size: 9pt; color: #52606d; }
.summary dd { margin: 0; font-size: 12pt; font-weight: 700; white-space: nowrap; }
.sources dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.5mm 4mm; font-size: 9.5pt; }
.sources dt { font-weight: 600; }
.sources dd { margin: 0; overflow-wrap: anywhere; }
.grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 3mm; }
.figure { border: 1px solid #d9e2ec; border-radius: 2mm; padding: 2.5mm 3mm; break-inside: avoid; page-break-inside: avoid; }
.figure .value { font-size: 17pt; font-weight: 700; color: #1f5f99; margin: 0.5mm 0 1mm; white-space: nowrap; }
.figure.na .value { font-size: 13pt; color: #9a6700; }
.figure .reason { font-size: 9pt; color: #9a6700; }
.figure .definition { font-size: 9pt; }
.figure .formula, .figure .inputs { font-size: 8.5pt; color: #52606d; overflow-wrap: anywhere; }
.figure .formula span, .figure .inputs span { display: inline-block; font-weight: 600; color: #334e68; margin-right: 1mm; }
.figure .inputs { color: #1f2933; font-variant-numeric: tabular-nums; }
figure.chart { margin: 0 0 4mm; break-inside: avoid; page-break-inside: avoid; }
figure.chart figcaption { font-size: 9.5pt; color: #52606d; }
figure.chart svg { display: block; width: 100%; height: auto; max-width: 100%; }
svg text { font-family: inherit; fill: #1f2933; }
svg .amount { font-size: 13px; font-weight: 700; }
svg .bucket { font-size: 13px; }
svg .share { font-size: 12px; fill: #52606d; }
svg .tick, svg .month { font-size: 12px; fill: #52606d; }
svg .point-value { font-size: 11px; font-weight: 600; }
svg .nd { font-size: 11px; fill: #9aa5b1; font-style: italic; }
svg .axis { stroke: #7b8794; stroke-width: 1; }
svg .grid { stroke: #d9e2ec; stroke-width: 1; stroke-dasharray: 4 3; }
svg .line { stroke-width: 2.5; stroke-linejoin: round; stroke-linecap: round; }
table { width: 100%; border-collapse: collapse; font-size: 9pt; font-variant-numeric: tabular-nums; }
th { text-align: left; font-weight: 600; color: #334e68; border-bottom: 1.5px solid #9aa5b1; padding: 1mm 1.5mm; }
td { border-bottom: 1px solid #e4e7eb; padding: 0.8mm 1.5mm; overflow-wrap: anywhere; }
.num { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; page-break-inside: avoid; }
.code { color: #52606d; font-size: 8.5pt; }
.note { font-size: 8.5pt; color: #52606d; }
p.na, span.na { color: #9a6700; }
.missing ul { margin: 0; padding-left: 5mm; }
footer { margin-top: 8mm; padding-top: 2mm; border-top: 1px solid #d9e2ec; font-size: 8.5pt; color: #52606d; }
@media print {
  main { max-width: none; padding: 0; }
}
`;
