// CRC32 and CRC32C against qemu-aarch64: every size on corner and random
// accumulators and data (the unused high bits of W operands set, so they
// must be ignored), and a byte-at-a-time plus a doubleword-at-a-time loop
// over a buffer, as checksum code runs them in translated blocks.

import { test } from 'node:test';
import { CORNERS, Lcg, Program, runGroup } from './oracle';

test('crc32b/h/w/x and crc32cb/ch/cw/cx on corners and random operands', () => {
  const p = new Program('crc32');
  const rng = new Lcg(32n);
  const values = [...CORNERS, ...Array.from({ length: 12 }, () => rng.shaped())];
  for (let i = 0; i < values.length; i++) {
    p.li('x1', values[i]!);
    p.li('x2', values[(i * 7 + 3) % values.length]!);
    for (const c of ['', 'c']) {
      for (const sfx of ['b', 'h', 'w']) {
        p.text(`crc32${c}${sfx} w3, w1, w2`);
        p.save('x3', `crc32${c}${sfx} ${i}`);
      }
      p.text(`crc32${c}x w3, w1, x2`, `crc32${c}w w4, wzr, w2`, `crc32${c}x w5, w2, xzr`);
      p.save('x3', `crc32${c}x ${i}`);
      p.save('x4', `crc32${c}w from zero ${i}`);
      p.save('x5', `crc32${c}x of zero ${i}`);
    }
  }
  // Checksums of a 64-byte buffer, the usual pre- and post-inverted way.
  const bytes = Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff);
  p.data('  .balign 8', 'buffer:', `  .byte ${bytes.join(', ')}`);
  for (const c of ['', 'c']) {
    const byteLoop = p.label('bytes');
    const wordLoop = p.label('words');
    p.text('adr x10, buffer', 'mov x11, #64', 'mov w3, #-1', `${byteLoop}:`, 'ldrb w4, [x10], #1', `crc32${c}b w3, w3, w4`,
      'subs x11, x11, #1', `b.ne ${byteLoop}`, 'mvn w3, w3');
    p.save('x3', `crc32${c}b loop`);
    p.text('adr x10, buffer', 'mov x11, #8', 'mov w3, #-1', `${wordLoop}:`, 'ldr x4, [x10], #8', `crc32${c}x w3, w3, x4`,
      'subs x11, x11, #1', `b.ne ${wordLoop}`, 'mvn w3, w3');
    p.save('x3', `crc32${c}x loop`);
  }
  runGroup(p);
});
