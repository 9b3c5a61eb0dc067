import type { Encoding } from './decode.js';
import { readCegidTra } from './cegid-tra.js';
import { readEbp } from './ebp.js';
import { readFecFile } from './fec.js';
import type { FileFormat } from './formats.js';
import type { LedgerFile, LedgerSettings } from './ledger-lines.js';
import { readQuadra } from './quadra.js';
import { readSagePnm } from './sage-pnm.js';
import type { ReadProgress } from './types.js';

type LedgerReader = (file: string, encoding: Encoding | null, settings: LedgerSettings, cwd: string, onProgress?: ReadProgress) => Promise<LedgerFile>;

const READERS: Partial<Record<FileFormat, LedgerReader>> = {
  fec: readFecFile,
  'sage-pnm': readSagePnm,
  quadra: readQuadra,
  ebp: readEbp,
  'cegid-tra': readCegidTra,
};

/** Reads a ledger file of a known format (see formats.ts) into customer lines. */
export function readLedgerFile(
  file: string,
  format: FileFormat,
  encoding: Encoding | null,
  settings: LedgerSettings,
  cwd: string,
  onProgress?: ReadProgress,
): Promise<LedgerFile> {
  const reader = READERS[format];
  if (!reader) throw new Error(`not a ledger format: ${format}`);
  return reader(file, encoding, settings, cwd, onProgress);
}
