import { existsSync, readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { RelanceError } from '../errors.js';
import { imageKind, mm, parseLetter, type Align, type Block, type ImageBlock, type ParaBlock, type ParsedLetter, type Row, type Run, type TableBlock, type TextStyle } from './letter-blocks.js';

/**
 * Printable letters as PDF (A4), drawn with pdfkit from the `letter` part of a template:
 * the restricted HTML of our own templates (header, address, p, table, ul, strong, em,
 * br, small, img; classes entete, mention, destinataire, lieu, objet, pied) is turned into
 * laid-out blocks, then drawn. Any other tag keeps its text, so a user's own template still
 * gives a readable letter. Format only: nothing is recomputed, every word comes from the HTML.
 *
 * Page 1 follows the French window-envelope layout (DL 110 × 220 mm, window 100 × 45 mm on
 * the right, NF Z 10-011 / La Poste « Guide pratique courrier »): the recipient's block sits
 * in an 85 × 33 mm frame 110 mm from the left edge and 55 mm from the top of the sheet, the
 * position La Poste recommends for a letter folded in three, leaving room above it for the
 * registered-mail mention (« Lettre recommandée… »). The letterhead (logo, name, address,
 * SIREN) is top left; every page ends with the `pied` line and « page N/M ».
 */

/** How letters are drawn. */
export interface PdfOptions {
  /** The company's logo (PNG or JPEG), drawn above the letterhead; null for none. */
  logoPath: string | null;
  /** Fixed for reproducible bytes: same letters and date, same PDF (and SHA-256). */
  creationDate: Date;
}

/** A letter that cannot be made into a PDF (unreadable logo…). */
export class PdfError extends RelanceError {}

/** One letter as a PDF document. */
export async function letterPdf(letterHtml: string, opts: PdfOptions): Promise<Buffer> {
  return lettersPdf([letterHtml], opts);
}

/** Several letters in one PDF, each starting on a new page and numbered on its own (« page 1/2 »). */
export async function lettersPdf(letterHtmls: string[], opts: PdfOptions): Promise<Buffer> {
  const logo = opts.logoPath === null ? null : readLogo(opts.logoPath);
  const parsed = letterHtmls.map(parseLetter);
  const doc = new PDFDocument({
    size: 'A4',
    autoFirstPage: false,
    bufferPages: true,
    compress: true,
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    info: {
      Title: parsed.length === 1 ? parsed[0]!.title : 'Courriers à imprimer',
      Producer: 'relance',
      Creator: 'relance',
      CreationDate: opts.creationDate,
      ModDate: opts.creationDate,
    },
  });
  const fonts = registerFonts(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (parsed.length === 0) doc.addPage({ size: 'A4', margins: { top: 0, bottom: 0, left: 0, right: 0 } });
  for (const letter of parsed) new LetterWriter(doc, fonts, logo).write(letter);
  doc.end();
  return done;
}

// ---------------------------------------------------------------------------------------
// Fonts

/**
 * pdfkit's standard fonts (Times, Helvetica) only know WinAnsi: no narrow no-break space
 * (U+202F), which French amounts use as thousands separator (`1 656,00 €`). DejaVu Serif
 * (Debian fonts-dejavu-core, italics in fonts-dejavu-extra) has it, with €, œ, ’, −, ×:
 * embedded (subset), pdftotext gives the amounts back exactly as the letter writes them.
 * Without it, the standard Times is used and the characters it lacks are replaced by their
 * nearest look-alike (U+202F → U+00A0, − → -): the digits never change.
 */
const FONT_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/dejavu', '/usr/share/fonts/TTF', '/usr/local/share/fonts/dejavu'];
const FONT_FILES = { regular: 'DejaVuSerif.ttf', bold: 'DejaVuSerif-Bold.ttf', italic: 'DejaVuSerif-Italic.ttf', boldItalic: 'DejaVuSerif-BoldItalic.ttf' };

type FontKey = keyof typeof FONT_FILES;
interface Fonts {
  names: Record<FontKey, string>;
  /** True when the fonts are the standard WinAnsi ones (characters outside it are replaced). */
  winAnsi: boolean;
}

function findFont(file: string): string | null {
  for (const dir of FONT_DIRS) {
    const path = `${dir}/${file}`;
    if (existsSync(path)) return path;
  }
  return null;
}

/**
 * The fonts, parsed once per process: parsing a TrueType font (fontkit) costs more than laying
 * out a letter, and pdfkit takes a parsed font as well as a file. Each document still embeds
 * its own subset. Null when DejaVu Serif is not installed.
 */
let parsed: Record<FontKey, fontkit.Font> | null | undefined;

function parsedFonts(): Record<FontKey, fontkit.Font> | null {
  if (parsed !== undefined) return parsed;
  const regular = findFont(FONT_FILES.regular);
  const bold = findFont(FONT_FILES.bold);
  if (regular === null || bold === null) return (parsed = null);
  const paths: Record<FontKey, string> = { regular, bold, italic: findFont(FONT_FILES.italic) ?? regular, boldItalic: findFont(FONT_FILES.boldItalic) ?? bold };
  const open = (path: string) => fontkit.create(readFileSync(path)) as fontkit.Font;
  const byPath = new Map<string, fontkit.Font>();
  const fontOf = (path: string) => byPath.get(path) ?? byPath.set(path, open(path)).get(path)!;
  parsed = { regular: fontOf(paths.regular), bold: fontOf(paths.bold), italic: fontOf(paths.italic), boldItalic: fontOf(paths.boldItalic) };
  return parsed;
}

function registerFonts(doc: PDFKit.PDFDocument): Fonts {
  const fonts = parsedFonts();
  if (fonts === null) {
    return { names: { regular: 'Times-Roman', bold: 'Times-Bold', italic: 'Times-Italic', boldItalic: 'Times-BoldItalic' }, winAnsi: true };
  }
  // pdfkit accepts a parsed fontkit font where its types say a path or a buffer.
  for (const key of Object.keys(fonts) as FontKey[]) doc.registerFont(`serif-${key}`, fonts[key] as unknown as Buffer);
  return { names: { regular: 'serif-regular', bold: 'serif-bold', italic: 'serif-italic', boldItalic: 'serif-boldItalic' }, winAnsi: false };
}

/** Characters of WinAnsi (cp1252) above U+00FF. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const LOOK_ALIKES: Record<string, string> = { '\u202f': '\u00a0', '\u2009': ' ', '\u2007': ' ', '\u2212': '-', '\u2010': '-', '\u2011': '-', '\u2192': '->', '\u2264': '<=', '\u2265': '>=', '\u2248': '~' };

function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code <= 0xff || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else out += LOOK_ALIKES[ch] ?? '?';
  }
  return out;
}

function readLogo(path: string): Buffer {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch {
    throw new PdfError(`logo illisible : ${path}.`, 'vérifiez company.logo dans la configuration (chemin d\'un fichier PNG ou JPEG, relatif au dossier de la configuration).');
  }
  if (imageKind(data) === null) {
    throw new PdfError(`logo ${path} : ce n'est ni un PNG ni un JPEG.`, 'company.logo doit désigner une image PNG ou JPEG.');
  }
  return data;
}


// ---------------------------------------------------------------------------------------
// Layout and drawing


const PAGE_W = mm(210);
const PAGE_H = mm(297);
const MARGIN_LEFT = mm(20);
const MARGIN_RIGHT = mm(18);
const MARGIN_TOP = mm(18);
const CONTENT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT;
/** The footer zone: `pied` line and page number, from here to the bottom margin. */
const FOOTER_TOP = PAGE_H - mm(20);
const CONTENT_BOTTOM = FOOTER_TOP - mm(4);
/** The address frame of a DL window envelope (see the header comment). */
const WINDOW = { x: mm(110), y: mm(55), w: mm(85), h: mm(33) };
/** The mention « Lettre recommandée… », just above the address, still in the window. */
const MENTION_Y = mm(47);
/** Below the window and the first fold (99 mm), where the text of page 1 starts at the latest. */
const BODY_START_MIN = mm(96);

const SIZES = { body: 10.5, mention: 9, entete: 9, enteteName: 13, small: 8.5, table: 9, tableDense: 8, pied: 8 };
const LINE = 1.32;
const TEXT_COLOR = '#111111';
const GREY = '#555555';

interface Fragment {
  text: string;
  font: string;
  size: number;
  color: string;
  x: number;
  width: number;
}
interface Line {
  fragments: Fragment[];
  images: { image: ImageBlock; x: number; w: number; h: number }[];
  width: number;
  height: number;
  ascent: number;
}

/**
 * Widths of text at 1 pt, by font name (the same fonts for the whole process): shaping text
 * (fontkit) is the slow part of the layout, and letters repeat their words.
 */
const WIDTHS = new Map<string, number>();

class LetterWriter {
  private y = 0;
  private firstPage = 0;
  private pied: ParaBlock[] = [];

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly fonts: Fonts,
    private readonly logo: Buffer | null,
  ) {}

  write(letter: ParsedLetter): void {
    this.addPage();
    this.firstPage = this.doc.bufferedPageRange().start + this.doc.bufferedPageRange().count - 1;
    const blocks = letter.blocks;
    this.pied = blocks.filter((b): b is ParaBlock => b.kind === 'para' && b.role === 'pied');
    const entete = blocks.filter((b) => b.role === 'entete');
    const mention = blocks.filter((b) => b.role === 'mention');
    const address = blocks.filter((b) => b.role === 'destinataire');
    const flow = blocks.filter((b) => b.role !== 'entete' && b.role !== 'mention' && b.role !== 'destinataire' && b.role !== 'pied');

    // Letterhead, top left: the logo, then the header's lines.
    let headBottom = MARGIN_TOP;
    if (this.logo) {
      const img = (this.doc as unknown as { openImage(src: Buffer): { width: number; height: number } }).openImage(this.logo);
      const scale = Math.min(mm(50) / img.width, mm(20) / img.height);
      this.doc.image(this.logo, MARGIN_LEFT, MARGIN_TOP, { width: img.width * scale, height: img.height * scale });
      headBottom += img.height * scale + mm(3);
    }
    this.y = headBottom;
    const headWidth = WINDOW.x - MARGIN_LEFT - mm(8);
    for (const b of entete) this.drawBlock(b, MARGIN_LEFT, headWidth, false);
    headBottom = this.y;

    // The window: mention, then the recipient's block in the address frame.
    let windowBottom = 0;
    if (mention.length > 0 || address.length > 0) {
      if (mention.length > 0) {
        this.y = MENTION_Y;
        for (const b of mention) this.drawBlock(b, WINDOW.x, WINDOW.w, false, { align: 'left', gap: 0 });
      }
      this.y = Math.max(WINDOW.y, mention.length > 0 ? this.y + mm(1) : WINDOW.y);
      for (const b of address) this.drawBlock(b, WINDOW.x, WINDOW.w, false, { align: 'left', gap: 0 });
      windowBottom = Math.max(this.y, WINDOW.y + WINDOW.h);
    }
    this.y = Math.max(headBottom + mm(6), windowBottom > 0 ? Math.max(windowBottom + mm(6), BODY_START_MIN) : headBottom + mm(6));

    flow.forEach((b, i) => {
      // A group (the signature) starts on a new page rather than being split, when it fits on one.
      if (b.kind === 'para' && b.group !== 0 && (i === 0 || (flow[i - 1] as ParaBlock).group !== b.group)) {
        let end = i;
        while (end < flow.length && flow[end]!.kind === 'para' && (flow[end] as ParaBlock).group === b.group) end++;
        const height = (flow.slice(i, end) as ParaBlock[]).reduce((h, m) => h + this.heightOf(m, CONTENT_W), 0);
        if (this.y + height > CONTENT_BOTTOM && MARGIN_TOP + height <= CONTENT_BOTTOM) this.addPage();
      }
      this.drawBlock(b, MARGIN_LEFT, CONTENT_W, true);
    });
    this.drawFooters();
  }

  private addPage(): void {
    this.doc.addPage({ size: 'A4', margins: { top: 0, bottom: 0, left: 0, right: 0 } });
    this.y = MARGIN_TOP;
  }

  private clean(text: string): string {
    return this.fonts.winAnsi ? toWinAnsi(text) : text;
  }

  private fontOf(style: TextStyle): string {
    const n = this.fonts.names;
    return style.bold ? (style.italic ? n.boldItalic : n.bold) : style.italic ? n.italic : n.regular;
  }

  private sizeOf(block: ParaBlock | null, style: TextStyle, base: number): number {
    if (style.small) return Math.min(base, SIZES.small);
    if (block && block.role === 'entete' && style.bold && isFirstBold(block, style)) return SIZES.enteteName;
    return base;
  }

  private measure(text: string, font: string, size: number): number {
    const key = `${font}\u0000${text}`;
    let w = WIDTHS.get(key);
    if (w === undefined) {
      w = this.doc.font(font).fontSize(1).widthOfString(this.clean(text));
      if (WIDTHS.size > 100_000) WIDTHS.clear();
      WIDTHS.set(key, w);
    }
    return w * size;
  }

  /** Breaks runs into lines no wider than `width`; breaks only at ordinary spaces and <br>. */
  private layout(runs: Run[], width: number, base: number, block: ParaBlock | null, color: string, nowrap = false): Line[] {
    type Piece = { text: string; font: string; size: number; color: string } | { image: ImageBlock } | { br: true };
    // Units: unbreakable sequences of pieces, each preceded by a space or not.
    type Unit = { pieces: Piece[]; space: Piece | null };
    const units: Unit[] = [];
    let current: Unit | null = null;
    let pendingSpace: Piece | null = null;
    const push = (p: Piece, breakBefore: boolean) => {
      if (current === null || breakBefore) {
        current = { pieces: [], space: pendingSpace };
        units.push(current);
        pendingSpace = null;
      }
      current.pieces.push(p);
    };
    for (const r of runs) {
      if ('br' in r) {
        units.push({ pieces: [{ br: true }], space: null });
        current = null;
        pendingSpace = null;
        continue;
      }
      if ('image' in r) {
        push({ image: r.image }, true);
        current = null;
        continue;
      }
      const font = this.fontOf(r.style);
      const size = this.sizeOf(block, r.style, base);
      const c = r.style.color ?? color;
      const parts = nowrap ? [r.text] : r.text.split(/( +)/);
      for (const part of parts) {
        if (part === '') continue;
        if (!nowrap && /^ +$/.test(part)) {
          pendingSpace = { text: ' ', font, size, color: c };
          current = null;
          continue;
        }
        push({ text: part, font, size, color: c }, current === null);
      }
    }

    const lines: Line[] = [];
    let line: Line = newLine();
    const finish = () => {
      lines.push(line);
      line = newLine();
    };
    const widthOf = (p: Piece): number => ('text' in p ? this.measure(p.text, p.font, p.size) : 'image' in p ? p.image.widthPt : 0);
    for (const unit of units) {
      if (unit.pieces.length === 1 && 'br' in unit.pieces[0]!) {
        if (line.height === 0) line.height = base * LINE;
        finish();
        continue;
      }
      const unitWidth = unit.pieces.reduce((s, p) => s + widthOf(p), 0);
      const spaceWidth = unit.space && line.fragments.length + line.images.length > 0 ? widthOf(unit.space) : 0;
      if (line.width > 0 && line.width + spaceWidth + unitWidth > width + 0.01) finish();
      if (unit.space && (line.fragments.length > 0 || line.images.length > 0)) this.place(line, unit.space as { text: string; font: string; size: number; color: string }, widthOf(unit.space));
      for (const p of unit.pieces) {
        if ('image' in p) {
          const w = Math.min(p.image.widthPt, width);
          const h = p.image.heightPt ?? w;
          line.images.push({ image: p.image, x: line.width, w, h });
          line.width += w;
          line.height = Math.max(line.height, h + base * 0.3);
          line.ascent = Math.max(line.ascent, h);
          continue;
        }
        if ('br' in p) continue;
        let text = p.text;
        // A word wider than the whole line is cut where it must be.
        while (this.measure(text, p.font, p.size) > width - line.width + 0.01 && text.length > 1) {
          let n = text.length - 1;
          while (n > 1 && this.measure(text.slice(0, n), p.font, p.size) > width - line.width) n--;
          if (line.width > 0 && n <= 1) {
            finish();
            continue;
          }
          this.place(line, { ...p, text: text.slice(0, n) }, this.measure(text.slice(0, n), p.font, p.size));
          finish();
          text = text.slice(n);
        }
        this.place(line, { ...p, text }, this.measure(text, p.font, p.size));
      }
    }
    if (line.fragments.length > 0 || line.images.length > 0) finish();
    return lines;
  }

  /** The widest piece of text a line cannot break (a word, an amount with its no-break spaces). */
  private widestWord(runs: Run[], base: number): number {
    let widest = 0;
    for (const r of runs) {
      if ('image' in r) widest = Math.max(widest, r.image.widthPt);
      if (!('text' in r)) continue;
      for (const word of r.text.split(/ +/)) widest = Math.max(widest, this.measure(word, this.fontOf(r.style), this.sizeOf(null, r.style, base)));
    }
    return widest;
  }

  private place(line: Line, p: { text: string; font: string; size: number; color: string }, w: number): void {
    const prev = line.fragments[line.fragments.length - 1];
    if (prev && prev.font === p.font && prev.size === p.size && prev.color === p.color && prev.x + prev.width === line.width) {
      prev.text += p.text;
      prev.width += w;
    } else line.fragments.push({ text: p.text, font: p.font, size: p.size, color: p.color, x: line.width, width: w });
    line.width += w;
    line.height = Math.max(line.height, p.size * LINE);
    line.ascent = Math.max(line.ascent, p.size);
  }

  private drawLine(line: Line, x: number, width: number, align: Align): void {
    const offset = align === 'right' ? width - line.width : align === 'center' ? (width - line.width) / 2 : 0;
    const top = this.y;
    for (const f of line.fragments) {
      const baselineShift = line.ascent - f.size;
      this.doc
        .font(f.font)
        .fontSize(f.size)
        .fillColor(f.color)
        .text(this.clean(f.text), x + offset + f.x, top + baselineShift + (f.size * (LINE - 1)) / 2, { lineBreak: false });
    }
    for (const img of line.images) this.doc.image(img.image.data, x + offset + img.x, top, { fit: [img.w, img.h] });
    this.y += line.height;
  }

  private drawBlock(b: Block, x: number, width: number, paginate: boolean, over: { align?: Align; gap?: number } = {}): void {
    if (b.kind === 'table') return this.drawTable(b, x, width);
    if (b.kind === 'image') {
      const h = b.heightPt ?? b.widthPt;
      if (paginate && this.y + h > CONTENT_BOTTOM) this.addPage();
      this.doc.image(b.data, x, this.y, { fit: [Math.min(b.widthPt, width), h] });
      this.y += h + mm(3);
      return;
    }
    const { base, lines, gap: ownGap } = this.linesOf(b, width);
    const indent = b.indent;
    if (paginate && b.marginTop > 0 && this.y > MARGIN_TOP) this.y = Math.min(this.y + b.marginTop, CONTENT_BOTTOM);
    const gap = over.gap ?? ownGap;
    // Keep two lines together at a page break (no widow or orphan of one line).
    lines.forEach((line, i) => {
      if (paginate) {
        // The first line needs the second with it; the last but one needs the last.
        const together = i === 0 || lines.length - i === 2 ? lines.slice(i, i + 2) : [line];
        if (this.y + together.reduce((h, l) => h + l.height, 0) > CONTENT_BOTTOM) this.addPage();
      }
      if (i === 0 && b.bullet) {
        // The bullet or number ends 5 pt before the text (a word gap for pdftotext).
        const bw = this.measure(b.bullet, this.fonts.names.regular, base);
        this.doc.font(this.fonts.names.regular).fontSize(base).fillColor(TEXT_COLOR).text(this.clean(b.bullet), x + indent - 5 - bw, this.y + (base * (LINE - 1)) / 2, { lineBreak: false });
      }
      this.drawLine(line, x + indent, width - indent, over.align ?? b.align);
    });
    this.y += gap;
  }

  private linesOf(b: ParaBlock, width: number): { base: number; lines: Line[]; gap: number } {
    const base = b.role === 'entete' ? SIZES.entete : b.role === 'mention' ? SIZES.mention : b.heading > 0 ? SIZES.body + Math.max(0, 4 - b.heading) * 1.5 : SIZES.body;
    const runs = b.heading > 0 ? b.runs.map((r) => ('text' in r ? { text: r.text, style: { ...r.style, bold: true } } : r)) : b.runs;
    const lines = this.layout(runs, width - b.indent, base, b, TEXT_COLOR, b.nowrap);
    return { base, lines, gap: b.role === 'entete' ? mm(1) : b.role === 'lieu' ? mm(6) : base * 0.55 };
  }

  /** The height a paragraph takes, its space before and after included. */
  private heightOf(b: ParaBlock, width: number): number {
    const { lines, gap } = this.linesOf(b, width);
    return b.marginTop + lines.reduce((h, l) => h + l.height, 0) + gap;
  }

  private drawTable(t: TableBlock, x: number, width: number): void {
    const all = [...t.head, ...t.body, ...t.foot];
    const columns = Math.max(0, ...all.map((r) => r.cells.reduce((s, c) => s + c.colspan, 0)));
    if (columns === 0) return;
    const size = columns > 6 ? SIZES.tableDense : SIZES.table;
    const pad = columns > 6 ? 3 : 5;
    // Column widths from the cells' content (colspan cells ignored): natural, or shrunk to fit.
    const minW = new Array<number>(columns).fill(0);
    const maxW = new Array<number>(columns).fill(0);
    for (const row of all) {
      let col = 0;
      for (const cell of row.cells) {
        if (cell.colspan === 1 && col < columns) {
          const natural = this.layout(cell.runs, 1e6, size, null, TEXT_COLOR);
          const max = Math.max(0, ...natural.map((l) => l.width)) + 2 * pad;
          const min = cell.nowrap ? max : this.widestWord(cell.runs, size) + 2 * pad;
          maxW[col] = Math.max(maxW[col]!, max);
          minW[col] = Math.max(minW[col]!, Math.min(min, max));
        }
        col += cell.colspan;
      }
    }
    const sumMax = maxW.reduce((a, b) => a + b, 0);
    const sumMin = minW.reduce((a, b) => a + b, 0);
    let widths: number[];
    if (sumMax <= width) widths = maxW.map((w) => w + (width - sumMax) / columns);
    else if (sumMin <= width) widths = maxW.map((w, i) => minW[i]! + ((w - minW[i]!) * (width - sumMin)) / Math.max(1e-6, sumMax - sumMin));
    else widths = minW.map((w) => (w * width) / sumMin);

    const rowLayout = (row: Row) => {
      let col = 0;
      const cells = row.cells.map((cell) => {
        const w = widths.slice(col, col + cell.colspan).reduce((a, b) => a + b, 0);
        const cx = widths.slice(0, col).reduce((a, b) => a + b, 0);
        col += cell.colspan;
        const lines = this.layout(cell.runs, Math.max(1, w - 2 * pad), size, null, TEXT_COLOR);
        const align: Align = cell.align ?? (looksNumeric(cell.runs) ? 'right' : 'left');
        return { cell, lines, x: cx, w, align, height: lines.reduce((s, l) => s + l.height, 0) };
      });
      return { cells, height: Math.max(size * LINE, ...cells.map((c) => c.height)) + 2 * pad * 0.6 };
    };
    const drawRow = (row: Row, rule: 'below' | 'above' | null) => {
      const laid = rowLayout(row);
      const top = this.y;
      for (const c of laid.cells) {
        this.y = top + pad * 0.6;
        for (const line of c.lines) this.drawLine(line, x + c.x + pad, c.w - 2 * pad, c.align);
      }
      this.y = top + laid.height;
      if (rule) {
        const ry = rule === 'below' ? this.y : top;
        this.doc.moveTo(x, ry).lineTo(x + width, ry).lineWidth(0.5).strokeColor('#999999').stroke();
      }
    };
    const headHeight = t.head.reduce((s, r) => s + rowLayout(r).height, 0);
    const drawHead = () => t.head.forEach((r, i) => drawRow(r, i === t.head.length - 1 ? 'below' : null));

    this.y += mm(1.5);
    const firstRow = t.body[0] ?? t.foot[0];
    if (this.y + headHeight + (firstRow ? rowLayout(firstRow).height : 0) > CONTENT_BOTTOM) this.addPage();
    drawHead();
    const rows: { row: Row; rule: 'below' | 'above' | null }[] = [
      ...t.body.map((row) => ({ row, rule: null as 'below' | 'above' | null })),
      ...t.foot.map((row, i) => ({ row, rule: (i === 0 ? 'above' : null) as 'below' | 'above' | null })),
    ];
    for (const { row, rule } of rows) {
      // A row is never split: it moves to the next page, under the repeated header row.
      if (this.y + rowLayout(row).height > CONTENT_BOTTOM) {
        this.addPage();
        drawHead();
      }
      drawRow(row, rule);
    }
    this.y += mm(3);
  }

  /** The `pied` line and « page N/M » on every page of this letter. */
  private drawFooters(): void {
    const range = this.doc.bufferedPageRange();
    const last = range.start + range.count - 1;
    const total = last - this.firstPage + 1;
    for (let i = this.firstPage; i <= last; i++) {
      this.doc.switchToPage(i);
      const label = `page ${i - this.firstPage + 1}/${total}`;
      const labelWidth = this.measure(label, this.fonts.names.regular, SIZES.pied);
      this.doc.moveTo(MARGIN_LEFT, FOOTER_TOP).lineTo(PAGE_W - MARGIN_RIGHT, FOOTER_TOP).lineWidth(0.5).strokeColor('#999999').stroke();
      this.y = FOOTER_TOP + mm(1.5);
      const top = this.y;
      for (const p of this.pied) {
        const lines = this.layout(p.runs, CONTENT_W - labelWidth - mm(6), SIZES.pied, null, GREY);
        for (const line of lines) this.drawLine(line, MARGIN_LEFT, CONTENT_W - labelWidth - mm(6), 'left');
      }
      this.doc.font(this.fonts.names.regular).fontSize(SIZES.pied).fillColor(GREY).text(label, PAGE_W - MARGIN_RIGHT - labelWidth, top + (SIZES.pied * (LINE - 1)) / 2, { lineBreak: false });
    }
    this.doc.switchToPage(last);
  }
}

function newLine(): Line {
  return { fragments: [], images: [], width: 0, height: 0, ascent: 0 };
}

/** The first bold run of the letterhead is the company's name, printed larger. */
function isFirstBold(block: ParaBlock, style: TextStyle): boolean {
  const first = block.runs.find((r) => 'text' in r && r.style.bold);
  return first !== undefined && 'text' in first && first.style === style;
}

/** A cell of amounts, days or percentages (« 1 656,00 € », « 12 j », « −40,00 € »): right-aligned. */
function looksNumeric(runs: Run[]): boolean {
  const text = runs.map((r) => ('text' in r ? r.text : ' ')).join('').trim();
  return text !== '' && /^[−\-+]?[\d\s\u00a0\u202f.,]+(\s?(€|%|j|jours?))?(\s?\(\*\))?(\s.*)?$/u.test(text) && /\d/.test(text) && !/^\d{2}\/\d{2}\/\d{4}/.test(text);
}
