/**
 * Takes the first chunk of a stream (to sniff the dialect) and gives back an iterable
 * that still yields every chunk, the first included.
 */
export async function peek(chunks: AsyncIterable<string>): Promise<{ first: string; all: AsyncIterable<string> }> {
  const it = chunks[Symbol.asyncIterator]();
  const head = await it.next();
  const first = head.done ? '' : head.value;
  async function* all(): AsyncGenerator<string> {
    if (!head.done) yield first;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  }
  return { first, all: all() };
}
