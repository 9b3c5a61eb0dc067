/**
 * Takes the first chunk of a stream (to sniff the dialect and find the header) and
 * gives back an iterable of the chunks that follow it.
 */
export async function peek(chunks: AsyncIterable<string>): Promise<{ first: string; rest: AsyncIterable<string> }> {
  const it = chunks[Symbol.asyncIterator]();
  const head = await it.next();
  async function* rest(): AsyncGenerator<string> {
    if (head.done) return;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  }
  return { first: head.done ? '' : head.value, rest: rest() };
}

/** The strings a record keeps should not pin the chunk they were cut from in memory. */
export function detach(s: string): string {
  // V8 keeps substrings of 13 characters or more as views on their parent string; a
  // concatenation flattened by slice() copies the characters instead.
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/**
 * Hands each line of decoded text chunks (LF line ends: see decodeSource) to `handle`,
 * without its line break; a last line without one is handed too. Says whether the text
 * ended with a line break (else its last line may have been cut).
 */
export async function eachLine(chunks: AsyncIterable<string>, handle: (line: string) => void): Promise<{ endsWithNewline: boolean }> {
  let rest = '';
  for await (const chunk of chunks) {
    const text = rest + chunk;
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      handle(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== '') handle(rest);
  return { endsWithNewline: rest === '' };
}
