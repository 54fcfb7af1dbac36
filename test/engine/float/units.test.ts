// The parts of the library no oracle reaches directly: the environment's
// FPCR/FPSR mapping, Arm's NZCV for comparison results, and a few exact
// values that pin the operand order of NaN propagation.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ARM_POLICY, CMP_EQUAL, CMP_GREATER, CMP_LESS, CMP_UNORDERED, FLAG_INEXACT, FLAG_INPUT_DENORMAL, FLAG_INVALID, FLAG_UNDERFLOW,
  FloatEnv, RDN, RISCV_POLICY, RMM, RNE, RTZ, RUP, armNzcv, f32Add, f32MulAdd, f64Add, f64ToF32, ROD, flagsFromFpsr, fpsrFromFlags, setArmFpcr,
} from '../../../engine/isa/float';

test('FPCR switches and the FPSR cumulative bits', () => {
  const env = new FloatEnv(ARM_POLICY);
  setArmFpcr(env, (1 << 26) | (1 << 25) | (1 << 24) | (2 << 22) | (1 << 19));
  assert.deepEqual([env.ahp, env.dn, env.fz, env.rm, env.fz16], [true, true, true, RDN, true]);
  setArmFpcr(env, 1 << 22);
  assert.deepEqual([env.ahp, env.dn, env.fz, env.rm, env.fz16], [false, false, false, RUP, false]);
  setArmFpcr(env, 3 << 22);
  assert.equal(env.rm, RTZ);
  for (let fpsr = 0; fpsr < 256; fpsr++) {
    const cumulative = fpsr & 0x9f;
    assert.equal(fpsrFromFlags(flagsFromFpsr(fpsr)), cumulative);
  }
  assert.equal(fpsrFromFlags(FLAG_INPUT_DENORMAL | FLAG_INVALID), 0x81);
});

test('NZCV of comparison results', () => {
  assert.deepEqual(([CMP_LESS, CMP_EQUAL, CMP_GREATER, CMP_UNORDERED] as const).map((r) => armNzcv(r)), [0b1000, 0b0110, 0b0010, 0b0011]);
});

test('NaN propagation order and policy', () => {
  const arm = new FloatEnv(ARM_POLICY);
  // First signalling NaN, quieted, wins over an earlier quiet one.
  assert.equal(f32Add(arm, 0x7fc00001, 0xff800002, RNE), 0xffc00002);
  assert.equal(arm.flags, FLAG_INVALID);
  // The addend comes first in a fused multiply-add.
  assert.equal(f32MulAdd(arm, 0x7fc00001, 0x7fc00002, 0x7fc00003, RNE), 0x7fc00003);
  // Infinity times zero with a quiet NaN addend is invalid and gives the default NaN; a signalling addend propagates.
  arm.flags = 0;
  assert.equal(f32MulAdd(arm, 0x7f800000, 0, 0x7fc00003, RNE), 0x7fc00000);
  assert.equal(arm.flags, FLAG_INVALID);
  assert.equal(f32MulAdd(arm, 0x7f800000, 0, 0x7f800003, RNE), 0x7fc00003);
  arm.dn = true;
  assert.equal(f32Add(arm, 0x7fc00001, 0, RNE), 0x7fc00000);
  const rv = new FloatEnv(RISCV_POLICY);
  assert.equal(f64Add(rv, 1, 0x7ff80000, 0, 0, RNE), 0);
  assert.equal(rv.hi, 0x7ff80000);
  assert.equal(rv.flags, 0);
});

test('round to odd, and the tininess rules of the two policies', () => {
  const env = new FloatEnv(ARM_POLICY);
  // 1 + 2^-40 narrows to 1 with the last bit set.
  assert.equal(f64ToF32(env, 0x00001000, 0x3ff00000, ROD), 0x3f800001);
  assert.equal(env.flags, FLAG_INEXACT);
  // Just under 2^-126, rounding up to it: tiny before rounding (Arm) but not after (RISC-V).
  const lo = 0xf0000000 | 0, hi = 0x380fffff;
  const arm = new FloatEnv(ARM_POLICY), rv = new FloatEnv(RISCV_POLICY);
  assert.equal(f64ToF32(arm, lo, hi, RNE), 0x00800000);
  assert.equal(f64ToF32(rv, lo, hi, RNE), 0x00800000);
  assert.equal(arm.flags, FLAG_INEXACT | FLAG_UNDERFLOW);
  assert.equal(rv.flags, FLAG_INEXACT);
  assert.equal(f64ToF32(new FloatEnv(RISCV_POLICY), lo, hi, RMM), 0x00800000);
});
