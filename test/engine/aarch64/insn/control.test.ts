// Branches against qemu-aarch64: b.cond on every condition after compares of
// corner values, cbz/cbnz, tbz/tbnz on low and high bits, bl/blr/ret/br,
// backward loops (translated blocks that loop on themselves), adr/adrp.

import { test } from 'node:test';
import { CORNERS, Program, runGroup } from './oracle';

const CONDS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al'];

test('conditional branches, compare-and-branch, test-and-branch', () => {
  const p = new Program('branch');
  const vals = [0n, 1n, -1n, -(1n << 63n), (1n << 63n) - 1n, 0x80000000n, 0xffffffffn];
  for (const a of vals) {
    for (const b of [0n, 1n, -1n, (1n << 63n) - 1n]) {
      p.li('x1', a);
      p.li('x2', b);
      p.text('mov x3, #0');
      for (const [i, c] of CONDS.entries()) {
        const skip = p.label('c');
        p.text('cmp x1, x2', `b.${c} ${skip}`, `orr x3, x3, #${1n << BigInt(i)}`, `${skip}:`);
      }
      p.save('x3', `b.cond bits ${a} ${b}`);
      p.text('mov x3, #0');
      for (const [i, c] of CONDS.entries()) {
        const skip = p.label('w');
        p.text('cmn w1, w2', `b.${c} ${skip}`, `orr x3, x3, #${1n << BigInt(i)}`, `${skip}:`);
      }
      p.save('x3', `b.cond w bits ${a} ${b}`);
    }
  }
  for (const a of CORNERS) {
    p.li('x1', a);
    p.text('mov x3, #0');
    const forms = ['cbz x1', 'cbnz x1', 'cbz w1', 'cbnz w1', 'tbz x1, #0', 'tbnz x1, #0', 'tbz w1, #31', 'tbnz x1, #31', 'tbz x1, #32', 'tbnz x1, #63', 'tbz x1, #47'];
    forms.forEach((f, i) => {
      const skip = p.label('t');
      p.text(`${f}, ${skip}`, `orr x3, x3, #${1n << BigInt(i)}`, `${skip}:`);
    });
    p.save('x3', `cb/tb bits ${a}`);
  }
  runGroup(p);
});

test('calls, returns, indirect branches, loops, adr/adrp', () => {
  const p = new Program('calls');
  const fn = p.symbol('fn');
  const over = p.label('over');
  p.text(`b ${over}`, `${fn}:`, 'add x0, x0, #1', 'ret', `${over}:`);
  p.text('mov x0, #10', `bl ${fn}`, `bl ${fn}`);
  p.save('x0', 'bl twice');
  p.text(`adr x9, ${fn}`, 'blr x9', 'mov x8, x30');
  p.save('x0', 'blr');
  p.save('x8', 'blr link', { rel: fn });
  const target = p.symbol('target');
  p.text(`adr x9, ${target}`, 'mov x0, #0', 'br x9', 'mov x0, #99', `${target}:`, 'add x0, x0, #5');
  p.save('x0', 'br');
  // A counted loop of 1000 iterations, and nested loops.
  const loop = p.label('loop');
  p.text('mov x1, #1000', 'mov x2, #0', `${loop}:`, 'add x2, x2, x1', 'subs x1, x1, #1', `b.ne ${loop}`);
  p.save('x2', 'sum loop');
  const outer = p.label('outer');
  const inner = p.label('inner');
  p.text('mov x1, #37', 'mov x3, #0', `${outer}:`, 'mov x2, #13', `${inner}:`, 'eor x3, x3, x2, lsl #3', 'add x3, x3, x1', 'sub x2, x2, #1', `cbnz x2, ${inner}`, 'subs x1, x1, #1', `b.gt ${outer}`);
  p.save('x3', 'nested loops');
  const sym = p.symbol('here');
  p.text(`${sym}:`, `adr x4, ${sym}`, `adrp x5, ${sym}`, `adr x6, .+0x1000`);
  p.save('x4', 'adr', { rel: sym });
  p.text(`adrp x7, ${sym}`, `add x7, x7, :lo12:${sym}`);
  p.save('x7', 'adrp+add', { rel: sym });
  p.text('and x5, x5, #0xfff');
  p.save('x5', 'adrp low bits');
  runGroup(p);
});
