// What the tests, benchmarks and `npm start` run from outside the project is
// listed once, in scripts/external-tools.mjs: every entry must be installed,
// and scripts/setup.sh must install exactly the packages that provide them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { EXTERNAL_COMMANDS, missing, packages } from '../../scripts/external-tools.mjs';

test('every external command and file the tests use is installed', () => {
  assert.ok(EXTERNAL_COMMANDS.length > 0);
  assert.deepEqual(missing(), [], 'run scripts/setup.sh');
});

test('scripts/setup.sh installs every package that provides them, and no other', () => {
  const setup = spawnSync('bash', ['scripts/setup.sh', '--print-packages'], { encoding: 'utf8' });
  assert.equal(setup.status, 0, setup.stderr);
  assert.deepEqual(setup.stdout.trim().split('\n').sort(), packages().sort());
});

test('an unlisted command is a mistake in the test, not a missing package', () => {
  assert.throws(() => missing(['no-such-oracle']), /no-such-oracle is not listed in scripts\/external-tools\.mjs/);
});

test('a missing command names its Debian package', () => {
  const lines = missing(['qemu-aarch64']);
  assert.deepEqual(lines, []);
  const pathless = spawnSync(process.execPath, ['-e', `import('./scripts/external-tools.mjs').then((m) => console.log(m.missing(['qemu-aarch64']).join('\\n')))`], { encoding: 'utf8', env: { ...process.env, PATH: '/nonexistent' } });
  assert.match(pathless.stdout, /^qemu-aarch64 is not installed: Debian package qemu-user .*scripts\/setup\.sh installs it$/m);
});
