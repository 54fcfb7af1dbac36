// gdb's value syntax (print pretty off) read into a tree, so tests can
// compare values with gdb's number by number: `{a = 1, b = {2, 3}}`,
// `0x80001000 <nodes+16>`, `(struct node *) 0x80001000 <nodes+16>`, `65 'A'`,
// `1.25`, `-nan(0x400000)`, `GREEN`, `"ab\000"`, `'x' <repeats 15 times>`,
// `<optimized out>`.

export type GdbValue =
  | { readonly kind: 'optimized out' }
  /** Another `<...>` gdb puts where a value would be (`<unavailable>`, `<synthetic pointer>`, `<error: ...>`). */
  | { readonly kind: 'missing'; readonly text: string }
  | { readonly kind: 'integer'; readonly value: bigint; readonly char?: string }
  | { readonly kind: 'float'; readonly text: string; readonly value: number }
  | { readonly kind: 'pointer'; readonly address: bigint; readonly symbol?: string; readonly type?: string }
  /** An enumerator, true or false. */
  | { readonly kind: 'name'; readonly name: string }
  /** A char array's bytes (string segments and repeated chars joined). */
  | { readonly kind: 'bytes'; readonly bytes: readonly number[] }
  | { readonly kind: 'aggregate'; readonly items: readonly GdbItem[] };

export interface GdbItem {
  readonly name?: string;
  readonly value: GdbValue;
  /** `<repeats N times>`: the item stands for N elements. */
  readonly repeats: number;
}

class Parser {
  private i = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw new Error(`gdb value: expected ${what} at column ${this.i + 1} of '${this.text}'`);
  }

  private skip(): void {
    while (this.text[this.i] === ' ') this.i++;
  }

  private eat(s: string): boolean {
    this.skip();
    if (!this.text.startsWith(s, this.i)) return false;
    this.i += s.length;
    return true;
  }

  private match(re: RegExp): RegExpExecArray | undefined {
    this.skip();
    const sticky = new RegExp(re.source, 'y');
    sticky.lastIndex = this.i;
    const m = sticky.exec(this.text);
    if (m) this.i = sticky.lastIndex;
    return m ?? undefined;
  }

  atEnd(): boolean {
    this.skip();
    return this.i >= this.text.length;
  }

  /** A value, or a comma-separated sequence of char-array segments. */
  top(): GdbValue {
    const items = [this.item(false)];
    while (this.eat(',')) items.push(this.item(false));
    if (!this.atEnd()) this.fail('the end');
    return items.length === 1 && items[0]!.repeats === 1 ? items[0]!.value : joinBytes(items) ?? { kind: 'aggregate', items };
  }

  private item(named: boolean): GdbItem {
    let name: string | undefined;
    if (named) {
      const m = this.match(/(\[[^\]]*\]|[A-Za-z_][A-Za-z0-9_]*) = /);
      if (m) name = m[1];
    }
    const value = this.value();
    const r = this.match(/<repeats (\d+) times>/);
    return { ...(name === undefined ? {} : { name }), value, repeats: r ? Number(r[1]) : 1 };
  }

  value(): GdbValue {
    this.skip();
    if (this.eat('{')) {
      const items: GdbItem[] = [];
      if (!this.eat('}')) {
        do items.push(this.item(true));
        while (this.eat(','));
        if (!this.eat('}')) this.fail("',' or '}'");
      }
      return joinBytes(items) ?? { kind: 'aggregate', items };
    }
    if (this.eat('<optimized out>')) return { kind: 'optimized out' };
    const angle = this.match(/<[^<>]*(?:<[^<>]*>[^<>]*)*>/);
    if (angle) return { kind: 'missing', text: angle[0] };
    const cast = this.match(/\(([^()]*(?:\([^()]*\)[^()]*)*)\)(?= )/);
    if (cast) {
      const v = this.value();
      return v.kind === 'pointer' ? { ...v, type: cast[1]! } : v;
    }
    const hex = this.match(/0x[0-9a-f]+/);
    if (hex) {
      const symbol = this.match(/<([^>]+)>/)?.[1];
      this.match(/"(?:[^"\\]|\\.)*"/); // a char pointer's string follows its address
      return { kind: 'pointer', address: BigInt(hex[0]), ...(symbol ? { symbol } : {}) };
    }
    const str = this.match(/"((?:[^"\\]|\\.)*)"/);
    if (str) return { kind: 'bytes', bytes: unescape(str[1]!) };
    const chr = this.match(/'((?:[^'\\]|\\.)*)'/);
    if (chr) return { kind: 'integer', value: BigInt(unescape(chr[1]!)[0] ?? 0), char: chr[0] };
    const special = this.match(/-?(?:inf|nan\(0x[0-9a-f]+\))/);
    if (special) return { kind: 'float', text: special[0], value: special[0].includes('nan') ? NaN : special[0].startsWith('-') ? -Infinity : Infinity };
    const num = this.match(/-?\d+(?:\.\d*)?(?:e[+-]?\d+)?/);
    if (num) {
      if (/[.e]/.test(num[0])) return { kind: 'float', text: num[0], value: Number(num[0]) };
      const chr = this.match(/'((?:[^'\\]|\\.)*)'/);
      return { kind: 'integer', value: BigInt(num[0]), ...(chr ? { char: chr[0] } : {}) };
    }
    const name = this.match(/[A-Za-z_][A-Za-z0-9_]*/);
    if (name) return { kind: 'name', name: name[0] };
    return this.fail('a value');
  }
}

/** A char array gdb prints as string segments and repeated chars: their bytes in order; undefined for anything else. */
function joinBytes(items: readonly GdbItem[]): GdbValue | undefined {
  if (!items.length || items.some((it) => it.name !== undefined)) return undefined;
  const isChars = items.every((it) => it.value.kind === 'bytes' || (it.value.kind === 'integer' && it.value.char !== undefined && it.repeats > 1));
  if (!isChars || !items.some((it) => it.value.kind === 'bytes')) return undefined;
  const bytes: number[] = [];
  for (const it of items) {
    const v = it.value;
    if (v.kind === 'bytes') bytes.push(...v.bytes);
    else if (v.kind === 'integer') for (let n = 0; n < it.repeats; n++) bytes.push(Number(BigInt.asUintN(8, v.value)));
  }
  return { kind: 'bytes', bytes };
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, e: 27, '\\': 92, "'": 39, '"': 34 };

/** The bytes of a C string or char literal body as gdb writes it (octal escapes, \\n and the like, UTF-8 for the rest). */
function unescape(body: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out.push(...new TextEncoder().encode(c));
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1));
    if (octal) {
      out.push(parseInt(octal[0], 8) & 0xff);
      i += octal[0].length;
      continue;
    }
    const e = body[++i] ?? '';
    const code = ESCAPES[e];
    if (code === undefined) throw new Error(`gdb value: unknown escape '\\${e}' in '${body}'`);
    out.push(code);
  }
  return out;
}

/** gdb's text for one value, read into a tree; throws naming the column where the text is not gdb's value syntax. */
export function parseGdbValue(text: string): GdbValue {
  return new Parser(text.trim()).top();
}
