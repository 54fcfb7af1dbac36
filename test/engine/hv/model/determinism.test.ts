// The model is deterministic: the riscv64-zones sample run twice gives the
// same --trace output line for line (each line carries the CPU's
// instruction count), and the guest's output, fixed by its own handshakes,
// does not depend on the scheduling quantum.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const CLI = resolve('dist/cli.js');
const LAUNCH = 'samples/riscv64-zones/launch.json';

function run(...extra: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'run', LAUNCH, '--trace', ...extra], { encoding: 'utf8', timeout: 60_000, input: '' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('riscv64-zones: identical --trace output across two runs, identical guest output across quanta', { timeout: 120_000 }, () => {
  const first = run();
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /hypercall: HvZoneStart\(/, 'the trace is on stderr');
  assert.match(first.stderr, /stopped: power-off by CPU 0/);
  const second = run();
  assert.equal(second.stderr, first.stderr);
  assert.equal(second.stdout, first.stdout);
  for (const quantum of ['97', '1000', '100000']) {
    const other = run('--quantum', quantum);
    assert.equal(other.status, 0, other.stderr);
    assert.equal(other.stdout, first.stdout, `guest output with --quantum ${quantum}`);
    assert.match(other.stderr, /stopped: power-off by CPU 0/);
  }
});
