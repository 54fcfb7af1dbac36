// The vector operand kinds of the table's syntax strings, shared by the
// disassembler (value -> text) and the assembler (text -> slot values).
//
//   {V<spec>:r}     vector register with an arrangement, v3.4s
//   {F<spec>:r}     scalar register named by element size, s3 ({F}: size, {Fw}: size + 1)
//   {E<e>:r}        element v3.s[idx] ({E<e>2}: index idx2)
//   {L<n><spec>:r}  list of n consecutive registers (mod 32), {v0.4s-v3.4s}
//   {L<n>e<e>:r}    list of n elements, {v0.s, v1.s}[idx]
//   {P<n>...}       a structure access's post-index by its transfer size, #32
//
// An arrangement <spec> is one of: '' (size and Q), 'w' (size + 1, full
// width), 'l' (size + 1 and Q), an element letter B/H/S/D (Q picks the
// count), that letter plus 'w' (twice the element, full width), or a fixed
// '.16b'.

export const ARRANGEMENTS = ['8b', '16b', '4h', '8h', '2s', '4s', '1d', '2d'] as const;
const ELEMENTS = 'bhsd';

/** Element size (0..3) of an element letter B/H/S/D. */
export const elementSize = (letter: string): number => ELEMENTS.indexOf(letter.toLowerCase());

/** The arrangement a spec prints for slot values q and size, or undefined when there is none. */
export function arrangement(spec: string, q: number, size: number): string | undefined {
  if (spec.startsWith('.')) return spec.slice(1);
  const letter = /^[BHSD]/.test(spec) ? elementSize(spec[0]!) : undefined;
  const wide = spec.endsWith('w');
  let e = letter ?? size;
  let full = q;
  if (spec === 'l') e += 1;
  if (wide) {
    e += 1;
    full = 1;
  }
  return e > 3 ? undefined : ARRANGEMENTS[e * 2 + full];
}

/** Slot values (q and size, where the spec takes them from slots) for an arrangement's text. */
export function arrangementSlots(spec: string, text: string): { q?: number; size?: number } | undefined {
  const lower = text.toLowerCase();
  if (spec.startsWith('.')) return spec.slice(1) === lower ? {} : undefined;
  const fixedElement = /^[BHSD]/.test(spec);
  for (let size = 0; size < 4; size++) {
    for (let q = 0; q < 2; q++) {
      if (arrangement(spec, q, size) !== lower) continue;
      const out: { q?: number; size?: number } = {};
      // A full-width spec says nothing of Q; a fixed element nothing of size.
      if (!spec.endsWith('w')) out.q = q;
      if (!fixedElement) out.size = size;
      return out;
    }
  }
  return undefined;
}

/** The scalar register letter of a scalar spec. */
export function scalarLetter(spec: string, size: number): string | undefined {
  const e = spec === 'w' ? size + 1 : size;
  return e > 3 ? undefined : ELEMENTS[e];
}

/** How a register list prints: a range for three or more registers in order, else a comma list. */
export function listText(first: number, count: number, suffix: string): string {
  const regs = Array.from({ length: count }, (_, i) => (first + i) % 32);
  if (count >= 3 && first + count - 1 < 32) return `{v${first}.${suffix}-v${regs[count - 1]}.${suffix}}`;
  return `{${regs.map((r) => `v${r}.${suffix}`).join(', ')}}`;
}
