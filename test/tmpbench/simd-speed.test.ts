import { test } from 'node:test';
import { Program, buildSource, bareMachine, runBare } from '../engine/aarch64/insn/oracle';

const insns = [
  'add x1, x1, x2',
  'add v0.4s, v0.4s, v1.4s', 'add v0.2d, v0.2d, v1.2d', 'add v0.16b, v0.16b, v1.16b', 'eor v0.16b, v0.16b, v1.16b',
  'cmeq v0.16b, v1.16b, v2.16b', 'umaxv b0, v1.16b', 'addv s0, v1.4s', 'cnt v0.16b, v1.16b', 'umov w1, v1.s[1]', 'dup v0.4s, w2',
  'ushr v0.2d, v1.2d, #3', 'ushr v0.4s, v1.4s, #3', 'shl v0.2d, v1.2d, #3', 'ushl v0.4s, v1.4s, v2.4s', 'cmgt v0.2d, v1.2d, v2.2d',
  'umull v0.4s, v1.4h, v2.4h', 'zip1 v0.16b, v1.16b, v2.16b', 'ext v0.16b, v1.16b, v2.16b, #3', 'tbl v0.16b, {v1.16b}, v2.16b',
  'ld1 {v0.16b}, [x3]', 'ldr q0, [x3]', 'sxtl v0.8h, v1.8b', 'xtn v0.8b, v1.8h', 'smax v0.4s, v0.4s, v1.4s', 'mla v0.4s, v1.4s, v2.4s',
];

test('speed', () => {
  for (const insn of [...insns, ...insns]) {
    const p = new Program('speed', 0);
    p.text('adr x3, results', 'mov x4, #0x30000', '1:');
    for (let i = 0; i < 20; i++) p.text(insn);
    p.text('subs x4, x4, #1', 'b.ne 1b');
    p.save('x1', 'x');
    const b = buildSource('speed', p.source());
    const m = bareMachine(b.bare);
    const t0 = performance.now();
    runBare(m, 'run', 100_000_000);
    const dt = performance.now() - t0;
    console.log(`${insn.padEnd(40)} ${(m.core.state.instret / dt / 1000).toFixed(1)} MIPS`);
    b.dispose();
  }
});
