// Exclusives, acquire/release and the ARMv8.1 atomics against qemu-aarch64:
// results, memory afterwards, and STXR status (success; failure after an
// intervening store of a different value, after CLREX, without a LDXR).

import { test } from 'node:test';
import { Lcg, Program, runGroup } from './oracle';

function withWords(p: Program): void {
  p.data('  .balign 64', 'cell:', '  .quad 0x8000000000000081, 0x7fffffff80000001', '  .space 48');
}

const SIZES = [['b', 'w', 1], ['h', 'w', 2], ['', 'w', 4], ['', 'x', 8]] as const;

test('exclusives: ldxr/stxr, ldaxr/stlxr, ldxp/stxp, status and memory', () => {
  const p = new Program('exclusive');
  withWords(p);
  p.text('adr x10, cell');
  p.li('x5', 0x1122334455667788n);
  p.li('x6', 0x99aabbccddeeff00n);
  for (const [sfx, r] of SIZES) {
    for (const [ld, st] of [['ldxr', 'stxr'], ['ldaxr', 'stlxr']]) {
      p.text(`${ld}${sfx} ${r}3, [x10]`, `${st}${sfx} w4, ${r}5, [x10]`, 'ldr x7, [x10]');
      p.save('x3', `${ld}${sfx} ${r}`);
      p.save('x4', `${st}${sfx} status (success)`);
      p.save('x7', `${st}${sfx} memory`);
      // An intervening store of a different value breaks the reservation (and QEMU's value check).
      p.text(`${ld}${sfx} ${r}3, [x10]`, 'str x6, [x10]', `${st}${sfx} w4, ${r}5, [x10]`, 'ldr x7, [x10]');
      p.save('x4', `${st}${sfx} status after a store`);
      p.save('x7', `${st}${sfx} memory after a failed store`);
      p.text(`${ld}${sfx} ${r}3, [x10]`, 'clrex', `${st}${sfx} w4, ${r}5, [x10]`);
      p.save('x4', `${st}${sfx} status after clrex`);
    }
  }
  for (const [r, size] of [['w', 4], ['x', 8]] as const) {
    p.text('str x5, [x10]', 'str x6, [x10, #8]', `ldxp ${r}3, ${r}4, [x10]`, `stxp w7, ${r}6, ${r}5, [x10]`, 'ldp x8, x9, [x10]');
    p.save('x3', `ldxp ${r} first`);
    p.save('x4', `ldxp ${r} second`);
    p.save('x7', `stxp ${r} status`);
    p.save('x8', `stxp ${r} memory 0`);
    p.save('x9', `stxp ${r} memory 1 (${size})`);
    p.text(`ldaxp ${r}3, ${r}4, [x10]`, `stlxp w7, ${r}5, ${r}5, [x10]`, 'ldp x8, x9, [x10]');
    p.save('x7', `stlxp ${r} status`);
    p.save('x8', `stlxp ${r} memory 0`);
    p.save('x9', `stlxp ${r} memory 1`);
  }
  // A retry loop, as spinlocks write it.
  const retry = p.label('retry');
  p.text('str xzr, [x10]', `${retry}:`, 'ldaxr x3, [x10]', 'add x3, x3, #3', 'stlxr w4, x3, [x10]', `cbnz w4, ${retry}`, 'ldr x7, [x10]');
  p.save('x7', 'ldaxr/stlxr retry loop');
  p.text('mov x3, #0x5a', 'stlr x3, [x10]', 'ldar x7, [x10]', 'add x11, x10, #9', 'add x12, x10, #8', 'add x13, x10, #12');
  p.text('stlrb w3, [x11]', 'ldarh w8, [x12]', 'stlrh w6, [x13]', 'ldar w9, [x13]');
  p.save('x7', 'stlr/ldar x');
  p.save('x8', 'stlrb/ldarh');
  p.save('x9', 'stlrh/ldar w');
  runGroup(p);
});

test('LSE atomics: every operation, size and ordering; cas success and failure', () => {
  const p = new Program('lse');
  withWords(p);
  p.text('adr x10, cell');
  const rng = new Lcg(11n);
  const ops = ['ldadd', 'ldclr', 'ldeor', 'ldset', 'ldsmax', 'ldsmin', 'ldumax', 'ldumin', 'swp'];
  const orders = ['', 'a', 'l', 'al'];
  for (const op of ops) {
    for (const [sfx, r] of SIZES) {
      for (const order of orders) {
        p.li('x5', rng.shaped());
        p.li('x6', rng.next());
        p.text('str x6, [x10]', `${op}${order}${sfx} ${r}5, ${r}3, [x10]`, 'ldr x7, [x10]');
        p.save('x3', `${op}${order}${sfx} ${r} old`);
        p.save('x7', `${op}${order}${sfx} ${r} memory`);
      }
    }
  }
  // The ST<op> aliases (Rt = XZR) and atomics with SP-free bases at an offset word.
  p.text('add x11, x10, #16', 'str x6, [x11]', 'stadd x5, [x11]', 'stsetl w5, [x11]', 'ldr x7, [x11]');
  p.save('x7', 'stadd/stsetl memory');
  for (const [sfx, r] of SIZES) {
    for (const order of orders) {
      const v = rng.next();
      p.li('x6', v);
      p.li('x5', rng.next());
      // Success: compare value equals memory.
      p.text('str x6, [x10]', `mov x3, x6`, `cas${order}${sfx} ${r}3, ${r}5, [x10]`, 'ldr x7, [x10]');
      p.save('x3', `cas${order}${sfx} ${r} success old`);
      p.save('x7', `cas${order}${sfx} ${r} success memory`);
      // Failure: compare value differs.
      p.text('str x6, [x10]', 'mvn x3, x6', `cas${order}${sfx} ${r}3, ${r}5, [x10]`, 'ldr x7, [x10]');
      p.save('x3', `cas${order}${sfx} ${r} failure old`);
      p.save('x7', `cas${order}${sfx} ${r} failure memory`);
    }
  }
  runGroup(p);
});

test('casp: both widths and orderings; success, failure on either element, overlapping and zero-register pairs', () => {
  const p = new Program('casp');
  withWords(p);
  p.text('adr x10, cell');
  const rng = new Lcg(23n);
  const orders = ['', 'a', 'l', 'al'];
  for (const r of ['w', 'x'] as const) {
    const step = r === 'x' ? 8 : 4;
    for (const order of orders) {
      const m = `casp${order}`;
      for (const [what, mutate] of [['success', ''], ['first differs', 'eor x2, x2, #1'], ['second differs', 'eor x3, x3, #0x100']] as const) {
        const old1 = rng.shaped(), old2 = rng.next();
        p.li('x6', old1);
        p.li('x7', old2);
        p.li('x4', rng.next());
        p.li('x5', rng.shaped());
        // Memory holds (old1, old2) as two elements; the compare pair starts equal to it.
        p.text(`str ${r}6, [x10]`, `str ${r}7, [x10, #${step}]`, 'mov x2, x6', 'mov x3, x7');
        if (mutate) p.text(mutate);
        p.text(`${m} ${r}2, ${r}3, ${r}4, ${r}5, [x10]`, 'ldp x8, x9, [x10]');
        p.save('x2', `${m} ${r} ${what}: Rs`);
        p.save('x3', `${m} ${r} ${what}: Rs+1`);
        p.save('x8', `${m} ${r} ${what}: memory 0`);
        p.save('x9', `${m} ${r} ${what}: memory 1`);
      }
    }
    // The compare pair is the new pair; the zero register as the odd half of both; SP-free base at an offset.
    p.li('x6', rng.shaped());
    p.text('add x11, x10, #16', `str ${r}6, [x11]`, `str ${r}zr, [x11, #${step}]`, 'mov x4, x6', `caspal ${r}4, ${r}5, ${r}4, ${r}5, [x11]`, 'ldp x8, x9, [x11]');
    p.save('x4', `caspal ${r} same pair: Rs`);
    p.save('x5', `caspal ${r} same pair: Rs+1`);
    p.save('x8', `caspal ${r} same pair: memory 0`);
    p.li('x30', rng.shaped());
    p.text(`str ${r}30, [x11]`, `str ${r}zr, [x11, #${step}]`, 'mov x20, #0x1234', `casp ${r}30, ${r}zr, ${r}20, ${r}21, [x11]`, 'ldp x8, x9, [x11]');
    p.save('x30', `casp ${r}30, ${r}zr: Rs`);
    p.save('x8', `casp ${r}30, ${r}zr: memory 0`);
    p.save('x9', `casp ${r}30, ${r}zr: memory 1`);
    p.text(`casp ${r}4, ${r}5, ${r}30, ${r}zr, [x11]`, 'ldp x8, x9, [x11]');
    p.save('x4', `casp Rt = ${r}30, ${r}zr: Rs`);
    p.save('x8', `casp Rt = ${r}30, ${r}zr: memory 0`);
    p.save('x9', `casp Rt = ${r}30, ${r}zr: memory 1`);
  }
  // The base is the stack pointer.
  p.text('mov x12, sp', 'mov sp, x10', 'ldp x2, x3, [sp]', 'mvn x4, x2', 'mvn x5, x3', 'caspl x2, x3, x4, x5, [sp]', 'mov sp, x12', 'ldp x8, x9, [x10]');
  p.save('x8', 'caspl [sp]: memory 0');
  p.save('x9', 'caspl [sp]: memory 1');
  runGroup(p);
});
