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
