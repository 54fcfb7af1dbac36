// A CFI parallel NOR flash with the Intel/Sharp command set, as QEMU's arm
// `virt` board wires it: a 32-bit bank of two x16 devices side by side, so
// every command, status and query answer appears in both 16-bit halves of a
// word. In read-array mode the array is plain memory (and holds code: the
// firmware runs from it); a command written anywhere in the bank switches the
// bank to status, identifier or query reads until read-array is asked for
// again. Operations complete at once, so nothing depends on time. Erased
// sectors read as 0xff and take no host memory until programmed.

import type { MmioDevice } from '../device';

/** Bytes per bus cycle (the bank) and per device on it. */
const BANK_WIDTH = 4;
const DEVICE_WIDTH = 2;
const DEVICES = BANK_WIDTH / DEVICE_WIDTH;
/** CFI and identifier offsets count device-width words across the whole bank. */
const QUERY_SHIFT = Math.log2(BANK_WIDTH);

/** Commands (the low byte of a write; both devices get the same one). */
const CMD = {
  readArray: 0xff, readArrayAlt: 0x00, amdReset: 0xf0,
  program: 0x40, programAlt: 0x10, erase: 0x20, eraseAlt: 0x28, confirm: 0xd0,
  clearStatus: 0x50, lockSetup: 0x60, lock: 0x01, lockDown: 0x2f,
  readStatus: 0x70, readId: 0x90, query: 0x98, bufferedProgram: 0xe8,
} as const;

/** Status register bits. */
export const FLASH_STATUS = { ready: 0x80, eraseError: 0x20, programError: 0x10 } as const;

/** Intel's manufacturer code and the device code QEMU's virt flash answers with. */
const MANUFACTURER_ID = 0x89;
const DEVICE_ID = 0x18;
/** Largest buffered program per device: 2^11 bytes. */
const BUFFER_SHIFT_PER_DEVICE = 11;

export interface CfiFlashOptions {
  readonly name: string;
  /** Bank size in bytes. */
  readonly size: number;
  /** Erase block of the bank (both devices together). */
  readonly sectorSize: number;
}

type Mode = 'array' | 'status' | 'id' | 'query';
/** A command waiting for its next bus cycle. */
type Pending = { kind: 'program' } | { kind: 'erase' } | { kind: 'lock' } | { kind: 'bufferCount' } | { kind: 'bufferData'; left: number } | { kind: 'bufferConfirm' };

/** The CFI query table one x16 device answers with, by query offset. */
function queryTable(deviceSize: number, sectorsPerDevice: number, sectorSizePerDevice: number): Uint8Array {
  const t = new Uint8Array(0x40);
  t.set([0x51, 0x52, 0x59], 0x10); // "QRY"
  t.set([0x01, 0x00], 0x13); // primary command set: Intel/Sharp extended
  t.set([0x31, 0x00], 0x15); // primary extended table at 0x31
  t.set([0x45, 0x55], 0x1b); // Vcc 4.5 V .. 5.5 V, no Vpp pin
  t.set([0x07, 0x07, 0x0a, 0x00, 0x04, 0x04, 0x04, 0x00], 0x1f); // typical and maximum timeouts (2^n units)
  t[0x27] = Math.log2(deviceSize);
  t.set([0x02, 0x00], 0x28); // x8/x16 interface
  t.set([BUFFER_SHIFT_PER_DEVICE, 0x00], 0x2a);
  t[0x2c] = 1; // one erase-block region, uniform
  t.set([(sectorsPerDevice - 1) & 0xff, (sectorsPerDevice - 1) >> 8, (sectorSizePerDevice >> 8) & 0xff, sectorSizePerDevice >> 16], 0x2d);
  t.set([0x50, 0x52, 0x49, 0x31, 0x30], 0x31); // "PRI", version 1.0
  t[0x3f] = 1; // one protection field
  return t;
}

/** A 16-bit answer on both devices of the bank. */
const bothDevices = (value: number): number => ((value & 0xffff) * 0x10001) >>> 0;

export class CfiFlash implements MmioDevice {
  readonly name: string;
  readonly size: number;
  readonly sectorSize: number;
  /** Programmed sectors by index; a missing one is erased. */
  private readonly sectors = new Map<number, Uint8Array>();
  private readonly query: Uint8Array;
  private mode: Mode = 'array';
  private pending: Pending | undefined;
  private status = FLASH_STATUS.ready;

  constructor(options: CfiFlashOptions) {
    const { name, size, sectorSize } = options;
    if (size % sectorSize !== 0 || sectorSize % (DEVICES * 256) !== 0) throw new RangeError(`${name}: ${size} bytes do not divide into ${sectorSize}-byte sectors`);
    this.name = name;
    this.size = size;
    this.sectorSize = sectorSize;
    this.query = queryTable(size / DEVICES, size / sectorSize, sectorSize / DEVICES);
  }

  /** Put an image into the array, as a programmer would before power-on. */
  load(offset: number, bytes: Uint8Array): void {
    if (offset < 0 || offset + bytes.length > this.size) throw new RangeError(`${this.name}: ${bytes.length} bytes at 0x${offset.toString(16)} do not fit its ${this.size} bytes`);
    for (let i = 0; i < bytes.length; ) {
      const sector = this.sectorFor(offset + i);
      const at = (offset + i) % this.sectorSize;
      const n = Math.min(bytes.length - i, this.sectorSize - at);
      sector.set(bytes.subarray(i, i + n), at);
      i += n;
    }
  }

  /** The array's bytes, whatever mode the bank is in (debugger, tests). */
  arrayBytes(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length).fill(0xff);
    for (let i = 0; i < length; i++) {
      const a = offset + i;
      const sector = this.sectors.get(Math.floor(a / this.sectorSize));
      if (sector) out[i] = sector[a % this.sectorSize]!;
    }
    return out;
  }

  /** An instruction fetch: the array's word in read-array mode, undefined in any other mode. */
  fetch32(offset: number): number | undefined {
    if (this.mode !== 'array' || offset + 4 > this.size) return undefined;
    return this.arrayWord(offset, 4);
  }

  read(offset: number, size: 1 | 2 | 4): number {
    const mask = size === 4 ? 0xffffffff : (1 << (8 * size)) - 1;
    switch (this.mode) {
      case 'array':
        return this.arrayWord(offset, size);
      case 'status':
        return (bothDevices(this.status) & mask) >>> 0;
      case 'id': {
        const index = (offset >>> QUERY_SHIFT) & 0xff;
        return (bothDevices(index === 0 ? MANUFACTURER_ID : index === 1 ? DEVICE_ID : 0) & mask) >>> 0;
      }
      case 'query':
        return (bothDevices(this.query[offset >>> QUERY_SHIFT] ?? 0) & mask) >>> 0;
    }
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    const command = value & 0xff;
    const pending = this.pending;
    this.pending = undefined;
    if (pending === undefined) {
      this.command(command);
      return;
    }
    switch (pending.kind) {
      case 'program':
        this.program(offset, size, value);
        return;
      case 'erase':
        if (command === CMD.confirm) this.erase(offset);
        else this.sequenceError(command);
        return;
      case 'lock':
        // Block protection is not modelled: every block stays writable, so lock and unlock only complete.
        if (command === CMD.confirm || command === CMD.lock || command === CMD.lockDown) this.mode = 'status';
        else this.sequenceError(command);
        return;
      case 'bufferCount': {
        // Each device takes the word count minus one in its own half.
        const words = (value & 0xffff) + 1;
        if (words * BANK_WIDTH > (1 << BUFFER_SHIFT_PER_DEVICE) * DEVICES) {
          this.status |= FLASH_STATUS.programError | FLASH_STATUS.eraseError;
          this.mode = 'status';
          return;
        }
        this.pending = { kind: 'bufferData', left: words };
        return;
      }
      case 'bufferData':
        this.program(offset, size, value);
        this.pending = pending.left > 1 ? { kind: 'bufferData', left: pending.left - 1 } : { kind: 'bufferConfirm' };
        return;
      case 'bufferConfirm':
        if (command !== CMD.confirm) this.sequenceError(command);
        return;
    }
  }

  /** The first bus cycle of a command. */
  private command(command: number): void {
    switch (command) {
      case CMD.readArray:
      case CMD.readArrayAlt:
      case CMD.amdReset:
        this.mode = 'array';
        return;
      case CMD.clearStatus:
        this.status = FLASH_STATUS.ready;
        this.mode = 'array';
        return;
      case CMD.readStatus:
        this.mode = 'status';
        return;
      case CMD.readId:
        this.mode = 'id';
        return;
      case CMD.query:
        this.mode = 'query';
        return;
      case CMD.program:
      case CMD.programAlt:
        this.pending = { kind: 'program' };
        break;
      case CMD.erase:
      case CMD.eraseAlt:
        this.pending = { kind: 'erase' };
        break;
      case CMD.lockSetup:
        this.pending = { kind: 'lock' };
        break;
      case CMD.bufferedProgram:
        // The status read that follows reports the buffer free.
        this.pending = { kind: 'bufferCount' };
        break;
      default:
        // Not a command of this set: the bank goes back to reading its array.
        this.mode = 'array';
        return;
    }
    this.mode = 'status';
  }

  private sequenceError(command: number): void {
    if (command === CMD.readArray) {
      this.mode = 'array';
      return;
    }
    this.status |= FLASH_STATUS.programError | FLASH_STATUS.eraseError;
    this.mode = 'status';
  }

  /** Programming only clears bits; setting one back takes an erase. */
  private program(offset: number, size: number, value: number): void {
    if (offset + size > this.size) return;
    for (let i = 0; i < size; i++) {
      const a = offset + i;
      const sector = this.sectorFor(a);
      sector[a % this.sectorSize]! &= (value >>> (8 * i)) & 0xff;
    }
    this.mode = 'status';
  }

  private erase(offset: number): void {
    const index = Math.floor(offset / this.sectorSize);
    this.sectors.delete(index);
    this.mode = 'status';
  }

  private sectorFor(offset: number): Uint8Array {
    const index = Math.floor(offset / this.sectorSize);
    let sector = this.sectors.get(index);
    if (!sector) this.sectors.set(index, (sector = new Uint8Array(this.sectorSize).fill(0xff)));
    return sector;
  }

  private arrayWord(offset: number, size: number): number {
    const sector = this.sectors.get(Math.floor(offset / this.sectorSize));
    const mask = size === 4 ? 0xffffffff : (1 << (8 * size)) - 1;
    if (!sector) return mask >>> 0;
    const at = offset % this.sectorSize;
    let v = 0;
    // A read never crosses a sector: accesses are naturally aligned and sectors are large.
    for (let i = size - 1; i >= 0; i--) v = (v << 8) | (sector[at + i] ?? 0xff);
    return v >>> 0;
  }
}
