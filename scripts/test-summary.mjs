// A reporter for Node's test runner that ends the run with one count of every
// test: passed, failed and skipped, skipped suites included (Node's own
// summary leaves those out), then names each test that did not pass and why.
// scripts/test.mjs runs it beside the spec reporter.

import { relative } from 'node:path';

/** The test's file as the repository names it, not as the bundle does. */
function sourceFile(file) {
  if (!file) return '';
  return relative(process.cwd(), file).replace(/^out\/test-\d+\//, 'test/').replace(/\.js$/, '.ts');
}

const reasonOf = (flag) => (typeof flag === 'string' && flag !== '' ? flag : 'no reason given');

export default async function* summary(source) {
  let passed = 0;
  const failed = [];
  const skipped = [];
  const todo = [];
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const data = event.data;
    const suite = data.details?.type === 'suite';
    // A file that fails to load or exits early is reported under its own path.
    const what = data.name === data.file ? `${sourceFile(data.file)} (the whole file: its output above says why)` : `${sourceFile(data.file)} › ${data.name}${suite ? ' (suite)' : ''}`;
    if (data.skip !== undefined && data.skip !== false) {
      skipped.push(`${what}: ${reasonOf(data.skip)}`);
    } else if (data.todo !== undefined && data.todo !== false) {
      todo.push(`${what}: ${reasonOf(data.todo)}`);
    } else if (event.type === 'test:fail') {
      // A suite fails when one of its tests does; that test is counted already.
      const error = data.details?.error;
      if (suite && error?.failureType === 'subtestsFailed') continue;
      failed.push(`${what}: ${String(error?.cause?.message ?? error?.message ?? 'failed').split('\n')[0]}`);
    } else if (!suite) {
      passed++;
    }
  }
  const lines = ['', '# summary of every test, suites included'];
  for (const f of failed) lines.push(`# failed: ${f}`);
  for (const s of skipped) lines.push(`# skipped: ${s}`);
  for (const t of todo) lines.push(`# todo: ${t}`);
  lines.push(`${passed} passed, ${failed.length} failed, ${skipped.length} skipped${todo.length ? `, ${todo.length} todo` : ''}`, '');
  yield lines.join('\n');
}
