// The aarch64 model is deterministic: the aarch64-zones sample run twice
// gives the same --trace output line for line (each line carries the CPU's
// instruction count, and the final CPU table every CPU's total), and the
// guest's output, fixed by its own handshakes, does not depend on the
// scheduling quantum.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const CLI = resolve('dist/cli.js');
const LAUNCH = 'samples/aarch64-zones/launch.json';

function run(...extra: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'run', LAUNCH, '--trace', ...extra], { encoding: 'utf8', timeout: 60_000, input: '' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('aarch64-zones: identical --trace output and instruction counts across two runs, identical guest output across quanta', { timeout: 120_000 }, () => {
  const first = run();
  assert.equal(first.status, 0, first.stderr.split('\n').slice(-8).join('\n'));
  assert.match(first.stderr, /psci: PSCI CPU_ON\(cpu=1, /);
  assert.match(first.stderr, /hypercall: HvZoneStart\(/, 'the trace is on stderr');
  assert.match(first.stderr, /stopped: power-off by CPU 0/);
  assert.match(first.stdout, /^\[root\] counter = 2000 /m);
  assert.match(first.stdout, /^\[zone1\] hello from CPU 3 /m);
  const second = run();
  assert.equal(second.stderr, first.stderr);
  assert.equal(second.stdout, first.stdout);
  for (const quantum of ['97', '1000', '100000']) {
    const other = run('--quantum', quantum);
    assert.equal(other.status, 0, other.stderr.split('\n').slice(-8).join('\n'));
    assert.equal(other.stdout, first.stdout, `guest output with --quantum ${quantum}`);
    assert.match(other.stderr, /stopped: power-off by CPU 0/);
  }
});
