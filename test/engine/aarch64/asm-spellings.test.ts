// The spellings people write rather than objdump's: aliases with every
// operand shape, gas's choices (mov #imm as movz/movn/orr, add #-1 as sub,
// ldr with an unscaled offset as ldur), condition synonyms, named system
// registers and operations, in one generated program checked against gas + ld.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleAarch64 } from '../../../engine/isa/aarch64/asm';
import { barrierOptions, conditionSpellings, prefetchOperations, pstateFields, sysOperations } from '../../../engine/isa/aarch64/asm-names';
import { sysregNames } from '../../../engine/isa/aarch64/sysregs';
import { assertSameImage, gasLink } from './asm-oracle';

const BASE = 0x40080000;

const lines: string[] = ['_start:', 'back:'];
const emit = (...l: string[]): void => {
  lines.push(...l);
};

// Moves.
emit('mov x0, x1', 'mov w0, w1', 'mov sp, x1', 'mov x1, sp', 'mov wsp, w2', 'mov w3, wsp', 'mov x5, xzr', 'MOV X2, X3', 'mov x29, lr', 'mov fp, sp', 'mov ip0, ip1');
const wide64 = [0n, 1n, 0xffffn, 0x10000n, 0xffff0000n, -1n, -2n, 0x5555555555555555n, 0x00ff00ff00ff00ffn, 0xfffffffffffe0000n, 0x123400000000n,
  0xffff1234ffffffffn - 0x10000000000000000n, 0x1234000000000000n, -0x10000n, 0x7fffffffffffffffn, 0x8000000000000000n, 0xfe0ffe0ffe0ffe0fn, 0xffffffffn];
for (const v of wide64) emit(`mov x3, #${v}`);
emit('mov xzr, #0x10000', 'mov xzr, #-1', 'mov wzr, #0xffff0000');
for (const v of [0n, 1n, 0xffffn, 0x10000n, 0xffff0000n, -1n, -2n, 0x55555555n, 0xfffe0000n, 0x80000000n, 0x7fffffffn, -0x80000000n, 0xff00ff00n]) emit(`mov w4, #${v}`);
emit('mov sp, #0x10', 'mov wsp, #0xff00', 'mov x0, 0x20', 'mov x0, #(1 << 20) + 0');
for (const r of ['x', 'w']) for (const hw of r === 'x' ? [0, 16, 32, 48] : [0, 16]) emit(`movz ${r}1, #0x1234, lsl #${hw}`, `movk ${r}2, #0xbeef, lsl #${hw}`, `movn ${r}3, #7, lsl #${hw}`);
emit('movz x1, #0', 'movk x1, #1', 'movn w2, #0xffff');

// Add/subtract, compare and test.
for (const imm of [0, 1, 4095, 4096, 0x1000, 0xfff000, -1, -4095, -4096, 0x555000]) {
  emit(`add x0, x1, #${imm}`, `adds w2, w3, #${imm}`, `sub sp, sp, #${imm}`, `subs x4, x5, #${imm}`, `cmp x6, #${imm}`, `cmn w7, #${imm}`);
}
emit('add x0, x1, #1, lsl #12', 'add x0, x1, #0, lsl #0', 'sub w0, wsp, #3, lsl #12', 'cmp sp, #16', 'cmn wsp, #1');
for (const [d, n, m] of [['x0', 'x1', 'x2'], ['w3', 'w4', 'w5'], ['xzr', 'x6', 'xzr']]) {
  for (const shift of ['', ', lsl #3', ', lsr #1', ', asr #2']) emit(`add ${d}, ${n}, ${m}${shift}`, `subs ${d}, ${n}, ${m}${shift}`, `cmp ${n}, ${m}${shift}`, `cmn ${n}, ${m}${shift}`, `neg ${d}, ${m}${shift}`, `negs ${d}, ${m}${shift}`);
  for (const shift of ['', ', lsl #3', ', ror #4']) emit(`tst ${n}, ${m}${shift}`, `mvn ${d}, ${m}${shift}`, `bic ${d}, ${n}, ${m}${shift}`, `orn ${d}, ${n}, ${m}${shift}`, `eon ${d}, ${n}, ${m}${shift}`);
  emit(`ngc ${d}, ${m}`, `ngcs ${d}, ${m}`, `adc ${d}, ${n}, ${m}`, `sbcs ${d}, ${n}, ${m}`);
}
emit('add x0, sp, x1', 'add sp, x0, x1', 'add x0, sp, w1', 'add x0, sp, w1, uxtw #2', 'add x0, x1, w2, sxtw', 'add x0, x1, w2, uxtb #1', 'sub sp, sp, x2, lsl #3');
emit('add w0, wsp, w1', 'add wsp, w0, w1, lsl #2', 'cmp sp, x1', 'cmp x0, w1, uxtw', 'cmn sp, x3, lsl #4', 'adds x0, sp, x1', 'add x0, x1, x2, sxtx #4', 'add x3, x4, w5, sxth');
for (const imm of ['0xff', '0xfffffffffffffff0', '0x3', '0x5555555555555555', '0x8000000000000000', '0xfffffffe', '0x0f0f0f0f0f0f0f0f', '-2']) {
  emit(`and x0, x1, #${imm}`, `orr sp, x2, #${imm}`, `eor x3, xzr, #${imm}`, `ands x4, x5, #${imm}`, `tst x6, #${imm}`);
}
for (const imm of ['0xff', '0x80000000', '0xfffffffe', '0x0f0f0f0f', '0x3ffc']) emit(`and w0, w1, #${imm}`, `orr wsp, w2, #${imm}`, `tst w3, #${imm}`);

// Shifts, bitfields and extends.
for (const [r, w] of [['x', 64], ['w', 32]] as const) {
  for (const s of [0, 1, 7, w - 1]) emit(`lsl ${r}0, ${r}1, #${s}`, `lsr ${r}2, ${r}3, #${s}`, `asr ${r}4, ${r}5, #${s}`, `ror ${r}6, ${r}7, #${s}`);
  emit(`lsl ${r}0, ${r}1, ${r}2`, `lsr ${r}0, ${r}1, ${r}2`, `asr ${r}0, ${r}1, ${r}2`, `ror ${r}0, ${r}1, ${r}2`);
  for (const [lsb, width] of [[0, 1], [3, 4], [0, w - 1], [w - 1, 1], [8, 16], [1, w - 1]]) {
    emit(`ubfx ${r}0, ${r}1, #${lsb}, #${width}`, `sbfx ${r}2, ${r}3, #${lsb}, #${width}`, `ubfiz ${r}4, ${r}5, #${lsb}, #${width}`, `sbfiz ${r}6, ${r}7, #${lsb}, #${width}`);
    emit(`bfi ${r}8, ${r}9, #${lsb}, #${width}`, `bfxil ${r}10, ${r}11, #${lsb}, #${width}`, `bfc ${r}12, #${lsb}, #${width}`);
  }
  emit(`extr ${r}0, ${r}1, ${r}2, #5`, `sxtb ${r}0, w1`, `sxth ${r}2, w3`);
}
emit('uxtb w0, w1', 'uxth w2, w3', 'sxtw x4, w5', 'ubfm x0, x1, #4, #8', 'sbfm w0, w1, #31, #31', 'bfm x2, x3, #60, #3');

// Conditional selects and compares.
for (const [name] of conditionSpellings) {
  if (name === 'al' || name === 'nv') continue;
  emit(`cset w0, ${name}`, `csetm x1, ${name}`, `cinc x2, x3, ${name}`, `cinv w4, w5, ${name}`, `cneg x6, x7, ${name}`, `csel x0, x1, x2, ${name}`, `ccmp x0, #3, #4, ${name}`, `ccmn w1, w2, #15, ${name}`);
}
emit('csel w0, w1, w2, al', 'csinc x0, x1, x2, nv', 'csneg x0, x1, x1, al');

// Multiplies.
for (const [r, s] of [['x', 'x'], ['w', 'w']]) emit(`mul ${r}0, ${s}1, ${s}2`, `mneg ${r}3, ${s}4, ${s}5`, `madd ${r}0, ${r}1, ${r}2, ${r}3`, `msub ${r}0, ${r}1, ${r}2, ${r}zr`, `udiv ${r}1, ${r}2, ${r}3`, `sdiv ${r}1, ${r}2, ${r}3`);
emit('smull x0, w1, w2', 'umull x3, w4, w5', 'smnegl x0, w1, w2', 'umnegl x0, w1, w2', 'smaddl x0, w1, w2, x3', 'umsubl x0, w1, w2, xzr', 'smulh x0, x1, x2', 'umulh x0, x1, x2');

// Hints, barriers and exceptions.
emit('nop', 'yield', 'wfe', 'wfi', 'sev', 'sevl', 'hint #0x22', 'hint #127', 'isb', 'isb sy', 'isb #3', 'clrex', 'clrex #5', 'esb', 'ssbb', 'pssbb', 'bti', 'bti c', 'bti j', 'bti jc', 'psb csync');
for (const [name] of barrierOptions) emit(`dmb ${name}`, `dsb ${name}`);
emit('dmb #0', 'dsb #12', 'DMB ISH');
for (const m of ['svc', 'hvc', 'smc', 'brk', 'hlt']) emit(`${m} #0`, `${m} #0xffff`, `${m} 0x4d`);
emit('udf #0', 'udf #65535', 'eret');

// System registers and operations.
for (const [, name] of sysregNames) emit(`mrs x1, ${name}`);
for (const name of ['sctlr_el1', 'vbar_el2', 'hcr_el2', 'vttbr_el2', 'daif', 'nzcv', 'cntv_ctl_el0', 'icc_sgi1r_el1', 'spsel', 'SCTLR_EL1']) emit(`msr ${name}, x2`);
emit('mrs x0, s3_0_c15_c2_0', 'msr s3_4_c15_c0_1, x3', 'mrs x0, s2_0_c0_c0_4');
for (const [name] of pstateFields) emit(`msr ${name}, #${name.startsWith('daif') ? 15 : 1}`, `msr ${name}, #0`);
emit('msr daifset, #2', 'msr daifclr, #0xf', 'msr spsel, #1');
for (const [name, op] of sysOperations) emit(op.reg ? `${name}, x3` : name);
emit('sys #0, c7, c5, #0', 'sys #3, c7, c11, #1, x0', 'sysl x0, #1, c2, c3, #4');
for (const [name] of prefetchOperations) emit(`prfm ${name}, [x0, #8]`);
emit('prfm #0x1f, [x1]', 'prfm pldl1keep, back', 'prfum pstl2strm, [x1, #-3]', 'prfm pldl3keep, [x2, x3, lsl #3]');

// Loads and stores, every addressing mode.
for (const [op, reg, size] of [['ldr', 'x', 8], ['str', 'w', 4], ['ldrb', 'w', 1], ['strh', 'w', 2], ['ldrsw', 'x', 4], ['ldrsb', 'x', 1], ['ldrsh', 'w', 2], ['ldr', 'q', 16], ['str', 'd', 8], ['ldr', 's', 4], ['str', 'h', 2], ['ldr', 'b', 1]] as const) {
  for (const off of [0, size, size * 4095, 1, -1, -256, 255, 3]) emit(`${op} ${reg}1, [x2, #${off}]`);
  emit(`${op} ${reg}1, [sp]`, `${op} ${reg}1, [x2], #-256`, `${op} ${reg}1, [x2, #255]!`, `${op} ${reg}1, [x2], #8`, `${op} ${reg}1, [sp, #-16]!`);
  const scale = Math.log2(size);
  emit(`${op} ${reg}1, [x2, x3]`, `${op} ${reg}1, [x2, x3, lsl #${scale}]`, `${op} ${reg}1, [x2, w3, uxtw]`, `${op} ${reg}1, [x2, w3, sxtw #${scale}]`, `${op} ${reg}1, [x2, x3, sxtx]`, `${op} ${reg}1, [x2, w3, uxtw #0]`);
}
emit('ldur x0, [x1, #-8]', 'stur w0, [sp, #3]', 'ldurb w0, [x1]', 'ldursw x0, [x1, #255]');
emit('ldtr x0, [x1]', 'ldtr w0, [sp, #-256]', 'ldtrb w0, [x1, #255]', 'ldtrh w2, [x3, #-1]', 'ldtrsb x0, [x1]', 'ldtrsb w0, [x1, #1]', 'ldtrsh x0, [x1, #2]', 'ldtrsh w0, [x1]', 'ldtrsw x0, [x1, #4]', 'sttr x0, [x1]', 'sttr wzr, [x1, #8]', 'sttrb w0, [sp]', 'sttrh w0, [x1, #-2]');
for (const [reg, size] of [['x', 8], ['w', 4], ['d', 8], ['q', 16], ['s', 4]] as const) {
  emit(`stp ${reg}29, ${reg}30, [sp, #-${size * 2}]!`, `ldp ${reg}29, ${reg}30, [sp], #${size * 2}`, `ldp ${reg}0, ${reg}1, [x2]`, `stp ${reg}0, ${reg}1, [x2, #${size * 63}]`, `ldnp ${reg}3, ${reg}4, [x5, #-${size * 64}]`, `stnp ${reg}3, ${reg}4, [x5]`);
}
emit('ldpsw x0, x1, [x2, #8]', 'ldpsw x0, x1, [sp], #-256', 'ldxr x0, [x1]', 'stxr w2, x0, [x1]', 'ldaxr w0, [sp]', 'stlxr w3, w4, [x5]', 'ldar x0, [x1]', 'stlr w0, [x1]', 'ldxp x0, x1, [x2]', 'stxp w3, x0, x1, [x2]', 'ldaxrb w0, [x1]', 'stlrh w0, [x1]');
emit('ldadd x0, x1, [x2]', 'ldaddal w0, w1, [sp]', 'stadd x0, [x1]', 'staddl w0, [x1]', 'stclrb w0, [x1]', 'swpal x0, x1, [x2]', 'casal x0, x1, [x2]', 'casb w0, w1, [x2]', 'ldsetlh w0, w1, [x2]', 'stumaxb w3, [x4]');
emit('casp x0, x1, x2, x3, [x4]', 'caspa w4, w5, w6, w7, [sp]', 'caspl x30, xzr, x28, x29, [x0]', 'caspal w2, w3, w30, wzr, [x1]');

// Branches, both directions, and pc-relative addresses.
for (const [name] of conditionSpellings) emit(`b.${name} back`, `b.${name} fwd`);
emit('b back', 'bl fwd', 'cbz x0, back', 'cbnz w1, fwd', 'tbz x2, #63, back', 'tbnz w3, #31, fwd', 'tbz x4, #3, fwd', 'br x5', 'blr x6', 'ret', 'ret x7', 'RET');
emit('adr x0, back', 'adr x1, fwd + 3', 'adrp x2, fwd', 'adrp x3, back', 'ldr x4, fwd', 'ldr w5, back', 'ldrsw x6, fwd', 'ldr q7, fwd', 'b .', 'b .+8', 'cbz x0, .-4');
emit('fwd:', 'nop');
// Floating-point constants as gas reads them.
emit('fmov v0.4s, #1.0', 'fmov v1.2d, #-2.5', 'fmov v2.2s, #0.125', 'fmov x0, v1.d[1]', 'fmov v2.d[1], x3', 'fcmeq v0.4s, v1.4s, #0', 'fcmle d0, d1, #0.0', 'fcmlt v3.2d, v4.2d, #0.0');
emit('scvtf v0.4s, v1.4s, #3', 'fcvtzu d0, d1, #64', 'ucvtf s2, s3, #32', 'fmla v0.4s, v1.4s, v2.s[3]', 'fmul d0, d1, v2.d[1]', 'fmulx v0.2d, v1.2d, v31.d[0]', 'faddp s0, v1.2s', 'fmaxnmv s0, v1.4s', 'fcvtl2 v0.2d, v1.4s', 'fcvtxn s0, d1');
emit('fmov d0, #1.0', 'fmov s1, #-0.125', 'fmov d2, #31', 'fmov s3, #2.5e0', 'fmov d4, 0.1875', 'fmov s5, #+3.0', 'FMOV D6, #-1.25E1', 'fmov d9, #1.0e+1', 'fmov s7, #0.25');
// Vectors the table has rows for.
emit('mov v0.16b, v1.16b', 'orr v2.8b, v3.8b, v4.8b', 'dup v0.4s, w1', 'dup v1.2d, x2', 'dup v2.16b, w3', 'movi v0.2d, #0', 'movi d1, #0xff00ff00ff00ff00', 'movi v2.16b, #0x80', 'movi v3.4h, #0x12, lsl #8', 'movi v4.4s, #0x34, lsl #24', 'movi v5.2s, #0x56, msl #16');
// Advanced SIMD integer spellings objdump does not print: the instructions under their aliases,
// register lists as ranges or comma lists, immediates without #, either case.
emit('ins v0.s[1], w2', 'ins v1.d[0], x3', 'ins v2.b[15], v3.b[0]', 'umov w0, v1.s[3]', 'umov x1, v2.d[1]', 'mov w4, v5.s[0]', 'mov x6, v7.d[1]', 'smov x0, v1.h[7]');
emit('dup s0, v1.s[2]', 'mov h1, v2.h[3]', 'not v0.16b, v1.16b', 'mvn v2.8b, v3.8b', 'sshll v0.8h, v1.8b, #0', 'uxtl2 v2.4s, v3.8h', 'sxtl v4.2d, v5.2s', 'ushll2 v6.2d, v7.4s, #31');
emit('cmeq v0.4s, v1.4s, #0', 'cmge v2.8h, v3.8h, 0', 'cmlt d4, d5, #0', 'shll2 v0.4s, v1.8h, #16', 'ext v0.16b, v1.16b, v2.16b, 15', 'sshr d0, d1, 64', 'shl v3.2d, v4.2d, #63');
emit('ld1 {v0.16b, v1.16b, v2.16b}, [x0]', 'ld1 {v30.4s, v31.4s, v0.4s, v1.4s}, [sp], #64', 'st1 {v31.2d, v0.2d}, [x1], x2', 'ld4 {v0.b-v3.b}[15], [x3], #4', 'st2 {v4.d, v5.d}[1], [x4]', 'ld3r {v6.8h, v7.8h, v8.8h}, [x5], x6');
emit('tbl v0.16b, {v1.16b, v2.16b, v3.16b}, v4.16b', 'tbx v5.8b, {v31.16b, v0.16b}, v6.8b', 'movi v0.4s, #0xff, msl #8', 'mvni v1.8h, #0x80, lsl #8', 'orr v2.4s, #0x1, lsl #16', 'bic v3.4h, #0xff');
emit('MOVI V4.2D, #0xFFFFFFFF00000000', 'ADD V0.4S, V1.4S, V2.4S', 'addv b0, v1.16b', 'uaddlv d1, v2.4s', 'smull2 v0.2d, v1.4s, v2.s[3]', 'mla v3.8h, v4.8h, v15.h[7]', 'pmull v0.1q, v1.1d, v2.1d');
emit('aese v0.16b, v1.16b', 'aesimc v2.16b, v3.16b', 'sha1c q0, s1, v2.4s', 'sha1h s3, s4', 'sha256h2 q5, q6, v7.4s', 'sha256su0 v8.4s, v9.4s');

const source = `${lines.join('\n')}\n`;

test('the generated program has thousands of lines', () => assert.ok(lines.length > 1500, `${lines.length} lines`));

test('gas spellings assemble as gas + ld assemble them', () => {
  const result = assembleAarch64(source, { fileName: 'spellings.S', base: BASE });
  const gas = gasLink([{ source, base: BASE }])[0]!;
  assert.ok(gas.image, gas.stderr);
  const problems = result.errors.slice(0, 40).map((e) => `  line ${e.line}: ${lines[e.line - 1]}: ${e.message}`);
  assert.equal(result.errors.length, 0, `${result.errors.length} lines fail:\n${problems.join('\n')}`);
  assertSameImage('spellings', source, result.program!, gas.image);
});
