// Flattened device trees (DTB version 17): a node tree with typed property
// setters and getters, phandle allocation, the memory reservation block and
// serialisation with a de-duplicated strings block. parseDtb (fdt-parse.ts)
// reads one back into the same tree.

export const FDT_MAGIC = 0xd00dfeed;
export const FDT_VERSION = 17;
export const FDT_LAST_COMPATIBLE_VERSION = 16;
export const FDT_BEGIN_NODE = 1;
export const FDT_END_NODE = 2;
export const FDT_PROP = 3;
export const FDT_NOP = 4;
export const FDT_END = 9;
export const FDT_HEADER_SIZE = 40;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/** A property: a name and its big-endian bytes, with readers for the usual encodings. */
export class FdtProperty {
  constructor(
    readonly name: string,
    readonly value: Uint8Array,
  ) {}

  private view(): DataView {
    return new DataView(this.value.buffer, this.value.byteOffset, this.value.byteLength);
  }

  /** The first 32-bit cell. */
  u32(): number {
    if (this.value.length < 4) throw new RangeError(`property ${this.name} has ${this.value.length} bytes, not a u32`);
    return this.view().getUint32(0);
  }

  /** The first two cells as one 64-bit number. */
  u64(): bigint {
    if (this.value.length < 8) throw new RangeError(`property ${this.name} has ${this.value.length} bytes, not a u64`);
    return this.view().getBigUint64(0);
  }

  /** Every 32-bit cell. */
  cells(): number[] {
    if (this.value.length % 4 !== 0) throw new RangeError(`property ${this.name} is ${this.value.length} bytes, not whole cells`);
    const v = this.view();
    return Array.from({ length: this.value.length / 4 }, (_, i) => v.getUint32(4 * i));
  }

  /** The first NUL-terminated string. */
  string(): string {
    return this.strings()[0] ?? '';
  }

  /** Every NUL-terminated string. */
  strings(): string[] {
    const out: string[] = [];
    let start = 0;
    for (let i = 0; i < this.value.length; i++) {
      if (this.value[i] === 0) {
        out.push(decoder.decode(this.value.subarray(start, i)));
        start = i + 1;
      }
    }
    if (start < this.value.length) out.push(decoder.decode(this.value.subarray(start)));
    return out;
  }
}

function cellsBytes(cells: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(4 * cells.length);
  const v = new DataView(bytes.buffer);
  cells.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0 || c > 0xffffffff) throw new RangeError(`cell ${c} is not a u32`);
    v.setUint32(4 * i, c);
  });
  return bytes;
}

function stringsBytes(list: readonly string[]): Uint8Array {
  const parts = list.map((s) => {
    if (s.includes('\0')) throw new RangeError(`device-tree string ${JSON.stringify(s)} contains NUL`);
    return encoder.encode(s);
  });
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
  let o = 0;
  for (const p of parts) {
    bytes.set(p, o);
    o += p.length + 1;
  }
  return bytes;
}

/** Splits a 64-bit value into two big-endian cells (high first). */
export function u64Cells(value: number | bigint): [number, number] {
  const v = BigInt(value);
  if (v < 0n || v >= 1n << 64n) throw new RangeError(`${v} is not a u64`);
  return [Number(v >> 32n), Number(v & 0xffffffffn)];
}

export class FdtNode {
  readonly properties: FdtProperty[] = [];
  readonly children: FdtNode[] = [];

  constructor(readonly name: string) {
    if (name.includes('/') || name.includes('\0')) throw new RangeError(`bad device-tree node name ${JSON.stringify(name)}`);
  }

  /** Adds a child node; names must be unique among siblings. */
  addNode(name: string): FdtNode {
    if (this.child(name)) throw new RangeError(`node ${this.name || '/'} already has a child ${name}`);
    const node = new FdtNode(name);
    this.children.push(node);
    return node;
  }

  child(name: string): FdtNode | undefined {
    return this.children.find((c) => c.name === name);
  }

  property(name: string): FdtProperty | undefined {
    return this.properties.find((p) => p.name === name);
  }

  /** Sets (or replaces, keeping its position) a property with raw bytes. */
  setBytes(name: string, value: Uint8Array): this {
    const prop = new FdtProperty(name, value);
    const i = this.properties.findIndex((p) => p.name === name);
    if (i >= 0) this.properties[i] = prop;
    else this.properties.push(prop);
    return this;
  }

  setEmpty(name: string): this {
    return this.setBytes(name, new Uint8Array(0));
  }

  setU32(name: string, value: number): this {
    return this.setBytes(name, cellsBytes([value]));
  }

  setU64(name: string, value: number | bigint): this {
    return this.setBytes(name, cellsBytes(u64Cells(value)));
  }

  setCells(name: string, cells: readonly number[]): this {
    return this.setBytes(name, cellsBytes(cells));
  }

  setString(name: string, value: string): this {
    return this.setBytes(name, stringsBytes([value]));
  }

  setStrings(name: string, values: readonly string[]): this {
    return this.setBytes(name, stringsBytes(values));
  }

  remove(name: string): boolean {
    const i = this.properties.findIndex((p) => p.name === name);
    if (i < 0) return false;
    this.properties.splice(i, 1);
    return true;
  }
}

export interface FdtReservation {
  readonly address: bigint;
  readonly size: bigint;
}

/** Growable big-endian byte buffer for serialisation. */
class ByteSink {
  private bytes = new Uint8Array(1024);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  u32(v: number): void {
    this.reserve(4);
    new DataView(this.bytes.buffer).setUint32(this.length, v >>> 0);
    this.length += 4;
  }

  u64(v: bigint): void {
    this.u32(Number((v >> 32n) & 0xffffffffn));
    this.u32(Number(v & 0xffffffffn));
  }

  raw(b: Uint8Array): void {
    this.reserve(b.length);
    this.bytes.set(b, this.length);
    this.length += b.length;
  }

  /** Zero bytes up to a multiple of `n`. */
  align(n: number): void {
    const pad = (n - (this.length % n)) % n;
    this.reserve(pad);
    this.bytes.fill(0, this.length, this.length + pad);
    this.length += pad;
  }

  take(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

export class DeviceTree {
  readonly root = new FdtNode('');
  readonly reservations: FdtReservation[] = [];
  bootCpuId = 0;

  /** Adds an entry to the memory reservation block. */
  reserve(address: number | bigint, size: number | bigint): void {
    this.reservations.push({ address: BigInt(address), size: BigInt(size) });
  }

  /** The node at an absolute path such as "/soc/serial@10000000". */
  find(path: string): FdtNode | undefined {
    if (!path.startsWith('/')) return undefined;
    let node: FdtNode | undefined = this.root;
    for (const part of path.split('/').filter((p) => p !== '')) {
      node = node.child(part);
      if (!node) return undefined;
    }
    return node;
  }

  /** The node's phandle, allocating the next free one (and its "phandle" property) on first use. */
  phandle(node: FdtNode): number {
    const existing = node.property('phandle');
    if (existing) return existing.u32();
    const value = this.maxPhandle(this.root) + 1;
    node.setU32('phandle', value);
    return value;
  }

  /** The node whose "phandle" property is `value`. */
  byPhandle(value: number): FdtNode | undefined {
    const visit = (node: FdtNode): FdtNode | undefined => {
      if (node.property('phandle')?.u32() === value) return node;
      for (const c of node.children) {
        const hit = visit(c);
        if (hit) return hit;
      }
      return undefined;
    };
    return visit(this.root);
  }

  private maxPhandle(node: FdtNode): number {
    let max = 0;
    const p = node.property('phandle');
    if (p && p.value.length >= 4) max = p.u32();
    for (const c of node.children) max = Math.max(max, this.maxPhandle(c));
    return max;
  }

  /** Serialises to a version-17 DTB. */
  toDtb(): Uint8Array {
    const strings = new ByteSink();
    const stringOffsets = new Map<string, number>();
    const nameOffset = (name: string): number => {
      let off = stringOffsets.get(name);
      if (off === undefined) {
        off = strings.length;
        stringOffsets.set(name, off);
        strings.raw(stringsBytes([name]));
      }
      return off;
    };
    const struct = new ByteSink();
    const emit = (node: FdtNode): void => {
      struct.u32(FDT_BEGIN_NODE);
      struct.raw(stringsBytes([node.name]));
      struct.align(4);
      for (const p of node.properties) {
        struct.u32(FDT_PROP);
        struct.u32(p.value.length);
        struct.u32(nameOffset(p.name));
        struct.raw(p.value);
        struct.align(4);
      }
      for (const c of node.children) emit(c);
      struct.u32(FDT_END_NODE);
    };
    emit(this.root);
    struct.u32(FDT_END);

    const out = new ByteSink();
    const rsvOffset = FDT_HEADER_SIZE;
    const structOffset = rsvOffset + 16 * (this.reservations.length + 1);
    const stringsOffset = structOffset + struct.length;
    const total = stringsOffset + strings.length;
    for (const v of [FDT_MAGIC, total, structOffset, stringsOffset, rsvOffset, FDT_VERSION, FDT_LAST_COMPATIBLE_VERSION, this.bootCpuId, strings.length, struct.length]) out.u32(v);
    for (const r of this.reservations) {
      out.u64(r.address);
      out.u64(r.size);
    }
    out.u64(0n);
    out.u64(0n);
    out.raw(struct.take());
    out.raw(strings.take());
    return out.take();
  }
}
