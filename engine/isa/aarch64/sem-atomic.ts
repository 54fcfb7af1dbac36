// Semantics of the exclusive, acquire/release and ARMv8.1 atomic rows. The
// engine runs one CPU at a time, so every access is single-copy atomic by
// construction and barriers need no code; what needs care is alignment
// (these accesses always check it), the exclusive monitor, and that a
// faulting instruction changes no register.

import { num, type Operands, type Semantics } from './fragment';
import { AmoOp } from './atomics';
import type { Row } from './table';

const AMO_OPS: Readonly<Record<string, AmoOp>> = {
  ldadd: AmoOp.add, ldclr: AmoOp.clr, ldeor: AmoOp.eor, ldset: AmoOp.set,
  ldsmax: AmoOp.smax, ldsmin: AmoOp.smin, ldumax: AmoOp.umax, ldumin: AmoOp.umin, swp: AmoOp.swp,
};

const address = (o: Operands): string => `const a=${num(o.lo('rn'), o.hi('rn'))};`;
const check = (o: Operands): string => `if(c.fault){${o.fault}}`;

/** Acquire/release single-register accesses: ordinary accesses that must be aligned. */
function acquireRelease(load: boolean, size: number, wide: boolean): Semantics {
  return {
    kind: 'mem',
    body: (o) => {
      const aligned = `if((a&${size - 1})!==0){c.alignmentFault(a,${!load});${o.fault}}`;
      if (!load) {
        const call = size === 1 ? `c.sb(a,${o.lo('rt')})` : size === 2 ? `c.sh(a,${o.lo('rt')})` : size === 4 ? `c.sw(a,${o.lo('rt')})` : `c.sd(a,${o.lo('rt')},${o.hi('rt')})`;
        return `${address(o)}${aligned}${call};${check(o)}`;
      }
      const call = size === 1 ? 'c.lbu(a)' : size === 2 ? 'c.lhu(a)' : size === 4 ? 'c.lw(a)' : 'c.ld(a)';
      return `${address(o)}${aligned}const vl=${call};${check(o)}${o.set('rt', 'vl', wide ? 'c.hi32' : '0')}`;
    },
  };
}

/** Semantics for an exclusive, acquire/release or atomic row, or undefined. */
export function atomicSemantics(row: Row): Semantics | undefined {
  if (row.group !== 'atomic') return undefined;
  const [m, reg] = row.id.split('.') as [string, string];
  const size = row.bytes ?? 8;
  const wide = reg === 'x';
  const mem = (body: (o: Operands) => string): Semantics => ({ kind: 'mem', body });
  // Strip the size suffix (b/h) and ordering (a/l/al) to find the operation.
  const base = m.replace(/[bh]$/, '');
  // LDLAR/STLLR need FEAT_LOR, which ID_AA64MMFR1_EL1.LO does not advertise: UNDEFINED (objdump still names them).
  if (/^(ldlar|stllr)$/.test(base)) return mem((o) => `c.undefinedInstruction();${o.fault}`);
  if (base === 'ldar') return acquireRelease(true, size, wide);
  if (base === 'stlr') return acquireRelease(false, size, wide);
  if (/^ld(a)?xr$/.test(base)) {
    return mem((o) => `${address(o)}const vl=h.loadExclusive(c,a,${size});${check(o)}${o.set('rt', 'vl', wide ? 'c.hi32' : '0')}`);
  }
  if (/^st(l)?xr$/.test(base)) {
    return mem((o) => `${address(o)}const st=h.storeExclusive(c,a,${size},${o.lo('rt')},${o.hi('rt')});${check(o)}${o.set('rs', 'st', '0')}`);
  }
  if (/^ld(a)?xp$/.test(base)) {
    return mem((o) => `${address(o)}h.loadExclusivePair(c,a,${size});${check(o)}` +
      `const w=h.words;${o.set('rt', 'w[0]', wide ? 'w[1]' : '0')}${o.set('rt2', wide ? 'w[2]' : 'w[1]', wide ? 'w[3]' : '0')}`);
  }
  if (/^st(l)?xp$/.test(base)) {
    return mem((o) => `${address(o)}const st=h.storeExclusivePair(c,a,${size},${o.lo('rt')},${o.hi('rt')},${o.lo('rt2')},${o.hi('rt2')});${check(o)}${o.set('rs', 'st', '0')}`);
  }
  if (/^casp(a|l|al)?$/.test(base)) {
    // Rs, Rs+1 receive the old pair (the element at the lower address in Rs) whether or not it matched.
    return mem((o) => `${address(o)}h.compareAndSwapPair(c,a,${size},${o.lo('rs')},${o.hi('rs')},${o.lo('rs2')},${o.hi('rs2')},` +
      `${o.lo('rt')},${o.hi('rt')},${o.lo('rt2')},${o.hi('rt2')});${check(o)}const w=h.words;` +
      `${o.set('rs', 'w[0]', wide ? 'w[1]' : '0')}${o.set('rs2', wide ? 'w[2]' : 'w[1]', wide ? 'w[3]' : '0')}`);
  }
  if (/^cas(a|l|al)?$/.test(base)) {
    return mem((o) => `${address(o)}const vl=h.compareAndSwap(c,a,${size},${o.lo('rs')},${o.hi('rs')},${o.lo('rt')},${o.hi('rt')});${check(o)}` +
      o.set('rs', 'vl', wide ? 'c.hi32' : '0'));
  }
  const opName = base.replace(/(a|l|al)$/, '');
  const amo = AMO_OPS[opName] ?? AMO_OPS[base];
  if (amo !== undefined) {
    return mem((o) => `${address(o)}const vl=h.atomic(c,${amo},a,${size},${o.lo('rs')},${o.hi('rs')});${check(o)}` +
      o.set('rt', 'vl', wide ? 'c.hi32' : '0'));
  }
  return undefined;
}
