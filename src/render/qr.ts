import { deflateSync } from 'node:zlib';
import QRCode from 'qrcode';

/** Pixels per module, and the quiet zone in modules (4, as ISO 18004 asks). */
const SCALE = 4;
const MARGIN = 4;

/**
 * The SEPA payment QR code as a PNG: the `qrcode` package makes the symbol (error
 * correction level M, as EPC069-12 asks; byte mode, the payload being UTF-8), and the
 * PNG is written here, synchronously (letters render synchronously), black on white,
 * 8-bit grey, no date nor text chunk. Deterministic: the same payload gives the same
 * bytes, so a letter's hash identifies its QR code.
 */
export function qrPng(payload: string): Buffer {
  const symbol = QRCode.create([{ data: new TextEncoder().encode(payload), mode: 'byte' }], { errorCorrectionLevel: 'M' });
  const n = symbol.modules.size;
  const side = (n + 2 * MARGIN) * SCALE;
  // Each row: a filter byte (0, none), then one grey byte per pixel.
  const raw = Buffer.alloc((side + 1) * side, 0xff);
  for (let y = 0; y < side; y++) {
    raw[y * (side + 1)] = 0;
    const my = Math.floor(y / SCALE) - MARGIN;
    if (my < 0 || my >= n) continue;
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / SCALE) - MARGIN;
      if (mx >= 0 && mx < n && symbol.modules.get(my, mx)) raw[y * (side + 1) + 1 + x] = 0;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The PNG as a `data:image/png;base64,…` URI, for the printable letter. */
export function qrDataUri(payload: string): string {
  return `data:image/png;base64,${qrPng(payload).toString('base64')}`;
}

/** The PNG back from a `data:image/png;base64,…` URI, or null when `uri` is not one. */
export function pngOfDataUri(uri: string): Buffer | null {
  const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(uri);
  return m ? Buffer.from(m[1]!, 'base64') : null;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([length, body, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
