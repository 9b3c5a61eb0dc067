import { DataError } from '../errors.js';
import type { Encoding } from './decode.js';
import type { LedgerFile, LedgerSettings } from './ledger-lines.js';
import type { ReadProgress } from './types.js';

/** Reads one export Sage 100 (#MECG) file (to be written). */
export async function readSagePnm(
  file: string,
  _encoding: Encoding | null,
  _settings: LedgerSettings,
  _cwd: string,
  _onProgress?: ReadProgress,
): Promise<LedgerFile> {
  throw new DataError(`${file} : le format export Sage 100 (#MECG) n'est pas encore lu.`, 'exportez le FEC à la place.');
}
