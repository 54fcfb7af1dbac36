// The runner's boot options, named as QEMU names them: --initrd, --append and
// --dtb for --image runs; a launch file gives them per zone instead.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunArguments, UsageError, USAGE } from '../../cli/arguments';

const IMAGE_RUN = ['run', '--arch', 'aarch64', '--image', 'Image'];

test('--initrd, --append and --dtb reach the run arguments', () => {
  const args = parseRunArguments([...IMAGE_RUN, '--initrd', 'initrd.cpio', '--append', 'console=ttyAMA0 rdinit=/init', '--dtb', 'board.dtb']);
  assert.equal(args.initrd, 'initrd.cpio');
  assert.equal(args.append, 'console=ttyAMA0 rdinit=/init');
  assert.equal(args.dtb, 'board.dtb');
});

test('without them there are none', () => {
  const args = parseRunArguments(IMAGE_RUN);
  assert.equal(args.initrd, undefined);
  assert.equal(args.append, undefined);
  assert.equal(args.dtb, undefined);
});

test('an empty command line is a command line', () => {
  assert.equal(parseRunArguments([...IMAGE_RUN, '--append', '']).append, '');
});

test('each needs a value', () => {
  for (const flag of ['--initrd', '--append', '--dtb']) {
    assert.throws(() => parseRunArguments([...IMAGE_RUN, flag]), (e: unknown) => e instanceof UsageError && e.message === `${flag} needs a value`);
  }
});

test('a launch file run refuses them, naming the zone attribute to use', () => {
  for (const [flag, attribute] of [['--initrd', 'initrd'], ['--append', 'bootargs'], ['--dtb', 'dtb']] as const) {
    assert.throws(
      () => parseRunArguments(['run', 'launch.json', flag, 'x']),
      (e: unknown) => e instanceof UsageError && e.message === `${flag} is for --image runs; a launch file gives each zone's ${attribute} in its rootZone or zones entry`,
    );
  }
});

test('the usage text explains them and where the initrd goes', () => {
  for (const text of ['--initrd FILE', '--append ARGS', '--dtb FILE', '0x48000000', '0x88200000', 'text_offset']) assert.ok(USAGE.includes(text), text);
});
