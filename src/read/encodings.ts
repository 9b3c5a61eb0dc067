// The encodings and their names, apart from decode.ts so that the declarations relance
// loads at every start stay light (issue 17).
import { UsageError } from '../errors.js';

/** The encodings relance reads. CP850 is only used when asked for (`--encoding cp850`). */
export const ENCODINGS = ['utf-8', 'windows-1252', 'iso-8859-15', 'cp850', 'utf-16le'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** Normalises encoding names a user may type (`cp1252`, `latin9`, `UTF8`...). */
export function normaliseEncoding(name: string): Encoding {
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const aliases: Record<string, Encoding> = {
    utf8: 'utf-8',
    windows1252: 'windows-1252',
    cp1252: 'windows-1252',
    ansi: 'windows-1252',
    latin1: 'windows-1252',
    iso88591: 'windows-1252',
    iso885915: 'iso-8859-15',
    latin9: 'iso-8859-15',
    cp850: 'cp850',
    ibm850: 'cp850',
    dos: 'cp850',
    utf16: 'utf-16le',
    utf16le: 'utf-16le',
  };
  const found = aliases[n];
  if (!found) {
    throw new UsageError(
      `encodage inconnu « ${name} ».`,
      `valeurs possibles : utf-8, windows-1252, iso-8859-15, cp850, utf-16le.`,
    );
  }
  return found;
}
