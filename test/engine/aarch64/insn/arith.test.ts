// Integer arithmetic against qemu-aarch64: add/sub in every operand form with
// flags, carries, conditional compare and select, logical immediates,
// bitfields, multiply and divide, shifts and the one-source operations.

import { test } from 'node:test';
import { CORNERS, Lcg, Program, runGroup } from './oracle';

const operands = (seed: bigint, n: number): bigint[] => {
  const rng = new Lcg(seed);
  return [...CORNERS, ...Array.from({ length: n }, () => rng.shaped())];
};

/** Pairs from corner values and LCG values. */
function pairs(seed: bigint, n: number): [bigint, bigint][] {
  const vals = operands(seed, 6);
  const rng = new Lcg(seed * 7n + 1n);
  const out: [bigint, bigint][] = [];
  for (let i = 0; i < n; i++) out.push([vals[Number(rng.next() % BigInt(vals.length))]!, vals[Number(rng.next() % BigInt(vals.length))]!]);
  return out;
}

test('add/sub with flags: shifted register, immediate, carry (w and x)', () => {
  const p = new Program('addsub');
  const ops = ['add', 'adds', 'sub', 'subs'];
  for (const [a, b] of pairs(1n, 40)) {
    p.li('x1', a);
    p.li('x2', b);
    for (const op of ops) {
      for (const r of ['x', 'w']) {
        p.text(`${op} ${r}3, ${r}1, ${r}2`);
        p.save('x3', `${op} ${r} ${a} ${b}`);
        if (op.endsWith('s')) p.saveFlags(`${op} ${r}`);
      }
    }
    p.text('cmp x1, x2', 'adcs x3, x1, x2');
    p.save('x3', 'adcs x');
    p.saveFlags('adcs x');
    p.text('cmn w1, w2', 'sbcs w3, w1, w2');
    p.save('x3', 'sbcs w');
    p.saveFlags('sbcs w');
    p.text('subs xzr, x2, x1', 'adc x3, x1, x2', 'sbc w4, w1, w2');
    p.save('x3', 'adc');
    p.save('x4', 'sbc w');
  }
  for (const [a, b] of pairs(2n, 12)) {
    p.li('x1', a);
    p.li('x2', b);
    for (const sh of ['lsl #1', 'lsl #31', 'lsr #7', 'asr #63', 'asr #32', 'lsl #32', 'lsr #63']) {
      p.text(`adds x3, x1, x2, ${sh}`);
      p.save('x3', `adds x ${sh}`);
      p.saveFlags(`adds x ${sh}`);
    }
    for (const sh of ['lsl #1', 'lsr #31', 'asr #5', 'asr #31']) {
      p.text(`subs w3, w1, w2, ${sh}`);
      p.save('x3', `subs w ${sh}`);
      p.saveFlags(`subs w ${sh}`);
    }
    for (const imm of ['#0', '#1', '#4095', '#1, lsl #12', '#0xfff, lsl #12']) {
      p.text(`adds x3, x1, ${imm}`, `subs w4, w1, ${imm}`);
      p.save('x3', `adds x imm ${imm}`);
      p.save('x4', `subs w imm ${imm}`);
      p.saveFlags(`subs w imm ${imm}`);
    }
  }
  runGroup(p);
});

test('extended-register add/sub (uxtb..sxtx, shifts, sp operands)', () => {
  const p = new Program('extend');
  const exts = ['uxtb', 'uxth', 'uxtw', 'uxtx', 'sxtb', 'sxth', 'sxtw', 'sxtx'];
  for (const [a, b] of pairs(3n, 10)) {
    p.li('x1', a);
    p.li('x2', b);
    for (const e of exts) {
      for (const amt of [0, 2, 4]) {
        const src = e.endsWith('x') ? 'x2' : 'w2';
        p.text(`adds x3, x1, ${src}, ${e} #${amt}`, `sub x4, x1, ${src}, ${e} #${amt}`);
        p.save('x3', `adds ${e} #${amt}`);
        p.saveFlags(`adds ${e} #${amt}`);
        p.save('x4', `sub ${e} #${amt}`);
      }
      if (!e.endsWith('x')) {
        p.text(`subs w3, w1, w2, ${e} #1`);
        p.save('x3', `subs w ${e}`);
        p.saveFlags(`subs w ${e}`);
      }
    }
  }
  // SP as base and destination of extended and immediate forms.
  p.text('mov x9, sp', 'mov x1, #0x40', 'add sp, sp, x1, uxtx #2', 'mov x3, sp', 'sub x3, x3, x9', 'mov sp, x9');
  p.save('x3', 'add sp, sp, x1, uxtx #2');
  p.text('sub sp, sp, #32', 'add x3, sp, #16', 'sub x3, x3, x9', 'add sp, sp, #32');
  p.save('x3', 'sub sp / add from sp');
  runGroup(p);
});

test('conditional compare and select on every condition', () => {
  const p = new Program('ccmp');
  const conds = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];
  for (const [a, b] of pairs(4n, 10)) {
    p.li('x1', a);
    p.li('x2', b);
    for (const c of conds) {
      p.text('cmp x1, x2', `ccmp x1, x2, #5, ${c}`);
      p.saveFlags(`ccmp ${c}`);
      p.text('cmp w1, w2', `ccmn w1, #7, #10, ${c}`);
      p.saveFlags(`ccmn imm ${c}`);
      p.text('cmp x2, x1', `csel x3, x1, x2, ${c}`, `csinc w4, w1, w2, ${c}`, `csinv x5, x1, x2, ${c}`, `csneg w6, w1, w2, ${c}`, `csneg x7, x1, x2, ${c}`);
      p.save('x3', `csel ${c}`);
      p.save('x4', `csinc w ${c}`);
      p.save('x5', `csinv ${c}`);
      p.save('x6', `csneg w ${c}`);
      p.save('x7', `csneg x ${c}`);
      if (c !== 'al' && c !== 'nv') {
        p.text(`cset x8, ${c}`, `csetm w9, ${c}`);
        p.save('x8', `cset ${c}`);
        p.save('x9', `csetm ${c}`);
      }
    }
  }
  runGroup(p);
});

test('logical: bitmask immediates and shifted registers', () => {
  const p = new Program('logical');
  const immsX = ['0x1', '0xff', '0xaaaaaaaaaaaaaaaa', '0x5555555555555555', '0xfffffffffffffffe', '0x7fffffffffffffff', '0x0f0f0f0f0f0f0f0f', '0x00ff00ff00ff00ff', '0xffffffff00000000', '0x8000000000000001', '0x3ffc', '0xc000000000000003'];
  const immsW = ['0x1', '0xff', '0xaaaaaaaa', '0x7ffffffe', '0xf000000f', '0x0000ff00', '0x80000000'];
  for (const a of operands(5n, 6)) {
    p.li('x1', a);
    for (const imm of immsX) {
      p.text(`and x3, x1, #${imm}`, `orr x4, x1, #${imm}`, `eor x5, x1, #${imm}`, `ands x6, x1, #${imm}`);
      p.save('x3', `and #${imm}`);
      p.save('x4', `orr #${imm}`);
      p.save('x5', `eor #${imm}`);
      p.save('x6', `ands #${imm}`);
      p.saveFlags(`ands #${imm}`);
    }
    for (const imm of immsW) {
      p.text(`and w3, w1, #${imm}`, `orr w4, w1, #${imm}`, `eor w5, w1, #${imm}`, `ands w6, w1, #${imm}`);
      p.save('x3', `and w #${imm}`);
      p.save('x4', `orr w #${imm}`);
      p.save('x5', `eor w #${imm}`);
      p.save('x6', `ands w #${imm}`);
      p.saveFlags(`ands w #${imm}`);
    }
  }
  for (const [a, b] of pairs(6n, 10)) {
    p.li('x1', a);
    p.li('x2', b);
    for (const op of ['and', 'bic', 'orr', 'orn', 'eor', 'eon', 'ands', 'bics']) {
      for (const sh of ['', ', lsl #3', ', lsr #17', ', asr #40', ', ror #13', ', ror #32', ', ror #63']) {
        p.text(`${op} x3, x1, x2${sh}`);
        p.save('x3', `${op} x${sh}`);
      }
      p.text(`${op} w3, w1, w2, ror #7`);
      p.save('x3', `${op} w ror 7`);
      if (op.endsWith('s')) p.saveFlags(op);
    }
  }
  runGroup(p);
});

test('moves, bitfields and extract', () => {
  const p = new Program('bitfield');
  p.text('movz x1, #0x1234, lsl #48', 'movk x1, #0xabcd, lsl #16', 'movn x2, #0x55, lsl #32', 'movn w3, #0x1', 'movz w4, #0xffff, lsl #16', 'movk w4, #0x8001');
  p.save('x1', 'movz/movk');
  p.save('x2', 'movn x');
  p.save('x3', 'movn w');
  p.save('x4', 'movz/movk w');
  for (const a of operands(7n, 8)) {
    p.li('x1', a);
    p.li('x2', 0x5a5a5a5a5a5a5a5an);
    const forms = [
      'sbfx x3, x1, #3, #17', 'ubfx x3, x1, #60, #4', 'sbfiz x3, x1, #40, #20', 'ubfiz x3, x1, #8, #56', 'sxtb x3, w1', 'sxth x3, w1', 'sxtw x3, w1',
      'uxtb w3, w1', 'uxth w3, w1', 'lsl x3, x1, #13', 'lsr x3, x1, #33', 'asr x3, x1, #63', 'ror x3, x1, #21',
      'sbfx w3, w1, #5, #11', 'ubfx w3, w1, #31, #1', 'lsl w3, w1, #31', 'asr w3, w1, #9', 'ror w3, w1, #5',
      'sbfm x3, x1, #50, #10', 'ubfm x3, x1, #10, #50', 'sbfm w3, w1, #20, #3', 'ubfm w3, w1, #3, #20',
      'extr x3, x1, x2, #0', 'extr x3, x1, x2, #1', 'extr x3, x1, x2, #37', 'extr x3, x2, x1, #63', 'extr w3, w1, w2, #0', 'extr w3, w1, w2, #17',
    ];
    for (const f of forms) {
      p.text(f);
      p.save('x3', f);
    }
    for (const f of ['bfi x3, x1, #12, #20', 'bfxil x3, x1, #40, #24', 'bfm x3, x1, #50, #10', 'bfi w3, w1, #3, #9', 'bfxil w3, w1, #20, #12', 'bfm x3, xzr, #59, #39']) {
      p.text('mov x3, x2', f);
      p.save('x3', f);
    }
  }
  runGroup(p);
});

test('multiply, divide (zero and overflow), shifts by register, clz/cls/rbit/rev', () => {
  const p = new Program('muldiv');
  for (const [a, b] of pairs(8n, 36)) {
    p.li('x1', a);
    p.li('x2', b);
    p.li('x5', 0x1111222233334444n);
    const forms = [
      'mul x3, x1, x2', 'mul w3, w1, w2', 'madd x3, x1, x2, x5', 'msub x3, x1, x2, x5', 'madd w3, w1, w2, w5', 'msub w3, w1, w2, w5',
      'smull x3, w1, w2', 'umull x3, w1, w2', 'smaddl x3, w1, w2, x5', 'umsubl x3, w1, w2, x5', 'smsubl x3, w1, w2, x5', 'umaddl x3, w1, w2, x5',
      'smulh x3, x1, x2', 'umulh x3, x1, x2',
      'udiv x3, x1, x2', 'sdiv x3, x1, x2', 'udiv w3, w1, w2', 'sdiv w3, w1, w2',
      'lsl x3, x1, x2', 'lsr x3, x1, x2', 'asr x3, x1, x2', 'ror x3, x1, x2', 'lsl w3, w1, w2', 'lsr w3, w1, w2', 'asr w3, w1, w2', 'ror w3, w1, w2',
    ];
    for (const f of forms) {
      p.text(f);
      p.save('x3', f);
    }
  }
  for (const [a, b] of [[-(1n << 63n), -1n], [-(1n << 31n), -1n], [5n, 0n], [-7n, 0n], [0n, 0n]] as const) {
    p.li('x1', a);
    p.li('x2', b);
    for (const f of ['udiv x3, x1, x2', 'sdiv x3, x1, x2', 'udiv w3, w1, w2', 'sdiv w3, w1, w2']) {
      p.text(f);
      p.save('x3', `${f} (${a}/${b})`);
    }
  }
  for (const a of operands(9n, 10)) {
    p.li('x1', a);
    for (const f of ['clz x3, x1', 'cls x3, x1', 'rbit x3, x1', 'rev x3, x1', 'rev16 x3, x1', 'rev32 x3, x1', 'clz w3, w1', 'cls w3, w1', 'rbit w3, w1', 'rev w3, w1', 'rev16 w3, w1']) {
      p.text(f);
      p.save('x3', f);
    }
  }
  runGroup(p);
});
