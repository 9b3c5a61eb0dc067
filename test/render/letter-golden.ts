import type { RenderedMessage } from '../../src/render/letters.js';

/** Everything a template produced, as one text to pin in a golden file (fixtures/letters/). */
export function asGolden(title: string, m: RenderedMessage): string {
  const t = m.totals;
  return [
    `# ${title}`,
    `== objet ==\n${m.subject}\n`,
    `== texte ==\n${m.text}`,
    `== html ==\n${m.html}`,
    `== lettre ==\n${m.letterHtml ?? '(aucune)\n'}`,
    `== montants ==\ndû ${t.dueCents} ; pénalités ${t.interestCents} ; indemnités ${t.indemnityCents} ; total ${t.totalCents}`,
    `== notes ==\n${m.notes.join('\n') || '(aucune)'}\n`,
  ].join('\n');
}
