// Strict data: reading a name the data does not have throws, wherever the template
// reads it (Handlebars' strict mode misses helper arguments and {{#if}} conditions).

/** A name the template read and the data does not have, with the names available there. */
export class MissingVariable extends Error {
  constructor(
    readonly path: string,
    readonly keys: string[],
  ) {
    super(path);
  }
}

/**
 * What one render's template did with its data, kept for that render only: every data
 * path it read (a case letter's `statesPenalties` is found from them), and the last name
 * Handlebars' strict mode looked for and did not find (the hint of its error).
 */
export interface TemplateTrace {
  reads: Set<string>;
  lastMiss: { path: string; keys: string[] } | null;
  /** The proxy of each data object, so that a value read twice is the same object (`{{#if (eq a b)}}`). */
  proxies: WeakMap<object, object>;
}

/** A trace for a new render: nothing read, nothing missed. */
export function newTrace(): TemplateTrace {
  return { reads: new Set(), lastMiss: null, proxies: new WeakMap() };
}

// Names Handlebars and JavaScript probe on any value; reading them is not a template's doing.
const PROBED = new Set(['toHTML', 'toString', 'valueOf', 'toJSON', 'then', 'constructor', '__proto__', 'hasOwnProperty', 'length', 'nodeType']);

/** The data seen through a proxy that records each read in `trace` and throws `MissingVariable` on a name it lacks. */
export function strictData<T>(value: T, path: string, trace: TemplateTrace): T {
  if (value === null || typeof value !== 'object') return value;
  const cached = trace.proxies.get(value);
  if (cached) return cached as T;
  const isArray = Array.isArray(value);
  const at = (prop: string): string => (isArray && /^\d+$/.test(prop) ? `${path}[${prop}]` : path ? `${path}.${prop}` : prop);
  const proxy = new Proxy(value, {
    get(target, prop, receiver) {
      if (typeof prop === 'symbol' || PROBED.has(prop)) return Reflect.get(target, prop, receiver);
      if (!Object.prototype.hasOwnProperty.call(target, prop)) throw new MissingVariable(at(prop), Object.keys(target));
      trace.reads.add(at(prop));
      return strictData(Reflect.get(target, prop, receiver), at(prop), trace);
    },
    has(target, prop) {
      const found = Reflect.has(target, prop);
      if (!found && typeof prop === 'string') trace.lastMiss = { path: at(prop), keys: Object.keys(target) };
      return found;
    },
  });
  trace.proxies.set(value, proxy);
  return proxy as T;
}
