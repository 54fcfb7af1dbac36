// The JSON syntax scanner that places a parse error at a line and column:
// JSON.parse decides what is valid, and the scanner must agree on every text.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { syntaxErrorOffset } from '../../../../engine/hv/config/json-syntax';

function valid(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

test('agrees with JSON.parse on hand-picked texts, and points at the offending character', () => {
  const cases: [string, number | undefined][] = [
    ['{}', undefined], [`[${'9'.repeat(1000)}.5e-3]`, undefined], [' [ [ ] , { } ] ', undefined], ['{"a":[1,{"b":null}],"c":-0.5e+3}', undefined], ['"\\u00e9\\n"', undefined],
    ['[1,]', 3], ['{"a":1,}', 7], ['{"a" 1}', 5], ['', 0], ['nul', 0], ['[', 1], ['{,}', 1], ['[01]', 2], ['{"a":1 "b":2}', 7], ['[1] x', 4],
  ];
  for (const [text, offset] of cases) {
    assert.equal(syntaxErrorOffset(text), offset, JSON.stringify(text));
    assert.equal(offset === undefined, valid(text), JSON.stringify(text));
  }
});

test('agrees with JSON.parse on every one-character change of a sample config', () => {
  const text = readFileSync('samples/riscv64-zones/zone1.json', 'utf8').slice(0, 400);
  for (let at = 0; at < text.length; at += 3) {
    for (const c of ['{', '}', '[', ']', ',', ':', '"', '\\', '0', '-', 'e', ' ', '\u0001']) {
      const changed = text.slice(0, at) + c + text.slice(at + 1);
      assert.equal(syntaxErrorOffset(changed) === undefined, valid(changed), JSON.stringify(changed));
      const cut = text.slice(0, at);
      assert.equal(syntaxErrorOffset(cut) === undefined, valid(cut), JSON.stringify(cut));
    }
  }
});

test('nesting far deeper than a recursive parser could follow', () => {
  assert.equal(syntaxErrorOffset(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), undefined);
  assert.equal(syntaxErrorOffset(`${'['.repeat(100_000)}`), 100_000);
});
