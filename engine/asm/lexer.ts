// Splits assembler source into statements and tokens, following gas: comments
// are `/* */` plus per-ISA line-comment sequences, statements are separated
// by newlines and a per-ISA separator, numbers use C-like prefixes, `'c` is a
// character constant and `1b`/`1f` refer to numeric local labels.

import type { Diagnostics } from './diagnostics';

export interface LexerConfig {
  /** Sequences that start a comment running to the end of the line. */
  readonly lineComments: readonly string[];
  /** Sequences that start a comment only as a line's first non-blank character (aarch64's `#`). */
  readonly lineStartComments?: readonly string[];
  /** Characters that are punctuation tokens for this ISA only (aarch64's `#` before an immediate). */
  readonly punctuation?: string;
  /** Separates statements on one line. */
  readonly separator: string;
}

export type Token =
  | { readonly kind: 'ident'; readonly text: string; readonly col: number }
  | { readonly kind: 'number'; readonly value: bigint; readonly col: number }
  | { readonly kind: 'localref'; readonly label: string; readonly dir: 'b' | 'f'; readonly col: number }
  | { readonly kind: 'string'; readonly bytes: readonly number[]; readonly col: number }
  /** A decimal floating-point literal (`1.5`, `2.0e-3`), for the operands that take one. */
  | { readonly kind: 'float'; readonly text: string; readonly col: number }
  | { readonly kind: 'punct'; readonly text: string; readonly col: number };

export interface Label {
  readonly name: string;
  readonly col: number;
  /** True for `1:`-style numeric local labels. */
  readonly numeric: boolean;
}

export interface Statement {
  readonly line: number;
  readonly labels: readonly Label[];
  readonly tokens: readonly Token[];
  /** Column just past the statement's last character (for "missing operand"). */
  readonly endCol: number;
}

const TWO_CHAR_PUNCT = new Set(['<<', '>>', '<=', '>=', '<>', '==', '!=', '&&', '||']);
const ONE_CHAR_PUNCT = new Set([...'(),+-*/%&|^~!<>=:@[]{}']);

const isIdentStart = (c: string): boolean => /[A-Za-z_.$]/.test(c);
const isIdentChar = (c: string): boolean => /[A-Za-z0-9_.$]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/**
 * Blank out comments, keeping every other character in its column so that
 * token positions still point into the original text.
 */
function stripComments(source: string, config: LexerConfig, diag: Diagnostics): string[] {
  const out: string[] = [];
  let line = '';
  let lineNo = 1;
  let inBlock = false;
  let blockStart = { line: 0, column: 0 };
  let i = 0;
  const flush = (): void => {
    out.push(line);
    line = '';
    lineNo++;
  };
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\n') {
      flush();
      i++;
      continue;
    }
    if (inBlock) {
      if (source.startsWith('*/', i)) {
        inBlock = false;
        line += '  ';
        i += 2;
      } else {
        line += c === '\t' ? '\t' : ' ';
        i++;
      }
      continue;
    }
    if (source.startsWith('/*', i)) {
      inBlock = true;
      blockStart = { line: lineNo, column: line.length + 1 };
      line += '  ';
      i += 2;
      continue;
    }
    const lineStart = config.lineStartComments?.some((s) => source.startsWith(s, i)) && line.trim() === '';
    if (lineStart || config.lineComments.some((s) => source.startsWith(s, i))) {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (c === '"') {
      // Copy the string literal verbatim (it may contain comment characters).
      line += c;
      i++;
      while (i < source.length && source[i] !== '"' && source[i] !== '\n') {
        if (source[i] === '\\' && i + 1 < source.length && source[i + 1] !== '\n') {
          line += source[i]! + source[i + 1]!;
          i += 2;
        } else {
          line += source[i]!;
          i++;
        }
      }
      if (source[i] === '"') {
        line += '"';
        i++;
      }
      continue;
    }
    if (c === "'") {
      // A character constant: the quote, one (possibly escaped) character and
      // an optional closing quote.
      line += c;
      i++;
      if (source[i] === '\\' && i + 1 < source.length && source[i + 1] !== '\n') {
        line += source[i]! + source[i + 1]!;
        i += 2;
      } else if (i < source.length && source[i] !== '\n') {
        line += source[i]!;
        i++;
      }
      if (source[i] === "'") {
        line += "'";
        i++;
      }
      continue;
    }
    if (c === '\r' && source[i + 1] === '\n') {
      i++;
      continue;
    }
    line += c;
    i++;
  }
  out.push(line);
  if (inBlock) diag.error(blockStart, 'unterminated /* comment');
  return out;
}

/** Split one comment-free line at separators that are outside literals. */
function splitStatements(text: string, separator: string): { start: number; text: string }[] {
  const parts: { start: number; text: string }[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === "'") {
      i += text[i + 1] === '\\' ? 3 : 2;
      if (text[i] === "'") i++;
      continue;
    }
    if (text.startsWith(separator, i)) {
      parts.push({ start, text: text.slice(start, i) });
      i += separator.length;
      start = i;
      continue;
    }
    i++;
  }
  parts.push({ start, text: text.slice(start) });
  return parts;
}

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, e: 27, '\\': 92, '"': 34, "'": 39 };
/** gas knows fewer escapes in a character constant than in a string; any other letter stands for itself. */
const CHAR_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, '\\': 92, '"': 34, "'": 39 };

/** Decode one escape sequence starting after the backslash at `text[i]`. */
function readEscape(text: string, i: number): { value: number; next: number } {
  const c = text[i];
  if (c === undefined) return { value: 92, next: i };
  if (c === 'x' || c === 'X') {
    let j = i + 1;
    let value = 0;
    while (j < text.length && /[0-9a-fA-F]/.test(text[j]!)) {
      value = (value * 16 + parseInt(text[j]!, 16)) & 0xff;
      j++;
    }
    return { value, next: j };
  }
  if (c >= '0' && c <= '7') {
    let j = i;
    let value = 0;
    while (j < text.length && j < i + 3 && text[j]! >= '0' && text[j]! <= '7') {
      value = value * 8 + Number(text[j]);
      j++;
    }
    return { value: value & 0xff, next: j };
  }
  return { value: SIMPLE_ESCAPES[c] ?? c.charCodeAt(0), next: i + 1 };
}

function utf8(c: string): number[] {
  return [...new TextEncoder().encode(c)];
}

/** Tokenize one statement's text; `base` is its 0-based column in the line. */
function tokenize(text: string, base: number, lineNo: number, diag: Diagnostics, punctuation: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const col = base + i + 1;
    if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\r') {
      i++;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < text.length && isIdentChar(text[j]!)) j++;
      tokens.push({ kind: 'ident', text: text.slice(i, j), col });
      i = j;
      continue;
    }
    if (isDigit(c)) {
      const number = readNumber(text, i);
      if (!number) {
        let j = i;
        while (j < text.length && isIdentChar(text[j]!)) j++;
        diag.error({ line: lineNo, column: col }, `bad number \`${text.slice(i, j)}\``);
        return undefined;
      }
      tokens.push(number.token(col));
      i = number.next;
      continue;
    }
    if (c === "'") {
      if (i + 1 >= text.length) {
        diag.error({ line: lineNo, column: col }, 'missing character after `\'`');
        return undefined;
      }
      let value: number;
      let next: number;
      if (text[i + 1] === '\\') {
        const e = text[i + 2] ?? '';
        if (/[0-9xX]/.test(e) || e === '') {
          // gas reads these inconsistently ('\101 is not 65), so refuse rather than differ.
          diag.error({ line: lineNo, column: col }, `numeric escapes are not supported in character constants; write the number instead`);
          return undefined;
        }
        value = CHAR_ESCAPES[e] ?? e.charCodeAt(0);
        next = i + 3;
      } else {
        const ch = String.fromCodePoint(text.codePointAt(i + 1)!);
        const bytes = utf8(ch);
        value = bytes.length === 1 ? bytes[0]! : text.codePointAt(i + 1)!;
        next = i + 1 + ch.length;
      }
      if (text[next] === "'") next++;
      tokens.push({ kind: 'number', value: BigInt(value), col });
      i = next;
      continue;
    }
    if (c === '"') {
      const bytes: number[] = [];
      let j = i + 1;
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\') {
          const e = readEscape(text, j + 1);
          bytes.push(e.value);
          j = e.next;
        } else {
          const ch = String.fromCodePoint(text.codePointAt(j)!);
          bytes.push(...utf8(ch));
          j += ch.length;
        }
      }
      if (j >= text.length) {
        diag.error({ line: lineNo, column: col }, 'unterminated string');
        return undefined;
      }
      tokens.push({ kind: 'string', bytes, col });
      i = j + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR_PUNCT.has(two)) {
      tokens.push({ kind: 'punct', text: two, col });
      i += 2;
      continue;
    }
    if (ONE_CHAR_PUNCT.has(c) || punctuation.includes(c)) {
      tokens.push({ kind: 'punct', text: c, col });
      i++;
      continue;
    }
    diag.error({ line: lineNo, column: col }, `unexpected character \`${c}\``);
    return undefined;
  }
  return tokens;
}

function readNumber(text: string, i: number): { token: (col: number) => Token; next: number } | undefined {
  const rest = text.slice(i);
  const after = (len: number): string => text[i + len] ?? '';
  let m = /^0[xX]([0-9a-fA-F]+)/.exec(rest);
  if (m) {
    if (isIdentChar(after(m[0].length))) return undefined;
    const value = BigInt(`0x${m[1]!}`);
    return { token: (col) => ({ kind: 'number', value, col }), next: i + m[0].length };
  }
  m = /^0[bB]([01]+)/.exec(rest);
  if (m && !isIdentChar(after(m[0].length))) {
    const value = BigInt(`0b${m[1]!}`);
    return { token: (col) => ({ kind: 'number', value, col }), next: i + m[0].length };
  }
  m = /^([0-9]+)([bf])/.exec(rest);
  if (m && !isIdentChar(after(m[0].length))) {
    const label = String(BigInt(m[1]!));
    const dir = m[2] as 'b' | 'f';
    return { token: (col) => ({ kind: 'localref', label, dir, col }), next: i + m[0].length };
  }
  m = /^[0-9]+(?:\.[0-9]*(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)/.exec(rest);
  if (m && !isIdentChar(after(m[0].length))) {
    const text = m[0];
    return { token: (col) => ({ kind: 'float', text, col }), next: i + text.length };
  }
  m = /^[0-9]+/.exec(rest)!;
  if (isIdentChar(after(m[0].length))) return undefined;
  const digits = m[0];
  let value: bigint;
  if (digits.length > 1 && digits[0] === '0') {
    if (!/^[0-7]+$/.test(digits)) return undefined;
    value = BigInt(`0o${digits.slice(1)}`);
  } else {
    value = BigInt(digits);
  }
  return { token: (col) => ({ kind: 'number', value, col }), next: i + digits.length };
}

/** Lex a whole source file into statements (empty statements are dropped). */
export function lex(source: string, config: LexerConfig, diag: Diagnostics): Statement[] {
  const statements: Statement[] = [];
  const lines = stripComments(source, config, diag);
  lines.forEach((text, index) => {
    const lineNo = index + 1;
    for (const part of splitStatements(text, config.separator)) {
      const tokens = tokenize(part.text, part.start, lineNo, diag, config.punctuation ?? '');
      if (!tokens) continue;
      const labels: Label[] = [];
      let k = 0;
      while (k + 1 < tokens.length) {
        const t = tokens[k]!;
        const colon = tokens[k + 1]!;
        if (colon.kind !== 'punct' || colon.text !== ':') break;
        if (t.kind === 'ident' && colon.col === t.col + t.text.length) labels.push({ name: t.text, col: t.col, numeric: false });
        else if (t.kind === 'number' && /^[0-9]+$/.test(part.text.slice(t.col - 1 - part.start, colon.col - 1 - part.start))) {
          labels.push({ name: String(t.value), col: t.col, numeric: true });
        } else break;
        k += 2;
      }
      const rest = tokens.slice(k);
      if (labels.length === 0 && rest.length === 0) continue;
      statements.push({ line: lineNo, labels, tokens: rest, endCol: part.start + part.text.trimEnd().length + 1 });
    }
  });
  return statements;
}
