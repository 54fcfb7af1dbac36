// The shell's view of scripts/external-tools.mjs, for scripts/setup.sh.
//
//   node scripts/tools.mjs packages   the Debian packages, one per line
//   node scripts/tools.mjs check      exit 1, naming whatever is missing and its package

import { missing, packages } from './external-tools.mjs';

const verb = process.argv[2];
if (verb === 'packages') {
  process.stdout.write(packages().join('\n') + '\n');
} else if (verb === 'check') {
  const lines = missing();
  for (const l of lines) process.stderr.write(l + '\n');
  process.exit(lines.length ? 1 : 0);
} else {
  process.stderr.write('usage: node scripts/tools.mjs packages|check\n');
  process.exit(2);
}
