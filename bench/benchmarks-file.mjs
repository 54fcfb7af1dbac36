// BENCHMARKS.md, as every script in bench/ writes it: a section per benchmark
// ("## heading" and its intro), each run appended at the section's end as a
// dated entry.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';

const FILE = join(resolve(new URL('..', import.meta.url).pathname), 'BENCHMARKS.md');

/** The machine a figure was measured on, and how busy it was when the run started. */
export function hostLine() {
  return `Host: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} CPUs, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)} when it started.`;
}

/** Today, as entries are dated. */
export function today() {
  return new Date().toISOString().slice(0, 10);
}

/** Appends `entry` at the end of the section `heading`, which starts with `intro` if it is new. */
export function appendToBenchmarks(heading, intro, entry) {
  let text = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmarks\n';
  let at = text.indexOf(`\n${heading}\n`);
  if (at < 0) {
    text = `${text.replace(/\n*$/, '\n')}\n${heading}\n\n${intro.replace(/\n*$/, '\n')}`;
    at = text.indexOf(`\n${heading}\n`);
  }
  const next = text.indexOf('\n## ', at + heading.length + 1);
  const end = next < 0 ? text.length : next + 1;
  const before = text.slice(0, end).replace(/\n*$/, '\n');
  const after = text.slice(end);
  writeFileSync(FILE, `${before}\n${entry.replace(/\n*$/, '')}\n${after ? `\n${after}` : ''}`);
  console.log(`appended to ${FILE}`);
}
