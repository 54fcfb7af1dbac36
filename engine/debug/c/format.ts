// C values as text, the way gdb prints them in `info locals` and `print`:
// integers by their type's size and signedness, chars with their character,
// floats with 9 or 17 significant digits, enums by name, pointers in hex with
// the symbol they point at or the string a char pointer starts, aggregates
// as `{member = value, ...}` and arrays with runs shown as repeats.

import { declaration, resolved, type CType } from '../../dwarf/types';
import { floatText } from './float-text';
import { elementValue, integerOf, memberValue, rawBits, type CValue } from './value';
import type { ValueFrame } from './value-frame';

/** gdb's `print elements`: at most this many elements or characters of one array or string. */
export const PRINT_ELEMENTS = 200;
/** gdb's `print repeats`: a run longer than this shows as `<repeats N times>`. */
const REPEAT_THRESHOLD = 10;
/** At most this many elements of one array are read to find its runs (an array of a billion zeros must not hang the debugger). */
const MAX_SCAN = 65_536;
/** Deeper aggregates show as {...}. */
const MAX_DEPTH = 8;

/** A type's name as gdb's `whatis` prints it. */
export const typeName = (t: CType): string => declaration(t);

const hex = (v: bigint): string => `0x${v.toString(16)}`;

function isCharType(t: CType): boolean {
  const r = resolved(t);
  return r.kind === 'base' && r.size === 1 && (r.encoding === 'signed char' || r.encoding === 'unsigned char');
}

const ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 27: '\\033' };

/** One character as gdb quotes it inside `quote` ('\'' or '"'). */
function charText(byte: number, quote: string): string {
  if (ESCAPES[byte]) return ESCAPES[byte]!;
  if (byte === 0x5c) return '\\\\';
  if (String.fromCharCode(byte) === quote) return `\\${quote}`;
  if (byte >= 0x20 && byte < 0x7f) return String.fromCharCode(byte);
  return `\\${byte.toString(8).padStart(3, '0')}`;
}

/**
 * A C string or char array's bytes as gdb shows them: quoted runs, a run of
 * more than REPEAT_THRESHOLD of one char as repeats, at most PRINT_ELEMENTS
 * characters (a repeat counting REPEAT_THRESHOLD), `...` when cut short.
 */
export function stringText(bytes: readonly number[], truncated: boolean): string {
  const parts: string[] = [];
  let open = '';
  let budget = 0;
  let i = 0;
  while (i < bytes.length && budget < PRINT_ELEMENTS) {
    let run = 1;
    while (i + run < bytes.length && bytes[i + run] === bytes[i]) run++;
    if (run > REPEAT_THRESHOLD) {
      if (open) parts.push(`"${open}"`);
      open = '';
      parts.push(`'${charText(bytes[i]!, "'")}' <repeats ${run} times>`);
      budget += REPEAT_THRESHOLD;
      i += run;
    } else {
      open += charText(bytes[i]!, '"');
      budget++;
      i++;
    }
  }
  if (open || parts.length === 0) parts.push(`"${open}"`);
  return parts.join(', ') + (truncated || i < bytes.length ? '...' : '');
}

/** The NUL-terminated string at `address`, at most PRINT_ELEMENTS characters; undefined when its first byte is unreadable. */
function cString(frame: ValueFrame, address: bigint): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < PRINT_ELEMENTS; i++) {
    const b = frame.read(address + BigInt(i), 1);
    if (!b) return i === 0 ? undefined : `${stringText(bytes, false)}<error: Cannot access memory at address ${hex(address + BigInt(i))}>`;
    if (b[0] === 0) return stringText(bytes, false);
    bytes.push(b[0]!);
  }
  return stringText(bytes, true);
}

function enumText(t: CType & { kind: 'enum' }, value: bigint): string {
  const exact = t.enumerators.find((e) => e.value === value);
  if (exact) return exact.name;
  // A flag enum (enumerators of disjoint bits): the flags that are set, and what is left.
  const flags = t.enumerators.filter((e) => e.value > 0n);
  let seen = 0n;
  const disjoint = t.enumerators.every((e) => e.value >= 0n) && flags.every((e) => {
    const clash = (seen & e.value) !== 0n;
    seen |= e.value;
    return !clash;
  });
  if (!disjoint || value <= 0n || flags.length === 0) return value.toString();
  const names: string[] = [];
  let rest = value;
  for (const e of flags) {
    if ((rest & e.value) === e.value) {
      names.push(e.name);
      rest &= ~e.value;
    }
  }
  if (names.length === 0) return value.toString();
  if (rest !== 0n) names.push(`unknown: ${hex(rest)}`);
  return `(${names.join(' | ')})`;
}

function pointerText(frame: ValueFrame, t: CType & { kind: 'pointer' }, address: bigint): string {
  const target = resolved(t.target);
  if (target.kind === 'function') return `${hex(address)}${suffix(frame.symbolAt(address))}`;
  if (address !== 0n && isCharType(t.target)) {
    const s = cString(frame, address);
    if (s !== undefined) return `${hex(address)} ${s}`;
    return `${hex(address)} <error: Cannot access memory at address ${hex(address)}>`;
  }
  return `${hex(address)}${suffix(address === 0n ? undefined : frame.symbolAt(address))}`;
}

const suffix = (s: string | undefined): string => (s ? ` ${s}` : '');

/** The value as gdb's `info locals` shows it; `<optimized out>` and other reasons in angle brackets. */
export function formatValue(frame: ValueFrame, v: CValue, depth = 0): string {
  const t = resolved(v.type);
  if (v.location.kind === 'unavailable') return `<${v.location.reason}>`;
  switch (t.kind) {
    case 'base': {
      const bits = rawBits(frame, v);
      if (typeof bits === 'string') return `<${bits}>`;
      if (t.encoding === 'float') return t.size === 4 || t.size === 8 ? floatText(bits, t.size) : hex(bits);
      const n = integerOf(frame, v) as bigint;
      if (t.encoding === 'boolean') return n === 0n ? 'false' : n === 1n ? 'true' : n.toString();
      if (isCharType(t)) return `${n} '${charText(Number(bits & 0xffn), "'")}'`;
      return n.toString();
    }
    case 'enum': {
      const n = integerOf(frame, v);
      return typeof n === 'string' ? `<${n}>` : enumText(t, n);
    }
    case 'pointer': {
      const bits = rawBits(frame, v);
      return typeof bits === 'string' ? `<${bits}>` : pointerText(frame, t, bits);
    }
    case 'struct':
    case 'union': {
      if (t.size === undefined) return '<incomplete type>';
      if (depth >= MAX_DEPTH) return '{...}';
      const members = t.members.map((m) => {
        const text = formatValue(frame, memberValue(frame, v, m), depth + 1);
        return m.name === undefined ? text : `${m.name} = ${text}`;
      });
      return `{${members.join(', ')}}`;
    }
    case 'array':
      return depth >= MAX_DEPTH ? '{...}' : arrayText(frame, v, t, depth);
    case 'function':
      return `{${typeName(v.type)}} ${v.location.kind === 'memory' ? `${hex(v.location.address)}${suffix(frame.symbolAt(v.location.address))}` : '<no address>'}`;
    case 'void':
      return 'void';
    case 'unknown':
      return `<${t.reason}>`;
    default:
      return '<unknown type>';
  }
}

/**
 * gdb's array printing: a run of more than REPEAT_THRESHOLD equal elements
 * is one `<repeats N times>` item (counted over the whole array) that uses
 * REPEAT_THRESHOLD of the PRINT_ELEMENTS budget; other elements use one.
 */
function arrayText(frame: ValueFrame, v: CValue, t: CType & { kind: 'array' }, depth: number): string {
  const count = t.counts[0];
  if (count === undefined) return '0x' + (v.location.kind === 'memory' ? v.location.address.toString(16) : '0');
  if (t.counts.length === 1 && isCharType(t.element)) return charArrayText(frame, v, count, depth);
  return elementsText(frame, v, count, depth);
}

function elementsText(frame: ValueFrame, v: CValue, count: number, depth: number): string {
  const texts = new Map<number, string>();
  const text = (i: number): string => {
    let s = texts.get(i);
    if (s === undefined) texts.set(i, (s = formatValue(frame, elementValue(frame, v, i), depth + 1)));
    return s;
  };
  const parts: string[] = [];
  let budget = 0;
  let i = 0;
  const scan = Math.min(count, MAX_SCAN);
  while (i < scan && budget < PRINT_ELEMENTS) {
    let run = 1;
    while (i + run < scan && text(i + run) === text(i)) run++;
    if (run > REPEAT_THRESHOLD) {
      parts.push(`${text(i)} <repeats ${run} times>`);
      budget += REPEAT_THRESHOLD;
      i += run;
    } else {
      parts.push(text(i));
      budget++;
      i++;
    }
  }
  return `{${parts.join(', ')}${i < count ? '...' : ''}}`;
}

/** A char array as gdb prints it: its bytes as a string (the last NUL, its terminator, dropped), runs as repeats. */
function charArrayText(frame: ValueFrame, v: CValue, count: number, depth: number): string {
  const scan = Math.min(count, MAX_SCAN);
  const bytes = rawBytes(frame, v, scan);
  // With any character unavailable (pieces of an optimized variable), gdb shows it element by element.
  if (typeof bytes === 'string') return elementsText(frame, v, count, depth);
  const end = scan === count && bytes.at(-1) === 0 ? bytes.length - 1 : bytes.length;
  return stringText(bytes.slice(0, end), scan < count);
}

function rawBytes(frame: ValueFrame, v: CValue, count: number): number[] | string {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const b = rawBits(frame, elementValue(frame, v, i));
    if (typeof b === 'string') return b;
    out.push(Number(b));
  }
  return out;
}

