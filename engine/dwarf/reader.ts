// A bounds-checked little-endian cursor over one DWARF section: fixed-size
// integers, LEB128, C strings and the offsets whose width the unit's 32- or
// 64-bit DWARF format decides.

/** Malformed DWARF: the public API turns it into a message, never a throw. */
export class DwarfError extends Error {}

const decoder = new TextDecoder('utf-8');

export class Reader {
  private readonly view: DataView;
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    /** The section's name, for messages. */
    readonly section: string,
    pos = 0,
    /** Reads stop here (a unit's end); defaults to the section's end. */
    readonly end = bytes.length,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = pos;
    if (end > bytes.length) this.fail(`ends at 0x${end.toString(16)}, past the section's 0x${bytes.length.toString(16)} bytes`);
  }

  fail(problem: string): never {
    throw new DwarfError(`${this.section}: ${problem}`);
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** A reader over [pos, pos + length) of the same section. */
  sub(length: number): Reader {
    this.need(length);
    return new Reader(this.bytes, this.section, this.pos, this.pos + length);
  }

  need(n: number): void {
    if (n < 0 || this.pos + n > this.end) {
      this.fail(`truncated: ${n} bytes wanted at 0x${this.pos.toString(16)}, the data ends at 0x${this.end.toString(16)}`);
    }
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  u8(): number {
    this.need(1);
    return this.view.getUint8(this.pos++);
  }
  i8(): number {
    this.need(1);
    return this.view.getInt8(this.pos++);
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  i16(): number {
    this.need(2);
    const v = this.view.getInt16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u24(): number {
    const lo = this.u16();
    return lo | (this.u8() << 16);
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }
  i64(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }
  /** A 64-bit field that must fit a JavaScript number (offsets, lengths). */
  u64n(what: string): number {
    const v = this.u64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`${what} 0x${v.toString(16)} is too large`);
    return Number(v);
  }

  /** An unsigned integer of `size` bytes (1, 2, 4 or 8). */
  unsigned(size: number): bigint {
    switch (size) {
      case 1:
        return BigInt(this.u8());
      case 2:
        return BigInt(this.u16());
      case 4:
        return BigInt(this.u32());
      case 8:
        return this.u64();
      default:
        return this.fail(`unsupported field size ${size}`);
    }
  }

  /** A target address (`size` is the unit's address size). */
  address(size: number): bigint {
    return this.unsigned(size);
  }

  /** A section offset: 4 bytes in 32-bit DWARF, 8 in 64-bit. */
  offset(dwarf64: boolean): number {
    return dwarf64 ? this.u64n('offset') : this.u32();
  }

  uleb(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) return result;
    }
  }

  sleb(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) return b & 0x40 ? result - (1n << shift) : result;
    }
  }

  /** A ULEB128 that must fit a JavaScript number. */
  ulebn(): number {
    // The fast path covers the one- and two-byte values that make up nearly all of them.
    const b = this.u8();
    if ((b & 0x80) === 0) return b;
    this.pos--;
    const v = this.uleb();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`LEB128 value 0x${v.toString(16)} is too large`);
    return Number(v);
  }

  slebn(): number {
    const v = this.sleb();
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`LEB128 value ${v} is too large`);
    return Number(v);
  }

  cstring(): string {
    const start = this.pos;
    let end = start;
    while (end < this.end && this.bytes[end] !== 0) end++;
    if (end >= this.end) this.fail(`string at 0x${start.toString(16)} has no terminating NUL`);
    this.pos = end + 1;
    return decoder.decode(this.bytes.subarray(start, end));
  }

  block(length: number): Uint8Array {
    this.need(length);
    const b = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return b;
  }

  /**
   * An initial length: returns the unit's length and whether it uses the
   * 64-bit format (0xffffffff escape); 0xfffffff0-0xfffffffe are reserved.
   */
  initialLength(): { length: number; dwarf64: boolean } {
    const first = this.u32();
    if (first === 0xffffffff) return { length: this.u64n('unit length'), dwarf64: true };
    if (first >= 0xfffffff0) this.fail(`reserved unit length 0x${first.toString(16)} at 0x${(this.pos - 4).toString(16)}`);
    return { length: first, dwarf64: false };
  }
}

/** A NUL-terminated string at `offset` of a string section. */
export function stringAt(bytes: Uint8Array | undefined, offset: number, section: string): string {
  if (!bytes) throw new DwarfError(`${section} is missing, but a string refers to it`);
  if (offset >= bytes.length) throw new DwarfError(`${section}: string offset 0x${offset.toString(16)} is past its end (0x${bytes.length.toString(16)})`);
  return new Reader(bytes, section, offset).cstring();
}
