// RISC-V ACLINT as QEMU's `virt,aclint=on` lays it out: MSWI (machine
// software interrupts), MTIMER (mtime + per-hart mtimecmp) and SSWI
// (supervisor software interrupts, which hvisor uses for its IPIs). The timer
// never fires by itself: a scheduler asks for nextDeadline() and calls update().

import type { Clock, IrqLine, MmioDevice } from '../device';

export const ACLINT_MSWI_SIZE = 0x4000;
export const ACLINT_MTIMER_SIZE = 0x8000;
/** mtime's offset inside the MTIMER window (0x200bff8 on the board). */
export const ACLINT_MTIME_OFFSET = 0x7ff8;
export const ACLINT_SSWI_SIZE = 0x4000;

const U64_MAX = (1n << 64n) - 1n;

/** One msip word per hart at 4*h; bit 0 drives that hart's MSIP line. */
export class AclintMswi implements MmioDevice {
  private readonly msip: Uint8Array;

  constructor(
    private readonly lines: readonly IrqLine[],
    readonly name = 'aclint-mswi',
  ) {
    this.msip = new Uint8Array(lines.length);
  }

  read(offset: number, size: 1 | 2 | 4): number {
    const hart = offset >>> 2;
    if (size !== 4 || offset & 3 || hart >= this.lines.length) return 0;
    return this.msip[hart]!;
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    const hart = offset >>> 2;
    if (size !== 4 || offset & 3 || hart >= this.lines.length) return;
    const bit = value & 1;
    if (bit === this.msip[hart]) return;
    this.msip[hart] = bit;
    this.lines[hart]!.set(bit === 1);
  }

  /** msip bit per hart, for the debugger. */
  snapshot(): readonly number[] {
    return Array.from(this.msip);
  }
}

/**
 * One setssip word per hart at 4*h. Writing 1 raises the hart's SSIP line (an
 * edge: set(true) sets the pending bit, the hart clears it in sip). The line is
 * never lowered from here. Reads return 0.
 */
export class AclintSswi implements MmioDevice {
  constructor(
    private readonly lines: readonly IrqLine[],
    readonly name = 'aclint-sswi',
  ) {}

  read(_offset: number, _size: 1 | 2 | 4): number {
    return 0;
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    const hart = offset >>> 2;
    if (size !== 4 || offset & 3 || hart >= this.lines.length) return;
    if (value & 1) this.lines[hart]!.set(true);
  }
}

export interface AclintMtimerSnapshot {
  readonly mtime: bigint;
  readonly mtimecmp: readonly bigint[];
  readonly mtip: readonly boolean[];
}

/**
 * mtimecmp (64-bit) per hart at 8*h and mtime at 0x7ff8. mtime is the Clock
 * plus whatever offset guest writes to mtime introduced. MTIP[h] is
 * mtime >= mtimecmp[h]; it is re-evaluated on every register write and on update().
 */
export class AclintMtimer implements MmioDevice {
  private readonly mtimecmp: bigint[];
  private readonly mtip: Uint8Array;
  /** mtime - clock.now(), changed only by guest writes to mtime. */
  private delta = 0n;

  constructor(
    private readonly clock: Clock,
    private readonly lines: readonly IrqLine[],
    readonly name = 'aclint-mtimer',
  ) {
    // Reset value is implementation-defined; all ones keeps MTIP low until software arms a compare.
    this.mtimecmp = lines.map(() => U64_MAX);
    this.mtip = new Uint8Array(lines.length);
  }

  /** Current mtime. */
  mtime(): bigint {
    return (BigInt(this.clock.now()) + this.delta) & U64_MAX;
  }

  read(offset: number, size: 1 | 2 | 4): number {
    if (size !== 4 || offset & 3) return 0;
    const word = (value: bigint): number => Number((offset & 4 ? value >> 32n : value) & 0xffffffffn);
    if ((offset & ~4) === ACLINT_MTIME_OFFSET) return word(this.mtime());
    const hart = offset >>> 3;
    if (hart >= this.lines.length) return 0;
    return word(this.mtimecmp[hart]!);
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    if (size !== 4 || offset & 3) return;
    const half = BigInt(value >>> 0);
    const merge = (old: bigint): bigint => (offset & 4 ? (old & 0xffffffffn) | (half << 32n) : (old & ~0xffffffffn) | half);
    if ((offset & ~4) === ACLINT_MTIME_OFFSET) {
      const now = BigInt(this.clock.now());
      this.delta = merge(this.mtime()) - now;
      this.update(this.clock.now());
      return;
    }
    const hart = offset >>> 3;
    if (hart >= this.lines.length) return;
    this.mtimecmp[hart] = merge(this.mtimecmp[hart]!);
    this.update(this.clock.now());
  }

  /**
   * The earliest clock time (in Clock ticks) at which a hart whose MTIP is low
   * will see it rise, or undefined if none will within the range of a number.
   * Harts already signalled need no event until their mtimecmp is rewritten.
   */
  nextDeadline(): number | undefined {
    let best: bigint | undefined;
    for (let h = 0; h < this.lines.length; h++) {
      if (this.mtip[h]) continue;
      const at = this.mtimecmp[h]! - this.delta;
      if (best === undefined || at < best) best = at;
    }
    if (best === undefined || best > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
    return best < 0n ? 0 : Number(best);
  }

  /** Set or clear each hart's MTIP for clock time `now` (Clock ticks). */
  update(now: number): void {
    const mtime = (BigInt(now) + this.delta) & U64_MAX;
    for (let h = 0; h < this.lines.length; h++) {
      const level = mtime >= this.mtimecmp[h]! ? 1 : 0;
      if (level !== this.mtip[h]) {
        this.mtip[h] = level;
        this.lines[h]!.set(level === 1);
      }
    }
  }

  snapshot(): AclintMtimerSnapshot {
    return { mtime: this.mtime(), mtimecmp: [...this.mtimecmp], mtip: Array.from(this.mtip, (m) => m !== 0) };
  }
}
