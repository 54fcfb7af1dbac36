// The riscv64 F/D state as the debugger shows it: f0..f31 under their ABI
// names (64 bits in hex, with the double and the NaN-boxed single they hold),
// and fcsr with frm and the fflags bits. Names readRegister/setRegister take:
// `fa0` or `f10` (all 64 bits), `fa0.s` (a single, written NaN-boxed), `fcsr`,
// `frm`, `fflags` and a flag as `fflags.nx`.

import type { Hart } from '../isa/riscv64/hart';
import { fAbiNames, parseFRegister } from '../isa/riscv64/registers';
import { floatText, hexDigits } from './float-text';
import type { RegisterNode } from './target';

const BOX = 0xffff_ffff_0000_0000n;
const ROUNDING_MODES = ['rne (to nearest, ties to even)', 'rtz (toward zero)', 'rdn (toward -inf)', 'rup (toward +inf)', 'rmm (to nearest, ties away)'];
/** fflags, most significant bit first. */
const FLAGS = ['nv', 'dz', 'of', 'uf', 'nx'] as const;
const flagBit = (name: string): number => FLAGS.length - 1 - FLAGS.indexOf(name as (typeof FLAGS)[number]);

function singleText(value: bigint): string {
  if ((value & BOX) !== BOX) return 'not NaN-boxed: reads as the canonical NaN';
  const s = value & 0xffff_ffffn;
  return `${hexDigits(s, 32)} (${floatText(s, 32)})`;
}

export function fpRegisterTree(h: Hart): RegisterNode[] {
  const out: RegisterNode[] = fAbiNames.map((name, r) => {
    const value = h.getFReg(r);
    return {
      name, text: hexDigits(value, 64), setName: name,
      children: [
        { name: 'd', text: `${hexDigits(value, 64)} (${floatText(value, 64)})`, setName: name },
        { name: 's', text: singleText(value), setName: `${name}.s` },
      ],
    };
  });
  const fflags = BigInt(h.fflags);
  out.push({
    name: 'fcsr', text: hexDigits(BigInt(h.fcsr), 8), setName: 'fcsr',
    children: [
      { name: 'frm', text: `${h.frm} ${ROUNDING_MODES[h.frm] ?? '(reserved)'}`, setName: 'frm' },
      {
        name: 'fflags', text: hexDigits(fflags, 8), setName: 'fflags',
        children: FLAGS.map((f) => ({ name: f, text: String((fflags >> BigInt(flagBit(f))) & 1n), setName: `fflags.${f}` })),
      },
    ],
  });
  return out;
}

/** Where a name points: f register r (whole or its single), or an FP CSR (or one flag). */
type Place = { kind: 'f'; r: number; single: boolean } | { kind: 'csr'; name: 'fcsr' | 'frm' | 'fflags'; flag?: number };

function place(name: string): Place | undefined {
  const n = name.toLowerCase();
  const m = /^([a-z0-9]+)(\.s)?$/.exec(n);
  const r = m ? parseFRegister(m[1]!) : undefined;
  if (r !== undefined) return { kind: 'f', r, single: m![2] !== undefined };
  if (n === 'fcsr' || n === 'frm' || n === 'fflags') return { kind: 'csr', name: n };
  const flag = /^fflags\.([a-z]+)$/.exec(n)?.[1];
  return flag !== undefined && FLAGS.includes(flag as (typeof FLAGS)[number]) ? { kind: 'csr', name: 'fflags', flag: flagBit(flag) } : undefined;
}

export function readFpRegister(h: Hart, name: string): bigint | undefined {
  const p = place(name);
  if (!p) return undefined;
  if (p.kind === 'f') return p.single ? h.getFReg(p.r) & 0xffff_ffffn : h.getFReg(p.r);
  if (p.flag !== undefined) return BigInt((h.fflags >> p.flag) & 1);
  return BigInt(p.name === 'fcsr' ? h.fcsr : p.name === 'frm' ? h.frm : h.fflags);
}

/** Writes as the debugger's setVariable does; the CSR fields keep their widths (frm 3 bits, fflags 5). */
export function writeFpRegister(h: Hart, name: string, value: bigint): boolean {
  const p = place(name);
  if (!p) return false;
  if (p.kind === 'f') {
    h.setFReg(p.r, p.single ? BOX | (value & 0xffff_ffffn) : BigInt.asUintN(64, value));
    return true;
  }
  const v = Number(value & 0xffn);
  if (p.flag !== undefined) h.fflags = (h.fflags & ~(1 << p.flag)) | ((v & 1) << p.flag);
  else if (p.name === 'fcsr') {
    h.frm = (v >> 5) & 7;
    h.fflags = v;
  } else if (p.name === 'frm') h.frm = v & 7;
  else h.fflags = v;
  return true;
}
