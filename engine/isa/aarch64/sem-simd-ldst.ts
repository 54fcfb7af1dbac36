// Semantics of the structure loads and stores (table-simd-ldst.ts): the
// accesses run in simd-structures.ts; a fault leaves before the base register
// is written back.

import { num, split, type Operands, type Semantics } from './fragment';
import { fpCheck, spCheck } from './sem-memory';
import { transferBytes } from './table-simd-ldst';
import type { Row, Values } from './table';

export function structureSemantics(row: Row): Semantics | undefined {
  const m = /^(ld|st)(\d)r?\.([mlr])([bhsd]?)(\d)\.([oix])$/.exec(row.id);
  if (!m) return undefined;
  const [, dir, selemText = '1', shape, element = '', countText = '1', mode] = m;
  const load = dir === 'ld' ? 1 : 0;
  const selem = Number(selemText), count = Number(countText);
  const spec = `${count}${shape === 'm' ? '' : shape === 'r' ? 'r' : element.toUpperCase()}`;
  const consts = (v: Values) => ({ sp: v.rn === 31 ? 1 : 0, bytes: transferBytes(spec, v.q ?? 0, v.size ?? 0) });
  const access = (o: Operands): string => {
    switch (shape) {
      case 'm': return `h.sv.multiple(c,${load},${o.k('rt')},${count},${selem},${o.k('size')},${o.k('q')},a);`;
      case 'r': return `h.sv.replicate(c,${o.k('rt')},${count},${o.k('size')},${o.k('q')},a);`;
      default: return `h.sv.single(c,${load},${o.k('rt')},${count},${'bhsd'.indexOf(element)},${o.k('idx')},a);`;
    }
  };
  const writeBack = (o: Operands): string => {
    if (mode === 'o') return '';
    const offset = mode === 'i' ? o.k('bytes') : num(o.lo('rm'), o.hi('rm'));
    return `{${split(`a+${offset}`, 'w')}${o.set('rn', 'wl', 'wh')}}`;
  };
  return {
    kind: 'mem',
    consts,
    body: (o) => `${fpCheck(o)}${spCheck(o)}const a=${num(o.lo('rn'), o.hi('rn'))};${access(o)}if(c.fault){${o.fault}}${writeBack(o)}`,
  };
}
