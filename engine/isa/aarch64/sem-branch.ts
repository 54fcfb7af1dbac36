// Semantics of the branch rows. Direct branches name their target as the
// `imm` offset from the instruction; the block translator follows them.

import { conditionSource, num, split, type Semantics } from './fragment';
import { conditionNames, type Row } from './table';

/** Semantics for a branch row except ERET (a system instruction), or undefined. */
export function branchSemantics(row: Row): Semantics | undefined {
  if (row.group !== 'branch') return undefined;
  const id = row.id;
  if (id === 'b') return { kind: 'jump', body: () => '' };
  if (id === 'bl') return { kind: 'jump', body: (o) => `${split(o.npc, 'k')}${o.set('lr', 'kl', 'kh')}` };
  if (id.startsWith('b.')) {
    const cond = conditionNames.indexOf(id.slice(2) as (typeof conditionNames)[number]);
    return { kind: 'cond', body: () => conditionSource(cond) };
  }
  const [m, r] = id.split('.') as [string, string | undefined];
  if (m === 'cbz' || m === 'cbnz') {
    const value = (o: Parameters<Semantics['body']>[0]) => (r === 'x' ? `(${o.lo('rt')}|${o.hi('rt')})` : o.lo('rt'));
    return { kind: 'cond', body: (o) => `${value(o)}${m === 'cbz' ? '===' : '!=='}0` };
  }
  if (m === 'tbz' || m === 'tbnz') {
    return {
      kind: 'cond',
      body: (o) => {
        const bit = o.known('bit');
        const word = bit === undefined ? `(${o.k('bit')}<32?${o.lo('rt')}:${o.hi('rt')})` : bit < 32 ? o.lo('rt') : o.hi('rt');
        return `((${word}>>>(${o.k('bit')}&31))&1)${m === 'tbz' ? '===' : '!=='}0`;
      },
    };
  }
  if (id === 'br' || id === 'ret') return { kind: 'indirect', body: (o) => `next=${num(o.lo('rn'), o.hi('rn'))};` };
  if (id === 'blr') return { kind: 'indirect', body: (o) => `const t=${num(o.lo('rn'), o.hi('rn'))};${split(o.npc, 'k')}${o.set('lr', 'kl', 'kh')}next=t;` };
  return undefined;
}
