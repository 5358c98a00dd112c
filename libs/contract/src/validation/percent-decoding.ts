import { badRequest } from '../errors/taskrouter-error';

const PLUS = 0x2b;
const PERCENT = 0x25;
const SPACE = 0x20;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Percent-decodes bytes and reads them as UTF-8, refusing (400, naming `what`) any sequence that
 * is not UTF-8 rather than replacing it with U+FFFD. A `%` not followed by two hex digits stays
 * itself, as browsers and `URLSearchParams` do; in form encoding `+` is a space.
 */
export function percentDecode(raw: Uint8Array, options: { plusIsSpace: boolean }, what: () => string): string {
  const bytes = new Uint8Array(raw.length);
  let length = 0;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (byte === PLUS && options.plusIsSpace) {
      bytes[length++] = SPACE;
    } else if (byte === PERCENT && i + 2 < raw.length && isHex(raw[i + 1]) && isHex(raw[i + 2])) {
      bytes[length++] = (hexValue(raw[i + 1]) << 4) | hexValue(raw[i + 2]);
      i += 2;
    } else {
      bytes[length++] = byte;
    }
  }
  try {
    return utf8.decode(bytes.subarray(0, length));
  } catch {
    throw badRequest(`${what()} is not valid UTF-8 (TaskRouter parameters and paths are UTF-8 text, percent-encoded)`);
  }
}

/** The bytes of a string the HTTP parser built from the wire one byte per character (latin1). */
export function wireBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

function isHex(byte: number | undefined): boolean {
  return byte !== undefined && ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66));
}

function hexValue(byte: number): number {
  return byte <= 0x39 ? byte - 0x30 : (byte | 0x20) - 0x61 + 10;
}
