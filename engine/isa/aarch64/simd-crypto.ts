// The cryptographic extension's AES, SHA-1, SHA-256 and 64-bit polynomial
// multiply steps on the V registers (words of c.v, lane 0 lowest).

import type { CpuState } from './cpu';
import { clearScratch, commit, scratch, scratchWords, views } from './simd-lanes';

// ---- AES ------------------------------------------------------------------------------------

const xtime = (b: number): number => ((b << 1) ^ (b & 0x80 ? 0x1b : 0)) & 0xff;

function gfMul(a: number, b: number): number {
  let r = 0;
  for (; b; b >>= 1, a = xtime(a)) if (b & 1) r ^= a;
  return r;
}

/** The S-box: the multiplicative inverse in GF(2^8), then the affine map with constant 0x63. */
const SBOX = new Uint8Array(256);
const INV_SBOX = new Uint8Array(256);
for (let x = 0; x < 256; x++) {
  let inv = 0;
  for (let y = 1; y < 256 && x; y++) if (gfMul(x, y) === 1) inv = y;
  let s = inv;
  for (let i = 1; i < 5; i++) s ^= ((inv << i) | (inv >> (8 - i))) & 0xff;
  SBOX[x] = s ^ 0x63;
  INV_SBOX[s ^ 0x63] = x;
}

/** AESE (decrypt = 0) / AESD: AddRoundKey with n, then (Inv)ShiftRows and (Inv)SubBytes. Byte r + 4c is row r, column c. */
export function aesRound(c: CpuState, d: number, n: number, decrypt: number): void {
  const u = views(c).u[0];
  const state = new Uint8Array(16);
  for (let i = 0; i < 16; i++) state[i] = u[d * 16 + i]! ^ u[n * 16 + i]!;
  const box = decrypt ? INV_SBOX : SBOX;
  for (let r = 0; r < 4; r++) {
    for (let col = 0; col < 4; col++) {
      const from = decrypt ? (col - r + 4) & 3 : (col + r) & 3;
      u[d * 16 + r + 4 * col] = box[state[r + 4 * from]!]!;
    }
  }
}

/** AESMC (inverse = 0) / AESIMC: (Inv)MixColumns of n into d. */
export function aesMix(c: CpuState, d: number, n: number, inverse: number): void {
  const u = views(c).u[0];
  const k = inverse ? [14, 11, 13, 9] : [2, 3, 1, 1];
  clearScratch();
  for (let col = 0; col < 4; col++) {
    const a = [0, 1, 2, 3].map((r) => u[n * 16 + 4 * col + r]!);
    for (let r = 0; r < 4; r++) {
      let x = 0;
      for (let j = 0; j < 4; j++) x ^= gfMul(a[(r + j) & 3]!, k[j]!);
      scratch.u[0][4 * col + r] = x;
    }
  }
  commit(c, d);
}

// ---- SHA-1 and SHA-256 ---------------------------------------------------------------------

const rol = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) | 0;
const ror = (x: number, k: number): number => ((x >>> k) | (x << (32 - k))) | 0;

/** The four words of register r. */
const words = (c: CpuState, r: number): number[] => [c.v[r * 4]!, c.v[r * 4 + 1]!, c.v[r * 4 + 2]!, c.v[r * 4 + 3]!];

function put(c: CpuState, d: number, w: readonly number[]): void {
  for (let i = 0; i < 4; i++) c.v[d * 4 + i] = w[i]! | 0;
}

/** SHA1C (f = 0, choose), SHA1P (1, parity), SHA1M (2, majority): four rounds on Qd with e = Sn and schedule Vm. */
export function sha1Rounds(c: CpuState, d: number, n: number, m: number, f: number): void {
  const x = words(c, d);
  let y = c.v[n * 4]!;
  const w = words(c, m);
  for (let e = 0; e < 4; e++) {
    const [b, cc, dd] = [x[1]!, x[2]!, x[3]!];
    const t = f === 0 ? (b & cc) | (~b & dd) : f === 1 ? b ^ cc ^ dd : (b & cc) | (b & dd) | (cc & dd);
    y = (y + rol(x[0]!, 5) + t + w[e]!) | 0;
    x[1] = rol(b, 30);
    // Rotate the 160 bits y:x by one word.
    const top = x[3]!;
    x.pop();
    x.unshift(y);
    y = top;
  }
  put(c, d, x);
}

export function sha1h(c: CpuState, d: number, n: number): void {
  put(c, d, [rol(c.v[n * 4]!, 30), 0, 0, 0]);
}

export function sha1su0(c: CpuState, d: number, n: number, m: number): void {
  const a = words(c, d), b = words(c, n), k = words(c, m);
  const t = [a[2]!, a[3]!, b[0]!, b[1]!];
  put(c, d, t.map((x, i) => x ^ a[i]! ^ k[i]!));
}

export function sha1su1(c: CpuState, d: number, n: number): void {
  const a = words(c, d), b = words(c, n);
  const t = [a[0]! ^ b[1]!, a[1]! ^ b[2]!, a[2]! ^ b[3]!, a[3]!];
  put(c, d, [rol(t[0]!, 1), rol(t[1]!, 1), rol(t[2]!, 1), rol(t[3]!, 1) ^ rol(t[0]!, 2)]);
}

/** Four SHA-256 rounds on x = a..d and y = e..h with schedule w; the first half (SHA256H) or the second (SHA256H2) of the result. */
function sha256Rounds(x: number[], y: number[], w: readonly number[]): void {
  for (let e = 0; e < 4; e++) {
    const ch = (y[0]! & y[1]!) | (~y[0]! & y[2]!);
    const maj = (x[0]! & x[1]!) | (x[0]! & x[2]!) | (x[1]! & x[2]!);
    const t1 = (y[3]! + (ror(y[0]!, 6) ^ ror(y[0]!, 11) ^ ror(y[0]!, 25)) + ch + w[e]!) | 0;
    const newX3 = (t1 + x[3]!) | 0;
    const newY3 = (t1 + (ror(x[0]!, 2) ^ ror(x[0]!, 13) ^ ror(x[0]!, 22)) + maj) | 0;
    // Rotate the 256 bits y:x by one word.
    const [x0, x1, x2] = [x[0]!, x[1]!, x[2]!];
    const [y0, y1, y2] = [y[0]!, y[1]!, y[2]!];
    x.splice(0, 4, newY3, x0, x1, x2);
    y.splice(0, 4, newX3, y0, y1, y2);
  }
}

export function sha256h(c: CpuState, d: number, n: number, m: number, second: number): void {
  const x = second ? words(c, n) : words(c, d);
  const y = second ? words(c, d) : words(c, n);
  sha256Rounds(x, y, words(c, m));
  put(c, d, second ? y : x);
}

const sigma0 = (x: number): number => ror(x, 7) ^ ror(x, 18) ^ (x >>> 3);
const sigma1 = (x: number): number => ror(x, 17) ^ ror(x, 19) ^ (x >>> 10);

export function sha256su0(c: CpuState, d: number, n: number): void {
  const a = words(c, d), b = words(c, n);
  const t = [a[1]!, a[2]!, a[3]!, b[0]!];
  put(c, d, t.map((x, i) => sigma0(x) + a[i]!));
}

export function sha256su1(c: CpuState, d: number, n: number, m: number): void {
  const a = words(c, d), b = words(c, n), k = words(c, m);
  const t0 = [b[1]!, b[2]!, b[3]!, k[0]!];
  const r = [0, 0, 0, 0];
  r[0] = (sigma1(k[2]!) + a[0]! + t0[0]!) | 0;
  r[1] = (sigma1(k[3]!) + a[1]! + t0[1]!) | 0;
  r[2] = (sigma1(r[0]) + a[2]! + t0[2]!) | 0;
  r[3] = (sigma1(r[1]) + a[3]! + t0[3]!) | 0;
  put(c, d, r);
}

// ---- PMULL (64-bit) -------------------------------------------------------------------------

/** The 128-bit carry-less product of doubleword `part` of n and m. */
export function pmull64(c: CpuState, d: number, n: number, m: number, part: number): void {
  const u = views(c).u[3];
  const a = u[n * 2 + part]!, b = u[m * 2 + part]!;
  let lo = 0n, hi = 0n;
  for (let i = 0n; i < 64n; i++) {
    if ((b >> i) & 1n) {
      lo ^= (a << i) & 0xffffffffffffffffn;
      hi ^= i ? a >> (64n - i) : 0n;
    }
  }
  scratchWords.fill(0, 0, 4);
  scratch.u[3][0] = lo;
  scratch.u[3][1] = hi;
  commit(c, d);
}
