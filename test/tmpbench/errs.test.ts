import { test } from 'node:test';
import { assembleAarch64 } from '../../engine/isa/aarch64/asm';
test('x', () => {
  for (const src of ['add v0.4s, v1.4s, v2.8h', 'add v0.1d, v1.1d, v2.1d', 'mov v0.s[4], w1', 'ld1 {v0.4s, v2.4s}, [x0]', 'ld1 {v0.16b-v3.16b}, [x0], #32',
    'sshr v0.4s, v1.4s, #0', 'sshr v0.4s, v1.4s, #33', 'shl v0.8b, v1.8b, #8', 'tbl v0.16b, {v1.16b-v5.16b}, v2.16b', 'movi v0.4s, #0x100', 'ld1 {v30.4s-v1.4s}, [x0]', 'mla v0.4s, v1.4s, v16.h[1]', 'cmeq v0.4s, v1.4s, #1', 'pmull v0.1q, v1.2d, v2.2d']) {
    const r = assembleAarch64(src + '\n', { fileName: 'bad.S', base: 0x40080000 });
    console.log(JSON.stringify(src), r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join(' | '));
  }
});
