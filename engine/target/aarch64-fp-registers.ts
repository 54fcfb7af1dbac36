// The aarch64 FP/SIMD state as the debugger shows it: v0..v31 (128 bits) with
// lane views (b, h, s, d; s and d also as floating-point values), and FPCR and
// FPSR with their fields. Names readRegister/setRegister take: `v5`,
// `v5.s[2]` (any lane), `q5`, `d5`, `s5`, `h5`, `b5`, `fpcr`, `fpsr`, and a
// field as `fpcr.rmode`.

import type { Aarch64Core } from '../isa/aarch64/core';
import { floatText, hexDigits } from './float-text';
import type { RegisterNode } from './target';

const LANES = [['b', 8], ['h', 16], ['s', 32], ['d', 64]] as const;
type Lane = (typeof LANES)[number][0];
const BITS: Readonly<Record<Lane | 'q', number>> = { b: 8, h: 16, s: 32, d: 64, q: 128 };

interface Field {
  readonly name: string;
  readonly lsb: number;
  readonly width: number;
  /** Names of the values, where they have names. */
  readonly names?: readonly string[];
}

const FPCR_FIELDS: readonly Field[] = [
  { name: 'ahp', lsb: 26, width: 1 }, { name: 'dn', lsb: 25, width: 1 }, { name: 'fz', lsb: 24, width: 1 },
  { name: 'rmode', lsb: 22, width: 2, names: ['RN (to nearest)', 'RP (toward +inf)', 'RM (toward -inf)', 'RZ (toward zero)'] },
];
const FPSR_FIELDS: readonly Field[] = [
  { name: 'qc', lsb: 27, width: 1 }, { name: 'idc', lsb: 7, width: 1 }, { name: 'ixc', lsb: 4, width: 1 }, { name: 'ufc', lsb: 3, width: 1 },
  { name: 'ofc', lsb: 2, width: 1 }, { name: 'dzc', lsb: 1, width: 1 }, { name: 'ioc', lsb: 0, width: 1 },
];
const CONTROL: Readonly<Record<string, readonly Field[]>> = { fpcr: FPCR_FIELDS, fpsr: FPSR_FIELDS };

/** V[n] as an unsigned 128-bit value. */
function vector(core: Aarch64Core, n: number): bigint {
  const v = core.state.v;
  let out = 0n;
  for (let i = 3; i >= 0; i--) out = (out << 32n) | BigInt(v[4 * n + i]! >>> 0);
  return out;
}

function setVector(core: Aarch64Core, n: number, value: bigint): void {
  for (let i = 0; i < 4; i++) core.state.v[4 * n + i] = Number(BigInt.asIntN(32, value >> BigInt(32 * i)));
}

function laneNodes(n: number, value: bigint, lane: Lane, bits: number): RegisterNode {
  const count = 128 / bits;
  const mask = (1n << BigInt(bits)) - 1n;
  const children = Array.from({ length: count }, (_, i) => {
    const x = (value >> BigInt(i * bits)) & mask;
    const text = lane === 's' || lane === 'd' ? `${hexDigits(x, bits)} (${floatText(x, bits as 32 | 64)})` : hexDigits(x, bits);
    return { name: `${lane}[${i}]`, text, setName: `v${n}.${lane}[${i}]`, ...(lane === 's' || lane === 'd' ? { float: bits as 32 | 64 } : {}) };
  });
  return { name: lane, text: `${count} × ${bits}-bit`, children };
}

function controlNode(core: Aarch64Core, name: string): RegisterNode {
  const value = core.readSysreg(name) ?? 0n;
  const children = CONTROL[name]!.map((f) => {
    const v = Number((value >> BigInt(f.lsb)) & ((1n << BigInt(f.width)) - 1n));
    return { name: f.name, text: f.names ? `${v} ${f.names[v]}` : String(v), setName: `${name}.${f.name}` };
  });
  return { name, text: hexDigits(value, 32), setName: name, children };
}

export function fpRegisterTree(core: Aarch64Core): RegisterNode[] {
  const out: RegisterNode[] = [];
  for (let n = 0; n < 32; n++) {
    const value = vector(core, n);
    out.push({ name: `v${n}`, text: hexDigits(value, 128), setName: `v${n}`, children: LANES.map(([lane, bits]) => laneNodes(n, value, lane, bits)) });
  }
  out.push(controlNode(core, 'fpcr'), controlNode(core, 'fpsr'));
  return out;
}

/** Where a name points: a lane (of `bits` at `lsb`) of V[n], or a field of FPCR/FPSR. */
type Place = { kind: 'v'; n: number; lsb: number; bits: number } | { kind: 'control'; reg: string; field?: Field };

function place(name: string): Place | undefined {
  const n = name.toLowerCase();
  let m = /^v([0-9]+)(?:\.([bhsd])\[([0-9]+)\])?$/.exec(n);
  if (m && Number(m[1]) < 32) {
    if (m[2] === undefined) return { kind: 'v', n: Number(m[1]), lsb: 0, bits: 128 };
    const bits = BITS[m[2] as Lane];
    const i = Number(m[3]);
    return i < 128 / bits ? { kind: 'v', n: Number(m[1]), lsb: i * bits, bits } : undefined;
  }
  m = /^([bhsdq])([0-9]+)$/.exec(n);
  if (m && Number(m[2]) < 32) return { kind: 'v', n: Number(m[2]), lsb: 0, bits: BITS[m[1] as Lane | 'q'] };
  m = /^(fpcr|fpsr)(?:\.([a-z0-9]+))?$/.exec(n);
  if (!m) return undefined;
  if (m[2] === undefined) return { kind: 'control', reg: m[1]! };
  const field = CONTROL[m[1]!]!.find((f) => f.name === m![2]);
  return field ? { kind: 'control', reg: m[1]!, field } : undefined;
}

export function readFpRegister(core: Aarch64Core, name: string): bigint | undefined {
  const p = place(name);
  if (!p) return undefined;
  if (p.kind === 'v') return (vector(core, p.n) >> BigInt(p.lsb)) & ((1n << BigInt(p.bits)) - 1n);
  const value = core.readSysreg(p.reg) ?? 0n;
  return p.field ? (value >> BigInt(p.field.lsb)) & ((1n << BigInt(p.field.width)) - 1n) : value;
}

/** Writes a lane or a whole register, as the debugger's setVariable does: only the named bits change. */
export function writeFpRegister(core: Aarch64Core, name: string, value: bigint): boolean {
  const p = place(name);
  if (!p) return false;
  const insertBits = (old: bigint, lsb: number, bits: number): bigint => {
    const mask = ((1n << BigInt(bits)) - 1n) << BigInt(lsb);
    return (old & ~mask) | ((value << BigInt(lsb)) & mask);
  };
  if (p.kind === 'v') {
    setVector(core, p.n, insertBits(vector(core, p.n), p.lsb, p.bits));
    return true;
  }
  const old = core.readSysreg(p.reg) ?? 0n;
  return core.writeSysreg(p.reg, p.field ? insertBits(old, p.field.lsb, p.field.width) : BigInt.asUintN(64, value));
}
