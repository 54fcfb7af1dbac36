// Typed access to parsed JSON that records a ConfigError, naming the key path,
// for every value of the wrong shape, so a reader can go on and report the rest.

import { ConfigError } from './config-error';
import { hex, parseHexString } from './hex';
import { syntaxErrorOffset } from './json-syntax';

export type JsonObject = { readonly [key: string]: unknown };

/** How a message shows the offending value: numbers and strings as written, other kinds by name. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
    case 'boolean':
      return String(value);
    default:
      return 'an object';
  }
}

export function keyPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/**
 * The parser's message without the offset or the quoted text it may carry,
 * after the line and column of the first syntax error.
 */
function syntaxMessage(text: string, message: string): string {
  const short = message.replace(/ in JSON at position \d+.*$/s, '').replace(/, (\.\.\.)?".*" is not valid JSON$/s, '');
  const offset = syntaxErrorOffset(text);
  if (offset === undefined) return `: ${short}`;
  const before = text.slice(0, offset);
  return ` at line ${before.split('\n').length}, column ${offset - before.lastIndexOf('\n')}: ${short}`;
}

export class JsonReader {
  constructor(
    readonly file: string,
    readonly errors: ConfigError[],
    /** What the file calls its keys in messages: hvisor-tool's "key", a launch file's "attribute". */
    private readonly keyNoun: 'key' | 'attribute' = 'key',
  ) {}

  error(path: string, message: string): void {
    this.errors.push(new ConfigError(this.file, path, message));
  }

  /** JSON text to a value, or undefined after reporting why it is not JSON. */
  parse(text: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      this.error('', `not valid JSON${syntaxMessage(text, e instanceof Error ? e.message : String(e))}`);
      return undefined;
    }
  }

  /** `obj[key]`; undefined when absent, reported when `required`. */
  field(obj: JsonObject, path: string, key: string, required: boolean): unknown {
    if (Object.prototype.hasOwnProperty.call(obj, key)) return obj[key];
    if (required) this.error(keyPath(path, key), `required ${this.keyNoun} is missing`);
    return undefined;
  }

  object(value: unknown, path: string): JsonObject | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as JsonObject;
    this.error(path, `must be an object, not ${describeJson(value)}`);
    return undefined;
  }

  array(value: unknown, path: string): readonly unknown[] | undefined {
    if (Array.isArray(value)) return value;
    this.error(path, `must be an array, not ${describeJson(value)}`);
    return undefined;
  }

  string(value: unknown, path: string): string | undefined {
    if (typeof value === 'string') return value;
    this.error(path, `must be a string, not ${describeJson(value)}`);
    return undefined;
  }

  boolean(value: unknown, path: string): boolean | undefined {
    if (typeof value === 'boolean') return value;
    this.error(path, `must be true or false, not ${describeJson(value)}`);
    return undefined;
  }

  integer(value: unknown, path: string, min: number, max: number): number | undefined {
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    this.error(path, `must be an integer from ${min} to ${max}, not ${describeJson(value)}`);
    return undefined;
  }

  /** One of `choices`, with a suggestion for a near miss. */
  choice<T extends string>(value: unknown, path: string, choices: readonly T[], suggest: (word: string) => string): T | undefined {
    if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
    const list = choices.map((c) => JSON.stringify(c)).join(', ');
    this.error(path, `must be one of ${list}, not ${describeJson(value)}${typeof value === 'string' ? suggest(value) : ''}`);
    return undefined;
  }

  /** A hex string holding an unsigned value of `bits` bits. */
  hexBits(value: unknown, path: string, bits: 8 | 32 | 64): bigint | undefined {
    if (typeof value !== 'string') {
      this.error(path, `must be a hex string such as "0x1000", not ${describeJson(value)}`);
      return undefined;
    }
    const parsed = parseHexString(value);
    if ('problem' in parsed) {
      this.error(path, parsed.problem);
      return undefined;
    }
    if (parsed.value >= 1n << BigInt(bits)) {
      this.error(path, `${hex(parsed.value)} does not fit in ${bits} bits`);
      return undefined;
    }
    return parsed.value;
  }

  /** A 64-bit hex address or size the model keeps as a number. */
  address(value: unknown, path: string): number | undefined {
    const v = this.hexBits(value, path, 64);
    if (v === undefined) return undefined;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      this.error(path, `${hex(v)} is above 2^53, beyond the addresses the model handles`);
      return undefined;
    }
    return Number(v);
  }

  /** A hex string holding a value of at most 32 bits, as a number. */
  hexNumber(value: unknown, path: string, bits: 8 | 32): number | undefined {
    const v = this.hexBits(value, path, bits);
    return v === undefined ? undefined : Number(v);
  }
}

/** The object as T when every field was read, else undefined (each failure was already reported). */
export function complete<T extends object>(fields: { readonly [K in keyof T]: T[K] | undefined }): T | undefined {
  return Object.values(fields).some((v) => v === undefined) ? undefined : (fields as T);
}
