// The operand syntax strings of the encoding table (and of aliases.ts), split
// into what the assembler matches: punctuation and fixed words that must
// appear as written, and `{kind:slot}` tokens that disasm.ts formats and the
// assembler parses back.

export type SyntaxElement =
  | { readonly kind: 'punct'; readonly text: string }
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'token'; readonly token: string; readonly slot: string | undefined };

const cache = new Map<string, readonly SyntaxElement[]>();

export function syntaxElements(syntax: string): readonly SyntaxElement[] {
  let out = cache.get(syntax);
  if (out) return out;
  const elements: SyntaxElement[] = [];
  const re = /\{([^}:]+)(?::([a-z0-9]+))?\}|([,[\]!])|([a-z][a-z0-9]*)|\s+/y;
  while (re.lastIndex < syntax.length) {
    const at = re.lastIndex;
    const m = re.exec(syntax);
    if (!m) throw new Error(`internal: cannot read operand syntax \`${syntax}\` at ${at}`);
    if (m[1] !== undefined) elements.push({ kind: 'token', token: m[1], slot: m[2] });
    else if (m[3] !== undefined) elements.push({ kind: 'punct', text: m[3] });
    else if (m[4] !== undefined) elements.push({ kind: 'word', text: m[4] });
  }
  out = elements;
  cache.set(syntax, out);
  return out;
}
