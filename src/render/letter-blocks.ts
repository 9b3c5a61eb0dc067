/**
 * The letter part of a template (our templates' restricted HTML: header, address, p,
 * table, ul, strong, em, br, small, img; classes entete, mention, destinataire, lieu,
 * objet, pied), read into the blocks the PDF is laid out from. Tolerant of anything else:
 * an unknown tag keeps its text, entities are decoded, a remote image prints its alt text.
 * Format only: every word comes from the HTML.
 */

/** Millimetres in PDF points. */
export function mm(v: number): number {
  return (v * 72) / 25.4;
}
// ---------------------------------------------------------------------------------------
// HTML → tree (our templates' restricted HTML; tolerant of anything else)

interface ElementNode {
  tag: string;
  attrs: Record<string, string>;
  children: HtmlNode[];
}
type HtmlNode = ElementNode | string;

const VOID_TAGS = new Set(['br', 'img', 'meta', 'hr', 'link', 'input', 'col', 'wbr', 'source', 'area', 'base']);
/** Elements whose content is never printed. */
const HIDDEN_TAGS = new Set(['head', 'style', 'script', 'title', 'template', 'noscript', 'iframe', 'object', 'svg']);

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', euro: '€', eacute: 'é', egrave: 'è', ecirc: 'ê', euml: 'ë',
  agrave: 'à', acirc: 'â', auml: 'ä', ccedil: 'ç', icirc: 'î', iuml: 'ï', ocirc: 'ô', ouml: 'ö', ugrave: 'ù', ucirc: 'û', uuml: 'ü',
  Eacute: 'É', Egrave: 'È', Ecirc: 'Ê', Agrave: 'À', Acirc: 'Â', Ccedil: 'Ç', Icirc: 'Î', Ocirc: 'Ô', Ucirc: 'Û', oelig: 'œ', OElig: 'Œ',
  laquo: '«', raquo: '»', rsquo: '’', lsquo: '‘', ldquo: '“', rdquo: '”', ndash: '–', mdash: '—', hellip: '…', times: '×', minus: '−',
  deg: '°', sect: '§', copy: '©', reg: '®', middot: '·', bull: '•', thinsp: '\u2009', ensp: '\u2002', emsp: '\u2003',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name] ?? whole;
  });
}

function parseAttrs(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  const re = /([^\s=/"'<>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) {
    attrs[m[1]!.toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

function parseHtml(html: string): { root: ElementNode; css: string } {
  const root: ElementNode = { tag: '#root', attrs: {}, children: [] };
  const stack: ElementNode[] = [root];
  let css = '';
  const re = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\?[^>]*>|<\/\s*([a-zA-Z][\w:-]*)\s*>|<([a-zA-Z][\w:-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>/g;
  let last = 0;
  const top = () => stack[stack.length - 1]!;
  const rawText = (tag: string, from: number): number => {
    // <style>, <script>: content up to the closing tag, kept out of the text.
    const close = html.toLowerCase().indexOf(`</${tag}`, from);
    const end = close === -1 ? html.length : close;
    if (tag === 'style') css += html.slice(from, end);
    const gt = close === -1 ? html.length : html.indexOf('>', close);
    return gt === -1 ? html.length : gt + 1;
  };
  for (let m = re.exec(html); m !== null; m = re.exec(html)) {
    if (m.index > last) top().children.push(decodeEntities(html.slice(last, m.index)));
    last = re.lastIndex;
    if (m[1] !== undefined) {
      const tag = m[1].toLowerCase();
      const at = stack.map((e) => e.tag).lastIndexOf(tag);
      if (at > 0) stack.length = at;
    } else if (m[2] !== undefined) {
      const tag = m[2].toLowerCase();
      const attrsSource = m[3] ?? '';
      const el: ElementNode = { tag, attrs: parseAttrs(attrsSource.replace(/\/\s*$/, '')), children: [] };
      // A new paragraph or row closes the open one, as browsers do.
      if (['p', 'li', 'tr', 'td', 'th'].includes(tag)) closeImplied(stack, tag);
      top().children.push(el);
      if (tag === 'style' || tag === 'script') {
        last = rawText(tag, re.lastIndex);
        re.lastIndex = last;
      } else if (!VOID_TAGS.has(tag) && !/\/\s*$/.test(attrsSource)) stack.push(el);
    }
  }
  if (last < html.length) top().children.push(decodeEntities(html.slice(last)));
  return { root, css };
}

function closeImplied(stack: ElementNode[], tag: string): void {
  const closes: Record<string, string[]> = { p: ['p'], li: ['li', 'p'], tr: ['tr', 'td', 'th', 'p'], td: ['td', 'th', 'p'], th: ['td', 'th', 'p'] };
  const barrier = tag === 'li' ? ['ul', 'ol'] : tag === 'p' ? ['td', 'th', 'li', 'div', 'address', 'header', 'footer', 'body', 'table'] : ['table', 'thead', 'tbody', 'tfoot'];
  const names = stack.map((e) => e.tag);
  for (let i = names.length - 1; i > 0; i--) {
    if (barrier.includes(names[i]!)) return;
    if (closes[tag]!.includes(names[i]!)) {
      stack.length = i;
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Tiny CSS: `text-align` and `margin-top` of simple selectors (tag, .class, tag.class) in the
// <style>; inline `style` attributes win. Everything else of the CSS is left to the layout.

type CssRule = { tag: string | null; cls: string | null; prop: 'text-align' | 'margin-top'; value: string };
export type Align = 'left' | 'right' | 'center';

function cssRules(css: string): CssRule[] {
  const rules: CssRule[] = [];
  const clean = css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/@[a-z-]+[^{]*\{[^}]*\}/gi, '');
  for (const m of clean.matchAll(/([^{}]+)\{([^}]*)\}/g)) {
    for (const prop of ['text-align', 'margin-top'] as const) {
      const value = new RegExp(`(?:^|;)\\s*${prop}\\s*:\\s*([^;]+)`, 'i').exec(m[2]!)?.[1]?.trim().toLowerCase();
      if (value === undefined) continue;
      for (const sel of m[1]!.split(',')) {
        const s = /^\s*([a-z][a-z0-9]*)?(?:\.([\w-]+))?\s*$/i.exec(sel);
        if (s && (s[1] || s[2])) rules.push({ tag: s[1]?.toLowerCase() ?? null, cls: s[2] ?? null, prop, value });
      }
    }
  }
  return rules;
}

function classesOf(el: ElementNode): string[] {
  return (el.attrs.class ?? '').split(/\s+/).filter(Boolean);
}

function styleOf(el: ElementNode, prop: string): string | null {
  const m = new RegExp(`(?:^|;)\\s*${prop}\\s*:\\s*([^;]+)`, 'i').exec(el.attrs.style ?? '');
  return m ? m[1]!.trim().toLowerCase() : null;
}

/** A property of an element: its inline style, else the most specific rule of the <style>. */
function cssOf(el: ElementNode, rules: CssRule[], prop: CssRule['prop']): string | null {
  const inline = styleOf(el, prop);
  if (inline !== null) return inline;
  const cls = classesOf(el);
  let found: string | null = null;
  let weight = -1;
  for (const r of rules) {
    if (r.prop !== prop || (r.tag !== null && r.tag !== el.tag) || (r.cls !== null && !cls.includes(r.cls))) continue;
    const w = (r.cls ? 10 : 0) + (r.tag ? 1 : 0);
    if (w >= weight) {
      weight = w;
      found = r.value;
    }
  }
  return found;
}

function alignOf(el: ElementNode, rules: CssRule[]): Align | null {
  const v = cssOf(el, rules, 'text-align');
  return v === 'left' || v === 'right' || v === 'center' ? v : null;
}

/** A CSS length in points (mm, cm, pt, px, em of 10.5 pt); null when not one, capped at 40 mm. */
function lengthOf(value: string | null): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(mm|cm|pt|px|em)?$/.exec(value ?? '');
  if (!m) return null;
  const n = Number(m[1]);
  const pt = m[2] === 'mm' ? mm(n) : m[2] === 'cm' ? mm(10 * n) : m[2] === 'px' ? n * PX : m[2] === 'em' ? n * 10.5 : n;
  return Math.min(pt, mm(40));
}

// ---------------------------------------------------------------------------------------
// Tree → blocks

export interface TextStyle {
  bold: boolean;
  italic: boolean;
  small: boolean;
  color: string | null;
}
export type Run = { text: string; style: TextStyle } | { br: true } | { image: ImageBlock };

export type Role = 'entete' | 'mention' | 'destinataire' | 'lieu' | 'objet' | 'pied' | 'body';

export interface ParaBlock {
  kind: 'para';
  role: Role;
  runs: Run[];
  align: Align;
  heading: number;
  indent: number;
  bullet: string | null;
  nowrap: boolean;
  /** Space before, from the CSS `margin-top` (the signature block, « Bon pour accord »). */
  marginTop: number;
  /** Blocks of one group are kept on one page (class `signature`, CSS `break-inside: avoid`); 0 for none. */
  group: number;
}
export interface Cell {
  runs: Run[];
  align: Align | null;
  colspan: number;
  header: boolean;
  nowrap: boolean;
}
export interface Row {
  cells: Cell[];
}
export interface TableBlock {
  kind: 'table';
  role: Role;
  head: Row[];
  body: Row[];
  foot: Row[];
}
export interface ImageBlock {
  kind: 'image';
  role: Role;
  data: Buffer;
  widthPt: number;
  heightPt: number | null;
}
export type Block = ParaBlock | TableBlock | ImageBlock;

export interface ParsedLetter {
  title: string;
  blocks: Block[];
}

const ROLES = new Set<Role>(['entete', 'mention', 'destinataire', 'lieu', 'objet', 'pied']);
const BLOCK_TAGS = new Set(['p', 'div', 'header', 'footer', 'address', 'section', 'article', 'main', 'aside', 'nav', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'table', 'body', 'html', 'dl', 'dt', 'dd', 'figure', 'figcaption', 'pre', 'hr', 'form', 'fieldset', 'center']);
const PLAIN: TextStyle = { bold: false, italic: false, small: false, color: null };

export function parseLetter(html: string): ParsedLetter {
  const { root, css } = parseHtml(html);
  const rules = cssRules(css);
  const titleEl = findElement(root, 'title');
  const title = titleEl ? collapse(textOf(titleEl)).trim() : '';
  const blocks: Block[] = [];
  const body = findElement(root, 'body') ?? root;
  const builder = new BlockBuilder(blocks, rules);
  builder.walk(body, { role: 'body', style: PLAIN, align: 'left', indent: 0, nowrap: false });
  builder.flush();
  return { title, blocks };
}

function findElement(node: ElementNode, tag: string): ElementNode | null {
  for (const child of node.children) {
    if (typeof child === 'string') continue;
    if (child.tag === tag) return child;
    const inner = findElement(child, tag);
    if (inner) return inner;
  }
  return null;
}

function textOf(node: HtmlNode): string {
  return typeof node === 'string' ? node : node.children.map(textOf).join('');
}

/** HTML white space (not the no-break spaces, which amounts keep). */
const HTML_SPACE = /[ \t\n\r\f]+/g;
const collapse = (s: string) => s.replace(HTML_SPACE, ' ');

interface WalkCtx {
  role: Role;
  style: TextStyle;
  align: Align;
  indent: number;
  nowrap: boolean;
}

class BlockBuilder {
  private runs: Run[] = [];
  private ctx: WalkCtx | null = null;
  private heading = 0;
  private bullet: string | null = null;
  private marginTop = 0;
  private group = 0;
  private static groups = 0;

  constructor(
    private readonly blocks: Block[],
    private readonly rules: CssRule[],
  ) {}

  walk(el: ElementNode, ctx: WalkCtx): void {
    for (const child of el.children) {
      if (typeof child === 'string') this.text(child, ctx);
      else this.element(child, ctx);
    }
  }

  private element(el: ElementNode, outer: WalkCtx): void {
    if (HIDDEN_TAGS.has(el.tag)) return;
    const cls = classesOf(el);
    const role = (cls.find((c) => ROLES.has(c as Role)) as Role | undefined) ?? outer.role;
    const style: TextStyle = {
      bold: outer.style.bold || ['strong', 'b', 'th', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'dt'].includes(el.tag) || cls.includes('objet') || cls.includes('mention') || /^(bold|[6-9]00)$/.test(styleOf(el, 'font-weight') ?? ''),
      italic: outer.style.italic || ['em', 'i', 'cite'].includes(el.tag) || styleOf(el, 'font-style') === 'italic',
      small: outer.style.small || el.tag === 'small',
      color: cls.includes('a-completer') ? '#aa0000' : outer.style.color,
    };
    const align = alignOf(el, this.rules) ?? (el.tag === 'center' ? 'center' : outer.align);
    const nowrap = outer.nowrap || styleOf(el, 'white-space') === 'nowrap';
    const ctx: WalkCtx = { role, style, align, indent: outer.indent, nowrap };
    if (el.tag === 'br') {
      this.runs.push({ br: true });
      this.ctx ??= ctx;
      return;
    }
    if (el.tag === 'img') {
      const image = imageOf(el, role);
      if (image) {
        this.runs.push({ image });
        this.ctx ??= ctx;
      } else if (el.attrs.alt) this.text(`[${el.attrs.alt}]`, ctx);
      return;
    }
    if (el.tag === 'table') {
      this.flush();
      this.blocks.push(this.table(el, ctx));
      return;
    }
    if (!BLOCK_TAGS.has(el.tag)) {
      this.walk(el, ctx);
      return;
    }
    this.flush();
    if (el.tag === 'hr') return;
    if (el.tag === 'ul' || el.tag === 'ol') {
      let n = 0;
      for (const child of el.children) {
        if (typeof child !== 'string' && child.tag === 'li') {
          n += 1;
          this.bullet = el.tag === 'ol' ? `${n}.` : '•';
          this.walk(child, { ...ctx, indent: ctx.indent + 14 });
          this.flush();
        } else if (typeof child !== 'string') this.element(child, { ...ctx, indent: ctx.indent + 14 });
        else this.text(child, { ...ctx, indent: ctx.indent + 14 });
      }
      this.flush();
      return;
    }
    const h = /^h([1-6])$/.exec(el.tag);
    this.heading = h ? Number(h[1]) : 0;
    if (role === 'body') this.marginTop = Math.max(this.marginTop, lengthOf(cssOf(el, this.rules, 'margin-top')) ?? 0);
    const outerGroup = this.group;
    const keep = cls.includes('signature') || /avoid/.test(`${styleOf(el, 'break-inside') ?? ''}${styleOf(el, 'page-break-inside') ?? ''}`);
    if (keep && this.group === 0) this.group = ++BlockBuilder.groups;
    this.walk(el, ctx.role === 'lieu' && alignOf(el, this.rules) === null ? { ...ctx, align: 'right' } : ctx);
    this.flush();
    this.group = outerGroup;
  }

  private text(raw: string, ctx: WalkCtx): void {
    const text = collapse(raw);
    if (text === '') return;
    if (this.runs.length === 0 && text === ' ') return;
    this.runs.push({ text, style: ctx.style });
    this.ctx ??= ctx;
  }

  flush(): void {
    const ctx = this.ctx;
    const runs = trimRuns(this.runs);
    this.runs = [];
    this.ctx = null;
    const bullet = this.bullet;
    this.bullet = null;
    const heading = this.heading;
    this.heading = 0;
    if (ctx === null || runs.length === 0) return;
    const marginTop = this.marginTop;
    this.marginTop = 0;
    // An image alone in its paragraph is a block of its own.
    const only = runs.length === 1 ? runs[0]! : null;
    if (only && 'image' in only) {
      this.blocks.push(only.image);
      return;
    }
    const align = ctx.role === 'lieu' && ctx.align === 'left' ? 'right' : ctx.align;
    this.blocks.push({ kind: 'para', role: ctx.role, runs, align, heading, indent: ctx.indent, bullet, nowrap: ctx.nowrap, marginTop, group: this.group });
  }

  private table(el: ElementNode, ctx: WalkCtx): TableBlock {
    const head: Row[] = [];
    const body: Row[] = [];
    const foot: Row[] = [];
    const visit = (node: ElementNode, section: Row[]) => {
      for (const child of node.children) {
        if (typeof child === 'string') continue;
        if (child.tag === 'thead') visit(child, head);
        else if (child.tag === 'tfoot') visit(child, foot);
        else if (child.tag === 'tbody') visit(child, body);
        else if (child.tag === 'tr') {
          const cells: Cell[] = [];
          for (const c of child.children) {
            if (typeof c === 'string' || (c.tag !== 'td' && c.tag !== 'th')) continue;
            cells.push(this.cell(c, ctx));
          }
          if (cells.length > 0) section.push({ cells });
        } else if (!HIDDEN_TAGS.has(child.tag)) visit(child, section);
      }
    };
    visit(el, body);
    return { kind: 'table', role: ctx.role, head, body, foot };
  }

  private cell(el: ElementNode, outer: WalkCtx): Cell {
    const header = el.tag === 'th';
    const inner = new BlockBuilder([], this.rules);
    const style = { ...outer.style, bold: outer.style.bold || header };
    const nowrap = styleOf(el, 'white-space') === 'nowrap';
    const ctx: WalkCtx = { ...outer, style, nowrap, indent: 0 };
    inner.walk(el, ctx);
    inner.flush();
    // Paragraphs and lists inside a cell become lines of the cell.
    const runs: Run[] = [];
    for (const b of inner.blocks) {
      if (runs.length > 0) runs.push({ br: true });
      if (b.kind === 'para') runs.push(...(b.bullet ? [{ text: `${b.bullet} `, style: PLAIN }] : []), ...b.runs);
      else if (b.kind === 'image') runs.push({ image: b });
      else runs.push({ text: b.body.concat(b.head, b.foot).map((r) => r.cells.map((c) => c.runs.map((x) => ('text' in x ? x.text : ' ')).join('')).join(' ')).join(' '), style: PLAIN });
    }
    const colspan = Math.max(1, Math.min(50, Number.parseInt(el.attrs.colspan ?? '1', 10) || 1));
    return { runs: trimRuns(runs), align: alignOf(el, this.rules), colspan, header, nowrap };
  }
}

/** Removes the blanks at the start and end of a paragraph, and around line breaks. */
function trimRuns(runs: Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    if ('text' in r) {
      const prev = out[out.length - 1];
      const atLineStart = prev === undefined || 'br' in prev;
      const text = atLineStart ? r.text.replace(/^ +/, '') : r.text;
      if (text !== '') out.push({ text, style: r.style });
    } else {
      if ('br' in r) trimEnd(out);
      out.push(r);
    }
  }
  trimEnd(out);
  while (out.length > 0 && 'br' in out[out.length - 1]!) {
    out.pop();
    trimEnd(out);
  }
  return out;
}

function trimEnd(out: Run[]): void {
  for (let last = out[out.length - 1]; last !== undefined && 'text' in last; last = out[out.length - 1]) {
    const text = last.text.replace(/ +$/, '');
    if (text !== '') {
      out[out.length - 1] = { text, style: last.style };
      return;
    }
    out.pop();
  }
}

const PX = 0.75;

function imageOf(el: ElementNode, role: Role): ImageBlock | null {
  const m = /^data:image\/(png|jpe?g);base64,([\s\S]*)$/i.exec((el.attrs.src ?? '').trim());
  if (!m) return null; // never fetched: a remote or file image prints its alt text
  const data = Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64');
  if (imageKind(data) === null) return null;
  const width = Number.parseFloat(el.attrs.width ?? '') || Number.parseFloat(styleOf(el, 'width') ?? '');
  const height = Number.parseFloat(el.attrs.height ?? '') || Number.parseFloat(styleOf(el, 'height') ?? '');
  // Without a size, an image (the payment QR code) is printed 30 mm wide, readable by any phone.
  const widthPt = width > 0 ? width * PX : mm(30);
  return { kind: 'image', role, data, widthPt: Math.min(widthPt, mm(170)), heightPt: height > 0 ? height * PX : null };
}

/** The kind of an image file, from its first bytes. */
export function imageKind(data: Buffer): 'png' | 'jpeg' | null {
  if (data.length > 8 && data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47) return 'png';
  if (data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  return null;
}
