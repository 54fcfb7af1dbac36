// Branches and jumps against qemu-riscv64: every branch taken and not taken,
// forward and backward, on corner pairs (x0 too); jal/jalr link values and
// targets, jalr with odd sums (bit 0 cleared) and rd = rs1; loops that the
// translator runs inside one block; and instructions straddling a page.
// Link values are compared relative to the return label, as the two images
// live at different addresses.

import { describe, it } from 'node:test';
import { Program, hex, runGroup } from './oracle';

const BRANCHES = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'] as const;
const BRANCH_VALUES: readonly bigint[] = [
  0n, 1n, -1n, 2n, -(1n << 63n), (1n << 63n) - 1n, 0x80000000n, 0xffffffffn, -(1n << 31n),
  0x100000000n, 0x100000001n, 0xffffffff00000000n, 0xffffffff00000001n,
];

/** Marker in a2: 0 before; each path adds its own amount, so a wrong path shows. */
function branchCase(p: Program, insn: string, what: string): void {
  const taken = p.label('tk');
  p.text('li a2, 0', `${insn}, ${taken}`, 'addi a2, a2, 1', `${taken}:`);
  p.save('a2', `${what} forward (0 taken, 1 not)`);
  const back = p.label('bk'), at = p.label('br'), end = p.label('end');
  p.text('li a2, 0', `j ${at}`, `${back}:`, 'addi a2, a2, 10', `j ${end}`, `${at}:`, `${insn}, ${back}`, 'addi a2, a2, 1', `${end}:`);
  p.save('a2', `${what} backward (10 taken, 1 not)`);
}

function controlGroup(): Program {
  const p = new Program('control', false);
  for (const a of BRANCH_VALUES) {
    for (const b of BRANCH_VALUES) {
      p.li('a0', a);
      p.li('a1', b);
      for (const op of BRANCHES) branchCase(p, `${op} a0, a1`, `${op} rs1=${hex(a)} rs2=${hex(b)}`);
    }
    for (const op of BRANCHES) {
      branchCase(p, `${op} a0, zero`, `${op} rs1=${hex(a)} rs2=x0`);
      branchCase(p, `${op} zero, a0`, `${op} rs1=x0 rs2=${hex(a)}`);
      branchCase(p, `${op} a0, a0`, `${op} rs1=rs2=${hex(a)}`);
    }
  }

  // jal forward and backward, with several link registers (x0 = plain j).
  for (const reg of ['ra', 't0', 'a5', 't6', 'zero']) {
    const link = (ret: string): { rel?: string } => (reg === 'zero' ? {} : { rel: ret });
    const ret = p.symbol('jal_ret'), target = p.label('jt'), end = p.label('je');
    p.text('li a2, 0', `jal ${reg}, ${target}`, `${ret}:`, 'addi a2, a2, 1', `j ${end}`, `${target}:`, 'addi a2, a2, 10', `${end}:`);
    p.save('a2', `jal ${reg} forward: path (10 = target)`);
    p.save(reg, `jal ${reg} forward: link`, link(ret));
    const back = p.label('jb'), at = p.label('ja'), end2 = p.label('je'), ret2 = p.symbol('jal_ret');
    p.text('li a2, 0', `j ${at}`, `${back}:`, 'addi a2, a2, 10', `j ${end2}`, `${at}:`, `jal ${reg}, ${back}`, `${ret2}:`, 'addi a2, a2, 1', `${end2}:`);
    p.save('a2', `jal ${reg} backward: path (10 = target)`);
    p.save(reg, `jal ${reg} backward: link`, link(ret2));
  }

  // jalr: rs1 + imm is the target or target + 1 (bit 0 must be cleared).
  for (const imm of [0, 4, -4, 8, 1, -1, 3, -3, 2047, -2047, -2048, 2046, 1000]) {
    for (const odd of [0, 1]) {
      for (const rd of ['ra', 't0', 'zero']) {
        const ret = p.symbol('jalr_ret'), before = p.label('jb'), target = p.label('jt'), end = p.label('je');
        p.text('li a2, 0', `lla t0, ${target}`, `li t1, ${odd - imm}`, 'add t0, t0, t1', `jalr ${rd}, ${imm}(t0)`, `${ret}:`,
          'addi a2, a2, 1', `j ${end}`, `${before}:`, 'addi a2, a2, 100', `${target}:`, 'addi a2, a2, 10', `${end}:`);
        const what = `jalr ${rd}, ${imm}(t0) with t0 + imm = target${odd ? ' + 1' : ''}${rd === 't0' ? ' (rd = rs1)' : ''}`;
        p.save('a2', `${what}: path (10 = target)`);
        if (rd !== 'zero') p.save(rd, `${what}: link`, { rel: ret });
      }
    }
  }

  // A call and return through auipc + jalr, and nested.
  const fn = p.label('fn'), fn2 = p.label('fn2'), over = p.label('over');
  p.text(`j ${over}`, `${fn}:`, 'addi a0, a0, 7', 'ret', `${fn2}:`, 'mv s1, ra', `call ${fn}`, 'slli a0, a0, 1', 'mv ra, s1', 'ret', `${over}:`);
  p.text('li a0, 5', `call ${fn}`);
  p.save('a0', 'call fn (a0 = 5 + 7)');
  p.text('li a0, -9', `call ${fn2}`);
  p.save('a0', 'call fn2 (a0 = (-9 + 7) * 2)');

  // Loops whose backward branch targets the start of its block (the translator's self-loop).
  for (const n of [1, 2, 17, 1000, 20000]) {
    const loop = p.label('loop');
    p.text(`li a0, ${n}`, 'li a1, 0', `${loop}:`, 'addi a1, a1, 3', 'addi a0, a0, -1', `bnez a0, ${loop}`);
    p.save('a1', `bnez countdown loop of ${n}: sum`);
    const up = p.label('up');
    p.text('li a0, 0', `li a1, ${n}`, 'li a3, 0', `${up}:`, 'add a3, a3, a0', 'addi a0, a0, 1', `blt a0, a1, ${up}`);
    p.save('a3', `blt counting loop to ${n}: sum`);
  }
  // A jal self-loop left through a branch.
  const jl = p.label('jl'), jout = p.label('jout');
  p.text('li a0, 0', `${jl}:`, 'addi a0, a0, 1', 'li t1, 77', `beq a0, t1, ${jout}`, `j ${jl}`, `${jout}:`);
  p.save('a0', 'j loop left by beq at 77');

  // 32-bit instructions straddling a page boundary (two 16-bit fetches, no block).
  const straddle = (insns: string[], what: string, after: string[] = []): void => {
    const at = p.label('st');
    p.text(`j ${at}`, '.balign 4096', '.skip 4094', `${at}:`, ...insns, ...after);
    p.save('a2', what);
  };
  p.li('a0', 0x123456789n);
  straddle(['addi a2, a0, 5'], 'addi straddling a page');
  const t1 = p.label('sj'), e1 = p.label('se'), r1 = p.symbol('straddle_ret');
  straddle([`jal a3, ${t1}`, `${r1}:`], 'jal straddling a page: path', ['li a2, 1', `j ${e1}`, `${t1}:`, 'li a2, 10', `${e1}:`]);
  p.save('a3', 'jal straddling a page: link', { rel: r1 });
  const t2 = p.label('sb'), e2 = p.label('se');
  straddle([`beq a0, a0, ${t2}`], 'taken beq straddling a page: path', ['li a2, 1', `j ${e2}`, `${t2}:`, 'li a2, 10', `${e2}:`]);
  const t3 = p.label('sn'), e3 = p.label('se');
  straddle([`bne a0, a0, ${t3}`], 'untaken bne straddling a page: path', ['li a2, 1', `j ${e3}`, `${t3}:`, 'li a2, 10', `${e3}:`]);
  return p;
}

/** `addi rd, x0, imm` encoded. */
const addiZero = (rd: number, imm: number): number => (((imm & 0xfff) << 20) | (rd << 7) | 0x13) >>> 0;
/** `c.li rd, imm` encoded. */
const cLi = (rd: number, imm: number): number => 0x4001 | (((imm >> 5) & 1) << 12) | (rd << 7) | ((imm & 31) << 2);

/**
 * Code rewritten at run time, then run after fence.i: translated blocks of
 * the patched page must be dropped, including the block doing the patching.
 * The code lives in a writable and executable section.
 */
function selfModifyingGroup(): Program {
  const p = new Program('smc', false);
  p.text(
    '.pushsection .smc, "awx"',
    '.balign 4',
    'smc_fn:', 'addi a2, zero, 1', 'ret',
    'smc_patch_next:', 'lla t0, 1f', 'sw a0, 0(t0)', 'fence.i', '1:', 'addi a2, zero, 1', 'ret',
    'smc_patch_c:', 'lla t0, 2f', 'sh a0, 0(t0)', 'fence.i', '.option push', '.option rvc', '2:', 'c.li a2, 1', '.option pop', 'ret',
    '.popsection',
  );
  p.text('call smc_fn');
  p.save('a2', 'smc_fn before patching');
  // Write the page through the store fast path before it holds translated
  // code, then execute it: the later patches must still reach it.
  p.text('lla t0, smc_patch_c', 'lw t1, 0(t0)', 'sw t1, 0(t0)', 'fence.i');
  for (const imm of [42, -1, 2047, -2048, 7]) {
    p.text('lla t0, smc_fn', `li t1, ${addiZero(12, imm)}`, 'sw t1, 0(t0)', 'fence rw, rw', 'fence.i', 'call smc_fn');
    p.save('a2', `smc_fn after patching to addi a2, zero, ${imm} (sw; fence.i)`);
  }
  for (const imm of [5, -300, 1000]) {
    p.text(`li a0, ${addiZero(12, imm)}`, 'call smc_patch_next');
    p.save('a2', `patch the next instruction to addi a2, zero, ${imm}; fence.i; run it`);
  }
  for (const imm of [9, -32, 31]) {
    p.text(`li a0, ${cLi(12, imm)}`, 'call smc_patch_c');
    p.save('a2', `patch the next instruction to c.li a2, ${imm} (sh); fence.i; run it`);
  }
  return p;
}

describe('riscv64 branches and jumps against qemu-riscv64', () => {
  it('self-modifying code with fence.i', () => {
    runGroup(selfModifyingGroup());
  });
  it('branches, jal, jalr, calls, loops, page-straddling instructions', () => {
    runGroup(controlGroup());
  });
});
