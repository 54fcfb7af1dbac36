// Physical address space: one DRAM region in a single ArrayBuffer (the CPU's
// fast path indexes its typed-array views directly) and device windows
// dispatched by address. Everything else is an access fault.

import type { FetchableDevice, MmioDevice } from './device';

export interface DeviceWindow {
  readonly base: number;
  readonly size: number;
  readonly device: MmioDevice;
}

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

/** Host must be little-endian: the typed-array views alias guest memory directly. */
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('hvisor-debug needs a little-endian host');

export class Ram {
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  /** One flag per page: translated code lives there, so stores must take the slow path. */
  readonly codePages: Uint8Array;

  constructor(readonly base: number, readonly size: number) {
    if (base % PAGE_SIZE !== 0 || size % PAGE_SIZE !== 0) throw new Error(`RAM ${base.toString(16)}+${size.toString(16)} is not page aligned`);
    const buffer = new ArrayBuffer(size);
    this.u8 = new Uint8Array(buffer);
    this.u16 = new Uint16Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.codePages = new Uint8Array(size >>> PAGE_SHIFT);
  }

  contains(pa: number, size = 1): boolean {
    return pa >= this.base && pa + size <= this.base + this.size;
  }
}

export type CodeWriteListener = (pageIndex: number) => void;

export class PhysicalMemory {
  readonly windows: DeviceWindow[] = [];
  private codeWriteListeners: CodeWriteListener[] = [];

  constructor(readonly ram: Ram) {}

  addDevice(base: number, size: number, device: MmioDevice): void {
    for (const w of this.windows) {
      if (base < w.base + w.size && w.base < base + size) throw new Error(`device ${device.name} overlaps ${w.device.name}`);
    }
    if (base < this.ram.base + this.ram.size && this.ram.base < base + size) throw new Error(`device ${device.name} overlaps RAM`);
    this.windows.push({ base, size, device });
  }

  findWindow(pa: number, size: number): DeviceWindow | undefined {
    for (const w of this.windows) if (pa >= w.base && pa + size <= w.base + w.size) return w;
    return undefined;
  }

  /** Whether a physical access of `size` bytes at `pa` reaches RAM or a device. */
  isBacked(pa: number, size: number): boolean {
    return this.ram.contains(pa, size) || this.findWindow(pa, size) !== undefined;
  }

  onCodeWrite(listener: CodeWriteListener): void {
    this.codeWriteListeners.push(listener);
  }

  /** Called by any store that may hit a page holding translated code. */
  noteRamWrite(offset: number, size: number): void {
    const first = offset >>> PAGE_SHIFT;
    const last = (offset + size - 1) >>> PAGE_SHIFT;
    for (let page = first; page <= last; page++) {
      if (this.ram.codePages[page]) {
        this.ram.codePages[page] = 0;
        for (const l of this.codeWriteListeners) l(page);
      }
    }
  }

  /** Read 1, 2, 4 or 8 bytes. Returns undefined for an access fault. */
  read(pa: number, size: 1 | 2 | 4 | 8): bigint | undefined {
    const ram = this.ram;
    if (ram.contains(pa, size)) {
      const o = pa - ram.base;
      let v = 0n;
      for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(ram.u8[o + i]!);
      return v;
    }
    const w = this.findWindow(pa, size);
    if (!w) return undefined;
    const off = pa - w.base;
    if (size === 8) {
      const lo = w.device.read(off, 4) >>> 0;
      const hi = w.device.read(off + 4, 4) >>> 0;
      return (BigInt(hi) << 32n) | BigInt(lo);
    }
    return BigInt(w.device.read(off, size) >>> 0);
  }

  /** An instruction word outside RAM, from a device that can hold code; undefined for an access fault. */
  fetch32(pa: number): number | undefined {
    const w = this.findWindow(pa, 4);
    const device = w?.device as Partial<FetchableDevice> | undefined;
    return device?.fetch32 ? device.fetch32(pa - w!.base) : undefined;
  }

  /** Write 1, 2, 4 or 8 bytes. Returns false for an access fault. */
  write(pa: number, size: 1 | 2 | 4 | 8, value: bigint): boolean {
    const ram = this.ram;
    if (ram.contains(pa, size)) {
      const o = pa - ram.base;
      for (let i = 0; i < size; i++) ram.u8[o + i] = Number((value >> BigInt(8 * i)) & 0xffn);
      this.noteRamWrite(o, size);
      return true;
    }
    const w = this.findWindow(pa, size);
    if (!w) return false;
    const off = pa - w.base;
    if (size === 8) {
      w.device.write(off, 4, Number(value & 0xffffffffn) | 0);
      w.device.write(off + 4, 4, Number((value >> 32n) & 0xffffffffn) | 0);
    } else {
      w.device.write(off, size, Number(value & 0xffffffffn) | 0);
    }
    return true;
  }

  /** Bulk copy into RAM (loaders). Throws if the range is not RAM. */
  load(pa: number, bytes: Uint8Array): void {
    if (!this.ram.contains(pa, bytes.length)) throw new RangeError(`0x${pa.toString(16)}+0x${bytes.length.toString(16)} is outside RAM`);
    const o = pa - this.ram.base;
    this.ram.u8.set(bytes, o);
    if (bytes.length > 0) this.noteRamWrite(o, bytes.length);
  }

  /** Bulk read from RAM (debugger). Bytes outside RAM come back as undefined entries. */
  readBytes(pa: number, length: number): (number | undefined)[] {
    const out: (number | undefined)[] = new Array(length);
    for (let i = 0; i < length; i++) {
      const a = pa + i;
      out[i] = this.ram.contains(a) ? this.ram.u8[a - this.ram.base] : undefined;
    }
    return out;
  }
}
