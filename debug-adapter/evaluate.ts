// The expressions `evaluate` understands, in the watch, hover and repl contexts:
//   a0, x10, pc, sepc          a register or CSR of the CPU in focus
//   v3.s[1], fpcr.rmode        a lane of a vector register, a field of a control register
//   *(u64*)0x80200000          memory of width u8/u16/u32/u64 at an address expression
//   counter, puts+0x10         a symbol's address
//   0x1000, 42                 a number
//   a0 = 5                     (repl) set a register
// An address expression is a number, symbol or register, optionally ± a number.

import { guestReference, hex } from './memory-reference';

export interface EvaluationHost {
  register(name: string): Promise<bigint | undefined>;
  setRegister(name: string, value: bigint): Promise<void>;
  symbolAddress(name: string): Promise<bigint | undefined>;
  readMemory(address: bigint, length: number): Promise<(number | undefined)[]>;
}

export interface Evaluation {
  readonly result: string;
  readonly value: bigint;
  readonly memoryReference?: string;
}

export class EvaluationError extends Error {}

const WIDTHS: Readonly<Record<string, number>> = { u8: 1, u16: 2, u32: 4, u64: 8, uint8_t: 1, uint16_t: 2, uint32_t: 4, uint64_t: 8 };

export function parseNumber(text: string): bigint | undefined {
  const t = text.trim().replace(/_/g, '');
  if (/^-?0x[0-9a-f]+$/i.test(t)) return t.startsWith('-') ? -BigInt(t.slice(1)) : BigInt(t);
  if (/^-?\d+$/.test(t)) return BigInt(t);
  return undefined;
}

/**
 * The bits of a floating-point value as an IEEE binary32 or binary64, for FP
 * lanes: a decimal with a point or an exponent (`1.5`, `-2e-3`), `inf` or
 * `nan`. Plain integers stay bit patterns (parseNumber).
 */
export function floatBits(text: string, width: 32 | 64 | undefined): bigint | undefined {
  if (!width) return undefined;
  const t = text.trim().toLowerCase();
  let x: number;
  if (/^[+-]?(\d+\.\d*|\.\d+)(e[+-]?\d+)?$/.test(t) || /^[+-]?\d+e[+-]?\d+$/.test(t)) x = Number(t);
  else if (/^[+-]?inf(inity)?$/.test(t)) x = t.startsWith('-') ? -Infinity : Infinity;
  else if (t === 'nan') x = NaN;
  else return undefined;
  const view = new DataView(new ArrayBuffer(8));
  if (width === 32) {
    view.setFloat32(0, x);
    return BigInt(view.getUint32(0));
  }
  view.setFloat64(0, x);
  return view.getBigUint64(0);
}

async function addressOf(expr: string, host: EvaluationHost): Promise<bigint> {
  const m = /^\s*([A-Za-z_.$][\w.$]*|0x[0-9a-f_]+|\d+)\s*(?:([+-])\s*(0x[0-9a-f_]+|\d+))?\s*$/i.exec(expr);
  if (!m) throw new EvaluationError(`cannot read "${expr}" as an address (a number, symbol or register, optionally + or - a number)`);
  let base = parseNumber(m[1]!);
  if (base === undefined) base = (await host.symbolAddress(m[1]!)) ?? (await host.register(m[1]!));
  if (base === undefined) throw new EvaluationError(`"${m[1]}" is neither a symbol nor a register`);
  const delta = m[3] !== undefined ? parseNumber(m[3])! : 0n;
  return BigInt.asUintN(64, m[2] === '-' ? base - delta : base + delta);
}

export async function evaluateExpression(expression: string, cpu: number, host: EvaluationHost, allowAssignment: boolean): Promise<Evaluation> {
  const expr = expression.trim();
  const assignment = /^([A-Za-z][\w.]*(?:\[\d+\])?)\s*=\s*(.+)$/.exec(expr);
  if (assignment && allowAssignment) {
    const value = parseNumber(assignment[2]!);
    if (value === undefined) throw new EvaluationError(`"${assignment[2]}" is not a number`);
    if ((await host.register(assignment[1]!)) === undefined) throw new EvaluationError(`"${assignment[1]}" is not a register`);
    await host.setRegister(assignment[1]!, value);
    const now = (await host.register(assignment[1]!))!;
    return { result: hex(now), value: now };
  }
  const deref = /^\*\s*\(\s*(\w+)\s*\*\s*\)\s*\(?(.+?)\)?$/.exec(expr);
  if (deref) {
    const width = WIDTHS[deref[1]!.toLowerCase()];
    if (width === undefined) throw new EvaluationError(`unknown type "${deref[1]}" (use u8, u16, u32 or u64)`);
    const address = await addressOf(deref[2]!, host);
    const bytes = await host.readMemory(address, width);
    if (bytes.some((b) => b === undefined)) throw new EvaluationError(`cannot read ${width} bytes at ${hex(address)}: not mapped for CPU ${cpu}`);
    let value = 0n;
    for (let i = width - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
    return { result: `${hex(value)} (${value})`, value, memoryReference: guestReference(cpu, address) };
  }
  const literal = parseNumber(expr);
  if (literal !== undefined) return { result: `${hex(literal)} (${literal})`, value: literal };
  if (/^[A-Za-z_.$][\w.$]*(?:\[\d+\])?$/.test(expr)) {
    const reg = await host.register(expr);
    if (reg !== undefined) return { result: hex(reg), value: reg, memoryReference: guestReference(cpu, reg) };
  }
  const address = await addressOf(expr, host);
  return { result: `${hex(address)} <${expr}>`, value: address, memoryReference: guestReference(cpu, address) };
}
