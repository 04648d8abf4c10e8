// Hand-written so the core needs neither Node's Buffer nor the DOM's btoa, and stays byte-exact.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/** The alphabet as character codes, and `=`. */
const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const PAD = 61;
/** Base64 is ASCII, which UTF-8 decodes as itself. */
const ascii = new TextDecoder();
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Standard base64 (with padding) of a byte array. Written as character codes and decoded once: a
 * string built four characters at a time took 380–445 ms for the 705k floats of `npm start`'s
 * model file (a 784-256-128-10 network with Adam's state), against 25–27 ms so.
 */
export function encodeBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const whole = bytes.length - (bytes.length % 3);
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[o] = CODES[n >> 18] as number;
    out[o + 1] = CODES[(n >> 12) & 63] as number;
    out[o + 2] = CODES[(n >> 6) & 63] as number;
    out[o + 3] = CODES[n & 63] as number;
    o += 4;
  }
  if (whole < bytes.length) {
    const two = whole + 1 < bytes.length;
    const n = ((bytes[whole] as number) << 16) | (two ? (bytes[whole + 1] as number) << 8 : 0);
    out[o] = CODES[n >> 18] as number;
    out[o + 1] = CODES[(n >> 12) & 63] as number;
    out[o + 2] = two ? (CODES[(n >> 6) & 63] as number) : PAD;
    out[o + 3] = PAD;
  }
  return ascii.decode(out);
}

/** Decodes standard base64; returns undefined for anything that is not well-formed base64. */
export function decodeBase64(s: string): Uint8Array | undefined {
  if (s.length % 4 !== 0) return undefined;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const ch = s.charCodeAt(i + k);
      const isPad = ch === 61 && i + k >= s.length - pad;
      const v = isPad ? 0 : ch < 128 ? (LOOKUP[ch] as number) : -1;
      if (v < 0) return undefined;
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

/** Float32 values as little-endian base64 (the model file's compact weight encoding). */
export function floatsToBase64(x: ArrayLike<number>): string {
  // A Float32Array's own bytes on a little-endian machine (all common ones); otherwise value by value.
  if (x instanceof Float32Array && LITTLE_ENDIAN) {
    return encodeBase64(new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
  }
  const bytes = new Uint8Array(x.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < x.length; i++) view.setFloat32(i * 4, x[i] as number, true);
  return encodeBase64(bytes);
}

/** Inverse of {@link floatsToBase64}; undefined when malformed. */
export function base64ToFloats(s: string): Float32Array | undefined {
  const bytes = decodeBase64(s);
  if (bytes === undefined || bytes.length % 4 !== 0) return undefined;
  const view = new DataView(bytes.buffer);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
