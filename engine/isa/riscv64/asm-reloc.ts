// The relocation operators, evaluated once every address is known:
// %hi/%lo split an absolute value for lui + addi/load/store, %pcrel_hi/%pcrel_lo
// split a pc-relative one for auipc + addi/load/store. A %pcrel_lo names the
// label of its auipc, and takes the low part of that auipc's target.

import type { SourcePos } from '../../asm/diagnostics';
import type { Expr } from '../../asm/expr';
import type { ResolveContext } from '../../asm/sections';

interface PcrelHi {
  /** Internal symbol at the auipc. */
  readonly anchor: string;
  readonly target: Expr;
  readonly at: SourcePos;
}

const lo12 = (v: bigint): bigint => BigInt.asIntN(12, v);

/** The 20-bit upper part, or undefined if `v` is beyond a sign-extended 32-bit pair's reach. */
function hi20(v: bigint): bigint | undefined {
  const upper = v - lo12(v);
  if (upper !== BigInt.asIntN(32, upper)) return undefined;
  return BigInt.asUintN(20, upper >> 12n);
}

export class PcrelTable {
  private readonly records: PcrelHi[] = [];
  private byAddress: Map<bigint, PcrelHi> | undefined;

  add(record: PcrelHi): void {
    this.records.push(record);
  }

  private find(address: bigint, ctx: ResolveContext): PcrelHi | undefined {
    if (!this.byAddress) {
      this.byAddress = new Map();
      for (const r of this.records) {
        const a = ctx.symbolAddress(r.anchor, r.at);
        if (a !== undefined && !this.byAddress.has(a)) this.byAddress.set(a, r);
      }
    }
    return this.byAddress.get(address);
  }

  /** pc-relative offset an auipc at `label` builds, for its %pcrel_lo partner. */
  offsetAt(label: Expr, ctx: ResolveContext, at: SourcePos): bigint | undefined {
    const address = ctx.value(label, at.line);
    if (address === undefined) return undefined;
    const hi = this.find(address, ctx);
    if (!hi) {
      ctx.error(at, '%pcrel_lo needs the label of an auipc that uses %pcrel_hi');
      return undefined;
    }
    const target = ctx.value(hi.target, hi.at.line);
    return target === undefined ? undefined : BigInt.asIntN(64, target - address);
  }
}

/** Slot value (for lui/auipc: the value of the immU field) a relocation operator gives. */
export function relocValue(op: string, arg: Expr, pc: bigint, pcrel: PcrelTable, ctx: ResolveContext, at: SourcePos): number | undefined {
  switch (op) {
    case 'hi':
    case 'pcrel_hi': {
      const v = ctx.value(arg, at.line);
      if (v === undefined) return undefined;
      const value = op === 'hi' ? v : BigInt.asIntN(64, v - pc);
      const hi = hi20(value);
      if (hi === undefined) {
        const what = op === 'hi' ? `address 0x${BigInt.asUintN(64, value).toString(16)} is outside` : `pc-relative offset ${value} is outside`;
        const hint = op === 'hi' ? '; lui/addi reach only the lowest and highest 2 GiB (use la for pc-relative addressing)' : '';
        ctx.error(at, `%${op}: ${what} the ±2 GiB a 32-bit upper/lower pair can reach${hint}`);
        return undefined;
      }
      return Number(BigInt.asIntN(32, hi << 12n));
    }
    case 'lo': {
      const v = ctx.value(arg, at.line);
      return v === undefined ? undefined : Number(lo12(v));
    }
    case 'pcrel_lo': {
      const offset = pcrel.offsetAt(arg, ctx, at);
      return offset === undefined ? undefined : Number(lo12(offset));
    }
    default:
      ctx.error(at, `unsupported relocation operator %${op}`);
      return undefined;
  }
}

/** %hi or %lo of a constant, wrapping like gas does for constants. */
export function constantPart(op: 'hi' | 'lo', v: bigint): number {
  if (op === 'lo') return Number(lo12(v));
  return Number(BigInt.asIntN(32, BigInt.asUintN(20, (v + 0x800n) >> 12n) << 12n));
}

/** Upper and lower parts of a pc-relative offset for auipc + jalr/addi pairs. */
export function pcrelPair(offset: bigint): { hi: number; lo: number } | undefined {
  const hi = hi20(offset);
  if (hi === undefined) return undefined;
  return { hi: Number(BigInt.asIntN(32, hi << 12n)), lo: Number(lo12(offset)) };
}
