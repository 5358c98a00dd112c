/**
 * MurmurHash3 (x86, 128-bit) of a string's UTF-16 code units taken as bytes (low byte only: the
 * inputs here are ASCII). Pure and fast, with no I/O library: pure code may not import a digest.
 * Returns 32 lowercase hex digits.
 */
export function murmurHash128(text: string, seed = 0): string {
  const length = text.length;
  let h1 = seed >>> 0;
  let h2 = h1;
  let h3 = h1;
  let h4 = h1;
  const c1 = 0x239b961b;
  const c2 = 0xab0e9789;
  const c3 = 0x38b34ae5;
  const c4 = 0xa1e38b93;
  const byteAt = (i: number) => text.charCodeAt(i) & 0xff;
  const word = (i: number) => byteAt(i) | (byteAt(i + 1) << 8) | (byteAt(i + 2) << 16) | (byteAt(i + 3) << 24);
  const blocks = length - (length % 16);
  for (let i = 0; i < blocks; i += 16) {
    let k1 = word(i);
    let k2 = word(i + 4);
    let k3 = word(i + 8);
    let k4 = word(i + 12);
    k1 = Math.imul(rotl(Math.imul(k1, c1), 15), c2);
    h1 ^= k1;
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(rotl(Math.imul(k2, c2), 16), c3);
    h2 ^= k2;
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(rotl(Math.imul(k3, c3), 17), c4);
    h3 ^= k3;
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(rotl(Math.imul(k4, c4), 18), c1);
    h4 ^= k4;
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  }
  // The last 1..15 bytes, as lanes k1..k4 of a partial block.
  const tail = [0, 0, 0, 0];
  for (let i = blocks; i < length; i++) tail[(i - blocks) >> 2] |= byteAt(i) << (((i - blocks) & 3) * 8);
  const rest = length - blocks;
  if (rest > 12) h4 ^= Math.imul(rotl(Math.imul(tail[3], c4), 18), c1);
  if (rest > 8) h3 ^= Math.imul(rotl(Math.imul(tail[2], c3), 17), c4);
  if (rest > 4) h2 ^= Math.imul(rotl(Math.imul(tail[1], c2), 16), c3);
  if (rest > 0) h1 ^= Math.imul(rotl(Math.imul(tail[0], c1), 15), c2);
  h1 ^= length;
  h2 ^= length;
  h3 ^= length;
  h4 ^= length;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  return [h1, h2, h3, h4].map((h) => (h >>> 0).toString(16).padStart(8, '0')).join('');
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
