// The engine's DWARF view of a guest frame's variables (engine/dwarf scopes,
// locations and types, over the registers the engine's unwinder recovered
// for that frame and the CPU's memory), compared with gdb's values number by
// number: each scalar as its bytes decode for its type, structs member by
// member (bitfields included), arrays element by element.
import type { Engine } from '../../engine/api';
import type { GuestCallFrame } from '../../engine/debug/call-stack';
import type { DebugInfo } from '../../engine/dwarf/debug-info';
import type { Location } from '../../engine/dwarf/expression';
import { functionAt, localsAt, locate, type FrameContext } from '../../engine/dwarf/scopes';
import { resolved, sizeOf, type CType } from '../../engine/dwarf/types';
import { floatOfBits } from '../../engine/ieee-bits';
import type { GdbValue } from './gdb-values';

export interface OurVariable {
  readonly name: string;
  readonly kind: 'parameter' | 'local' | 'global';
  readonly type: CType;
  readonly location: Location;
  /** The object's bytes, undefined where not known (optimized out, unreadable). */
  readonly bytes: readonly (number | undefined)[];
}

/** The first FP register's DWARF number and readRegister's name for FP register n, per arch. */
const FP_REGISTERS: Record<string, { first: number; name: (n: number) => string }> = {
  riscv64: { first: 32, name: (n) => `f${n}` },
  aarch64: { first: 64, name: (n) => `d${n}` },
};

function leBytes(value: bigint, size: number): number[] {
  return Array.from({ length: size }, (_, i) => Number((value >> BigInt(8 * i)) & 0xffn));
}

/** What guest frame `index` knows: the registers the unwinder recovered (the CPU's FP registers in the innermost frame), memory, its CFA and its caller. */
export function frameContext(engine: Engine, cpu: number, frames: readonly GuestCallFrame[], index: number): FrameContext {
  const frame = frames[index]!;
  const named = new Map(frame.registers.map((r) => [r.name, r.value]));
  const fp = FP_REGISTERS[engine.target.arch]!;
  const register = (n: number): bigint | undefined => {
    const name = engine.target.dwarfRegisters[n];
    if (name !== undefined) return named.get(name);
    // FP registers: the CPU's own in the innermost frame, those the unwinder recovered in a caller.
    if (index === 0 && n >= fp.first && n < fp.first + 32) return engine.readRegister(cpu, fp.name(n - fp.first));
    return index === 0 ? undefined : frame.recovered.get(n);
  };
  const readMemory = (address: bigint, size: number): bigint | undefined => {
    const bytes = engine.readVirtual(cpu, Number(BigInt.asIntN(64, address)), size);
    return bytes.some((b) => b === undefined) ? undefined : bytes.reduceRight<bigint>((v, b) => (v << 8n) | BigInt(b!), 0n);
  };
  return {
    register,
    readMemory,
    ...(frame.cfa === undefined ? {} : { cfa: () => frame.cfa }),
    caller: () => (index + 1 < frames.length ? { returnAddress: frames[index + 1]!.pc, frame: frameContext(engine, cpu, frames, index + 1) } : undefined),
  };
}

/** The parameters and locals of guest frame `index` as the engine's DWARF reader finds them, or undefined when no DWARF function covers it. */
export function frameVariables(engine: Engine, cpu: number, frames: readonly GuestCallFrame[], index: number): { function: string | undefined; variables: OurVariable[] } | undefined {
  const frame = frames[index]!;
  // A caller's pc is the return address: its call is the instruction before, which is what scopes and location lists describe.
  const pc = index === 0 ? frame.pc : frame.pc - 1n;
  const info: DebugInfo | undefined = engine.images.map((i) => i.debugInfo).find((d) => d && functionAt(d, pc));
  const fn = info && functionAt(info, pc);
  if (!info || !fn) return undefined;
  const context = frameContext(engine, cpu, frames, index);
  const register = context.register;
  const bytesOf = (location: Location, size: number): (number | undefined)[] => {
    switch (location.kind) {
      case 'memory':
        return engine.readVirtual(cpu, Number(BigInt.asIntN(64, location.address)), size);
      case 'register': {
        const v = register(location.register);
        return v === undefined ? Array<undefined>(size).fill(undefined) : [...leBytes(v, Math.min(size, 8)), ...Array<undefined>(Math.max(0, size - 8)).fill(undefined)];
      }
      case 'value':
        return leBytes(location.value, size);
      case 'implicit':
        return Array.from({ length: size }, (_, i) => location.bytes[i]);
      case 'pieces':
        return location.pieces.flatMap((p) => bytesOf(p.location, Math.ceil(p.bits / 8))).concat(Array<undefined>(size).fill(undefined)).slice(0, size);
      case 'unavailable':
        return Array<undefined>(size).fill(undefined);
    }
  };
  const variables = localsAt(info, fn, pc).map((v) => {
    const location = locate(info, v, pc, context, fn);
    return { name: v.name, kind: v.kind, type: v.type, location, bytes: bytesOf(location, sizeOf(v.type) ?? 0) };
  });
  return { function: fn.name, variables };
}

function integer(bytes: readonly (number | undefined)[], signed: boolean): bigint | undefined {
  if (bytes.some((b) => b === undefined)) return undefined;
  const v = bytes.reduceRight<bigint>((acc, b) => (acc << 8n) | BigInt(b!), 0n);
  return signed ? BigInt.asIntN(bytes.length * 8, v) : v;
}

const show = (v: GdbValue): string => JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));

function gdbNumber(v: GdbValue): number | bigint | undefined {
  if (v.kind === 'integer') return v.value;
  if (v.kind === 'float') return v.value;
  return undefined;
}

/** Every difference between the value of type `type` in `bytes` and gdb's value, each naming its path. */
export function differences(type: CType, bytes: readonly (number | undefined)[], gdb: GdbValue, path: string): string[] {
  const t = resolved(type);
  const known = bytes.length > 0 && bytes.every((b) => b !== undefined);
  if (gdb.kind === 'optimized out') return bytes.some((b) => b !== undefined) ? [`${path}: gdb <optimized out>, ours has bytes [${bytes.join(',')}]`] : [];
  if (gdb.kind === 'missing') return known ? [`${path}: gdb ${gdb.text}, ours has bytes [${bytes.join(',')}]`] : [];
  switch (t.kind) {
    case 'base':
    case 'enum':
    case 'pointer': {
      if (!known) return [`${path}: ours unavailable, gdb ${show(gdb)}`];
      const signed = t.kind === 'enum' ? t.enumerators.some((e) => e.value < 0n) : t.kind === 'base' && (t.encoding === 'signed' || t.encoding === 'signed char');
      const raw = integer(bytes, signed)!;
      if (t.kind === 'pointer') return gdb.kind === 'pointer' && gdb.address === BigInt.asUintN(64, raw) ? [] : gdb.kind === 'integer' && gdb.value === raw ? [] : [`${path}: ours 0x${raw.toString(16)}, gdb ${show(gdb)}`];
      if (t.kind === 'enum') {
        const name = t.enumerators.find((e) => e.value === raw)?.name;
        if (gdb.kind === 'name') return gdb.name === name ? [] : [`${path}: ours ${name ?? raw}, gdb ${gdb.name}`];
        return gdb.kind === 'integer' && gdb.value === raw && name === undefined ? [] : [`${path}: ours ${name ?? raw}, gdb ${show(gdb)}`];
      }
      if (t.encoding === 'float') {
        const ours = floatOfBits(raw, t.size as 4 | 8);
        const theirs = gdbNumber(gdb);
        if (theirs === undefined) return [`${path}: ours ${ours}, gdb ${show(gdb)}`];
        const n = Number(theirs);
        const same = Number.isNaN(ours) ? Number.isNaN(n) : t.size === 4 ? Math.fround(n) === ours : n === ours;
        return same ? [] : [`${path}: ours ${ours}, gdb ${gdb.kind === 'float' ? gdb.text : String(theirs)}`];
      }
      if (t.encoding === 'boolean') return gdb.kind === 'name' && gdb.name === (raw ? 'true' : 'false') ? [] : [`${path}: ours ${raw}, gdb ${show(gdb)}`];
      return gdb.kind === 'integer' && gdb.value === raw ? [] : [`${path}: ours ${raw}, gdb ${show(gdb)}`];
    }
    case 'struct':
    case 'union': {
      if (gdb.kind !== 'aggregate') return [`${path}: ours a ${t.kind}, gdb ${show(gdb)}`];
      const out: string[] = [];
      for (const m of t.members) {
        const item = gdb.items.find((it) => it.name === m.name);
        const where = `${path}.${m.name ?? '?'}`;
        if (!item) {
          out.push(`${where}: gdb shows no such member`);
          continue;
        }
        if (m.bitSize !== undefined && m.bitOffset !== undefined) {
          const first = Math.floor(m.bitOffset / 8);
          const span = bytes.slice(first, Math.ceil((m.bitOffset + m.bitSize) / 8));
          const word = integer(span, false);
          const mt = resolved(m.type);
          const signed = mt.kind === 'base' && (mt.encoding === 'signed' || mt.encoding === 'signed char');
          if (word === undefined) {
            if (item.value.kind !== 'optimized out') out.push(`${where}: ours unavailable, gdb ${show(item.value)}`);
            continue;
          }
          const field = (word >> BigInt(m.bitOffset - first * 8)) & ((1n << BigInt(m.bitSize)) - 1n);
          const value = signed ? BigInt.asIntN(m.bitSize, field) : field;
          if (!(item.value.kind === 'integer' && item.value.value === value)) out.push(`${where}: ours ${value}, gdb ${show(item.value)}`);
          continue;
        }
        out.push(...differences(m.type, bytes.slice(m.offset, m.offset + (sizeOf(m.type) ?? 0)), item.value, where));
      }
      return out;
    }
    case 'array': {
      const size = sizeOf(t.element) ?? 0;
      const inner = t.counts.length > 1 ? { ...t, counts: t.counts.slice(1) } : t.element;
      const innerSize = t.counts.length > 1 ? (sizeOf(inner) ?? 0) : size;
      const rows = t.counts[0] ?? 0;
      if (gdb.kind === 'bytes') {
        // gdb's text for a char array is its bytes, the trailing zeros left off; compare them unsigned.
        const theirs = gdb.bytes.concat(Array<number>(Math.max(0, rows - gdb.bytes.length)).fill(0));
        return theirs.slice(0, rows).flatMap((b, i) => (bytes[i] === b ? [] : [`${path}[${i}]: ours ${bytes[i]}, gdb ${b}`]));
      }
      if (gdb.kind !== 'aggregate') return [`${path}: ours an array, gdb ${show(gdb)}`];
      const elements = gdb.items.flatMap((it) => Array<GdbValue>(it.repeats).fill(it.value));
      if (elements.length !== rows) return [`${path}: ours ${rows} elements, gdb ${elements.length}`];
      return elements.flatMap((e, i) => differences(inner, bytes.slice(i * innerSize, (i + 1) * innerSize), e, `${path}[${i}]`));
    }
    default:
      return [`${path}: ours a ${t.kind} type, gdb ${show(gdb)}`];
  }
}
