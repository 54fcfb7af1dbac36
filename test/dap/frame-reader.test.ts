// The frame reader alone: however a stream of frames is split into reads,
// and whatever junk sits between frames, every well-formed frame comes out,
// in order, and each piece of junk is reported. Deterministic (fixed seeds).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameReader, MAX_BODY_BYTES } from '../../debug-adapter/framing';
import { unitsFrom } from '../oracle/seeded-random';

function frame(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
}

function reader(): { r: FrameReader; messages: unknown[]; problems: string[] } {
  const messages: unknown[] = [];
  const problems: string[] = [];
  return { r: new FrameReader({ message: (v) => messages.push(v), malformed: (p) => problems.push(p) }), messages, problems };
}

/** Feed `bytes` in reads of random length. */
function feed(r: FrameReader, bytes: Buffer, random: () => number): void {
  for (let i = 0; i < bytes.length; ) {
    const n = 1 + Math.floor(random() * 40);
    r.push(bytes.subarray(i, i + n));
    i += n;
  }
}

test('frames split into reads of any size all come out, in order, with nothing reported', () => {
  for (let seed = 1; seed <= 50; seed++) {
    const random = unitsFrom(seed);
    const values = Array.from({ length: 20 }, (_, i) => ({ seq: i, type: 'request', command: 'threads', text: 'é€😀'.repeat(i % 5) }));
    const { r, messages, problems } = reader();
    feed(r, Buffer.concat(values.map(frame)), random);
    r.end();
    assert.deepEqual(messages, values, `seed ${seed}`);
    assert.deepEqual(problems, [], `seed ${seed}`);
  }
});

test('junk between frames is reported and every frame after it still comes out', () => {
  const junk = ['garbage', '\u0000\u0001\u00ff', 'Content-Length: x\r\n\r\n', 'Content-Length: -1\r\n\r\n', `Content-Length: ${MAX_BODY_BYTES + 1}\r\n\r\n`,
    'Content-Length: 3\r\n\r\n{{{', 'Content-Type: a\r\n\r\n', 'Content-Len'];
  for (let seed = 1; seed <= 50; seed++) {
    const random = unitsFrom(seed);
    const values = Array.from({ length: 12 }, (_, i) => ({ seq: i, type: 'request', command: 'threads' }));
    const parts: Buffer[] = [];
    let junked = 0;
    for (const v of values) {
      if (random() < 0.5) {
        parts.push(Buffer.from(junk[Math.floor(random() * junk.length)]!, 'latin1'));
        junked++;
      }
      parts.push(frame(v));
    }
    const { r, messages, problems } = reader();
    feed(r, Buffer.concat(parts), random);
    r.end();
    assert.deepEqual(messages, values, `seed ${seed}`);
    assert.equal(problems.length, junked, `seed ${seed}: one report for each piece of junk: ${problems.join('; ')}`);
  }
});

test('a header block that never ends is dropped once it is too long to be one', () => {
  const { r, messages, problems } = reader();
  r.push(Buffer.from(`Content-Length: 5${' '.repeat(2000)}`));
  r.push(frame({ seq: 1, type: 'request', command: 'threads' }));
  assert.equal(messages.length, 1);
  assert.match(problems[0]!, /a header longer than 1024 bytes/);
});

test('input that ends inside a frame is reported', () => {
  const { r, problems } = reader();
  r.push(Buffer.from('Content-Length: 10\r\n\r\n{"a"'));
  r.end();
  assert.deepEqual(problems, ['the input ended inside a body of 4 of its 10 bytes']);
});
