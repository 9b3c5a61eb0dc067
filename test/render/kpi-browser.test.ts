import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiAsHtml } from '../../src/render/kpi-html.js';
import { sampleReport, SAMPLE_COMPANY } from './kpi-sample.js';

// The HTML report in a real headless Chromium (Debian's `chromium` package, as in CI).
// Without a Chromium the suite is skipped with the reason, except in CI where it must run.
const CHROMIUM = findChromium();
const NO_CHROMIUM =
  'pas de Chromium trouvé (CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser) : le test du rapport HTML dans un navigateur ' +
  'est sauté. Installez-le avec « sudo apt-get install -y chromium » ou indiquez CHROMIUM_PATH.';
if (CHROMIUM === null) {
  if (process.env.CI === 'true') throw new Error(`${NO_CHROMIUM} En CI (CI=true), c'est une erreur.`);
  console.warn(`relance tests : ${NO_CHROMIUM}`);
}

function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  return null;
}
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// The printable width of A4 with 15 mm margins, in CSS pixels (96 per inch).
const A4_PRINTABLE_PX = Math.floor(((210 - 2 * 15) / 25.4) * 96);

// The little of the DOM the page-side callbacks use (the project compiles without the DOM library).
interface PageBox { left: number; right: number; top: number; bottom: number }
interface PageElement {
  tagName: string;
  className: unknown;
  textContent: string | null;
  ownerSVGElement: PageElement | null;
  getBoundingClientRect(): PageBox;
}
interface PageDocument {
  documentElement: { scrollWidth: number };
  querySelectorAll(selector: string): Iterable<PageElement>;
}

let browser: Browser;
let page: Page;
const requests: string[] = [];
const report = sampleReport();

beforeAll(async () => {
  if (CHROMIUM === null) return;
  const dir = mkdtempSync(join(tmpdir(), 'relance-kpi-'));
  const file = join(dir, 'kpi.html');
  writeFileSync(file, kpiAsHtml(report, SAMPLE_COMPANY));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

const text = async (selector: string) => ((await page.textContent(selector)) ?? '').replace(/[\u00a0\u202f]/g, ' ');

describe.runIf(CHROMIUM !== null)(`KPI report in Chromium${CHROMIUM === null ? ` (sauté : ${NO_CHROMIUM})` : ''}`, () => {
  it('shows the figures in French', async () => {
    expect(await page.title()).toBe('Indicateurs de recouvrement – Menuiserie Martin & Fils <SAS> – 1er trimestre 2026');
    expect(await text('[data-kpi="dso-simple"]')).toContain('40,0');
    expect(await text('[data-kpi="dso-simple"]')).toContain('créances 20 000,00 € / ventes 45 000,00 € × 90 j');
    expect(await text('[data-kpi="recovery-rate"]')).toContain('75,0 %');
    expect(await text('[data-kpi="cost-per-euro"]')).toContain('0,05 €');
    expect(await text('[data-kpi="weighted-days-late"]')).toContain('non calculable');
    expect(await page.locator('[data-kpi]').count()).toBe(12);
    expect(await text('.debtors-table')).toContain('Dupont & Fils <SARL>');
  });

  it('draws the three charts', async () => {
    const nonNull = (k: 'dsoSimple' | 'recoveryRate') => report.trend.filter((t) => t[k] !== null).length;
    expect(await page.locator('svg[data-chart="aged-balance"] rect.bar').count()).toBe(5);
    expect(await page.locator('svg[data-chart="dso-trend"] circle.point').count()).toBe(nonNull('dsoSimple'));
    expect(await page.locator('svg[data-chart="recovery-trend"] circle.point').count()).toBe(nonNull('recoveryRate'));
    // One null month in each series breaks its line in two.
    expect(await page.locator('svg[data-chart="dso-trend"] polyline').count()).toBe(2);
    expect(await page.locator('svg[data-chart="recovery-trend"] polyline').count()).toBe(3);
    for (const chart of ['aged-balance', 'dso-trend', 'recovery-trend']) {
      const svg = page.locator(`svg[data-chart="${chart}"]`);
      expect(await svg.getAttribute('role')).toBe('img');
      expect(await svg.getAttribute('aria-label')).toMatch(/\S{10}/);
      const box = await svg.boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(300);
      expect(box?.height ?? 0).toBeGreaterThan(100);
    }
    // Every bar is drawn inside its chart.
    const outside = await page.$$eval('svg[data-chart] rect, svg[data-chart] text, svg[data-chart] circle', (els: PageElement[]) =>
      els.filter((e) => {
        const svg = e.ownerSVGElement!.getBoundingClientRect();
        const r = e.getBoundingClientRect();
        return r.left < svg.left - 0.5 || r.right > svg.right + 0.5 || r.top < svg.top - 0.5 || r.bottom > svg.bottom + 0.5;
      }).map((e) => e.textContent ?? e.tagName));
    expect(outside).toEqual([]);
  });

  it('makes no network request', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
  });

  it('fits the width of an A4 page and prints to PDF', async () => {
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: A4_PRINTABLE_PX, height: 1000 });
    const tooWide = await page.evaluate((width) => {
      const { document } = globalThis as unknown as { document: PageDocument };
      const wide = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > width + 0.5);
      return { scroll: document.documentElement.scrollWidth, wide: wide.map((e) => `${e.tagName}.${String(e.className)}`) };
    }, A4_PRINTABLE_PX);
    expect(tooWide).toEqual({ scroll: A4_PRINTABLE_PX, wide: [] });
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.length).toBeGreaterThan(10_000);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdfPath = join(tmpdir(), 'relance-kpi-report.pdf');
    writeFileSync(pdfPath, pdf);
    console.log(`KPI report PDF: ${pdfPath}`);
  });

  it('saves a screenshot', async () => {
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 900, height: 1200 });
    const path = join(tmpdir(), 'relance-kpi-report.png');
    await page.screenshot({ path, fullPage: true });
    expect(existsSync(path)).toBe(true);
    console.log(`KPI report screenshot: ${path}`);
  });
});
