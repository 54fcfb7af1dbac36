// The functions that take the most self time in a V8 CPU profile (the
// .cpuprofile that `node --cpu-prof` writes), for benchmark reports.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * The `count` functions with the most self time: name, where it is
 * (file:line, or "generated" for code made at run time), and its share of all samples. Samples are weighted by their
 * time deltas, so an uneven sampling interval does not skew the shares.
 */
export function topSelfTime(file, count) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMicros = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node || dt <= 0) return;
    const { functionName, url, lineNumber } = node.callFrame;
    // A function without a file is code the program made at run time (new Function).
    const where = url ? `${basename(url)}:${lineNumber + 1}` : functionName.startsWith('(') ? '' : 'generated';
    const key = `${functionName || '(anonymous)'}\t${where}`;
    selfMicros.set(key, (selfMicros.get(key) ?? 0) + dt);
    total += dt;
  });
  return [...selfMicros.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, micros]) => {
      const [name, where] = key.split('\t');
      return { name, where, share: micros / total };
    });
}
