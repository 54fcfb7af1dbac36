// A kernel panic read from the console: only the kernel's own end-of-panic
// line, whole, as printk writes it, counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsolePanic } from '../../../engine/debug/console-panic';

function feed(text: string): (string | undefined)[] {
  const watcher = new ConsolePanic();
  const found: (string | undefined)[] = [];
  for (const b of new TextEncoder().encode(text)) {
    const line = watcher.feed(b);
    if (line !== undefined) found.push(line);
  }
  return found;
}

test("the kernel's end-of-panic line, with or without printk's timestamp, gives the panic line", () => {
  assert.deepEqual(feed('[    7.703648] Kernel panic - not syncing: VFS: x\r\n[    7.706819] ---[ end Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0) ]---\r\n'), [
    'Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)',
  ]);
  assert.deepEqual(feed('---[ end Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100 ]---\n'), ['Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100']);
});

test('the opening panic line, a quotation inside a line, or an unfinished line do not', () => {
  assert.deepEqual(feed('[    7.703648] Kernel panic - not syncing: VFS: Unable to mount root fs\n'), []);
  assert.deepEqual(feed('$ echo "---[ end Kernel panic - not syncing: x ]---"\n'), []);
  assert.deepEqual(feed('log: ---[ end Kernel panic - not syncing: x ]---\n'), []);
  assert.deepEqual(feed('---[ end Kernel panic - not syncing: x ]---'), []);
  assert.deepEqual(feed(`${'y'.repeat(2000)}---[ end Kernel panic - not syncing: x ]---\n`), []);
});
