// The ARM PrimeCell PL011 UART that QEMU's arm `virt` puts at 0x09000000.
// Transmission is instant (TXFE always set, BUSY and TXFF never), so nothing
// here depends on time. As in QEMU the receive interrupt fires at one
// character whatever IFLS says, and the receive-timeout status is never
// raised by the device (the guest can still mask and clear it).
//
// Host input waits in a backlog and enters the receive FIFO only while the
// guest is receiving, when it looks at the receiver: with the UART and its
// receiver enabled, either its receive interrupt is unmasked (Linux, once the
// tty is open: it drains the FIFO at start-up with the interrupt masked) or
// it polls FR again after finding the FIFO empty (firmware such as U-Boot,
// with interrupts masked). A flush (FEN changed, reset) gives unread host
// input back to the backlog. Where input enters depends only on the guest.

import { InputBacklog } from './input-backlog';
import type { IrqLine, MmioDevice } from '../device';

export const PL011_WINDOW_SIZE = 0x1000;

export const PL011_DR = 0x00;
export const PL011_RSR_ECR = 0x04;
export const PL011_FR = 0x18;
export const PL011_ILPR = 0x20;
export const PL011_IBRD = 0x24;
export const PL011_FBRD = 0x28;
export const PL011_LCR_H = 0x2c;
export const PL011_CR = 0x30;
export const PL011_IFLS = 0x34;
export const PL011_IMSC = 0x38;
export const PL011_RIS = 0x3c;
export const PL011_MIS = 0x40;
export const PL011_ICR = 0x44;
export const PL011_DMACR = 0x48;
export const PL011_ID_BASE = 0xfe0;

/** UARTPeriphID0-3 then UARTPCellID0-3, one byte per word from 0xFE0. */
export const PL011_ID = [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1] as const;

export const FR_CTS = 0x01;
export const FR_DSR = 0x02;
export const FR_DCD = 0x04;
export const FR_BUSY = 0x08;
export const FR_RXFE = 0x10;
export const FR_TXFF = 0x20;
export const FR_RXFF = 0x40;
export const FR_TXFE = 0x80;
export const FR_RI = 0x100;

export const LCR_H_BRK = 0x01;
export const LCR_H_FEN = 0x10;

export const CR_UARTEN = 0x001;
export const CR_LBE = 0x080;
export const CR_TXE = 0x100;
export const CR_RXE = 0x200;
export const CR_DTR = 0x400;
export const CR_RTS = 0x800;
export const CR_OUT1 = 0x1000;
export const CR_OUT2 = 0x2000;

export const INT_RI = 1 << 0;
export const INT_CTS = 1 << 1;
export const INT_DCD = 1 << 2;
export const INT_DSR = 1 << 3;
export const INT_RX = 1 << 4;
export const INT_TX = 1 << 5;
export const INT_RT = 1 << 6;
export const INT_FE = 1 << 7;
export const INT_PE = 1 << 8;
export const INT_BE = 1 << 9;
export const INT_OE = 1 << 10;
const INT_MODEM = INT_RI | INT_CTS | INT_DCD | INT_DSR;
const INT_ALL = 0x7ff;

/** DR bit 10: a break was received with this character. */
export const DR_BREAK = 0x400;

export const PL011_FIFO_DEPTH = 16;
/** Marks a FIFO word that came from the host (not looped back), so a flush can give it back. */
const HOST_WORD = 0x10000;

export interface Pl011Snapshot {
  readonly fr: number;
  readonly rsr: number;
  readonly ilpr: number;
  readonly ibrd: number;
  readonly fbrd: number;
  readonly lcrH: number;
  readonly cr: number;
  readonly ifls: number;
  readonly imsc: number;
  readonly ris: number;
  readonly mis: number;
  readonly dmacr: number;
  readonly irq: boolean;
  /** Data words in the receive FIFO, oldest first (bits 11:8 are error flags). */
  readonly rxFifo: readonly number[];
  /** Input queued behind the FIFO. */
  readonly backlog: number;
}

export class Pl011 implements MmioDevice {
  private flags = 0;
  private lcrH = 0;
  private rsr = 0;
  private cr = 0;
  private dmacr = 0;
  private imsc = 0;
  private ris = 0;
  private ilpr = 0;
  private ibrd = 0;
  private fbrd = 0;
  private ifls = 0;
  /** A ring like the hardware's, so reading DR while empty returns what the slot last held. */
  private readonly fifo = new Uint32Array(PL011_FIFO_DEPTH);
  private readPos = 0;
  private readCount = 0;
  private irqLevel = false;
  /** The last access read FR and found the receive FIFO empty: another such read is polling for input. */
  private polledEmpty = false;
  private readonly backlog = new InputBacklog();

  constructor(
    private readonly output: (byte: number) => void,
    private readonly irq: IrqLine,
    readonly name = 'pl011',
  ) {
    this.reset();
  }

  /** Power-on state: 8-bit words, FIFOs off, TX and RX enabled but the UART disabled, IFLS half-full. */
  reset(): void {
    this.lcrH = 0;
    this.rsr = 0;
    this.dmacr = 0;
    this.imsc = 0;
    this.ris = 0;
    this.ilpr = 0;
    this.ibrd = 0;
    this.fbrd = 0;
    this.ifls = 0x12;
    this.cr = CR_RXE | CR_TXE;
    this.flags = FR_TXFE;
    this.resetRx();
    this.fifo.fill(0);
    this.polledEmpty = false;
    this.update();
  }

  /** Queue input for the guest; it enters the FIFO as the guest receives it. */
  pushInput(bytes: Uint8Array | readonly number[]): void {
    this.backlog.push(bytes);
    this.update();
  }

  read(offset: number, _size: 1 | 2 | 4): number {
    const reg = offset & ~3;
    const polled = this.polledEmpty;
    this.polledEmpty = false;
    if (reg >= PL011_ID_BASE && reg < PL011_WINDOW_SIZE) return PL011_ID[(reg - PL011_ID_BASE) >>> 2]!;
    switch (reg) {
      case PL011_DR:
        this.look(false);
        return this.readDr();
      case PL011_RSR_ECR:
        return this.rsr;
      case PL011_FR:
        this.look(polled);
        this.polledEmpty = (this.flags & FR_RXFE) !== 0;
        return this.flags;
      case PL011_ILPR:
        return this.ilpr;
      case PL011_IBRD:
        return this.ibrd;
      case PL011_FBRD:
        return this.fbrd;
      case PL011_LCR_H:
        return this.lcrH;
      case PL011_CR:
        return this.cr;
      case PL011_IFLS:
        return this.ifls;
      case PL011_IMSC:
        return this.imsc;
      case PL011_RIS:
        this.look(false);
        return this.ris;
      case PL011_MIS:
        this.look(false);
        return this.ris & this.imsc;
      case PL011_DMACR:
        return this.dmacr;
      default:
        // ICR is write-only; holes read as zero.
        return 0;
    }
  }

  write(offset: number, _size: 1 | 2 | 4, value: number): void {
    const v = value >>> 0;
    this.polledEmpty = false;
    switch (offset & ~3) {
      case PL011_DR:
        this.transmit(v & 0xff);
        return;
      case PL011_RSR_ECR:
        // Any write to ECR clears the error status.
        this.rsr = 0;
        return;
      case PL011_ILPR:
        this.ilpr = v & 0xff;
        return;
      case PL011_IBRD:
        this.ibrd = v & 0xffff;
        return;
      case PL011_FBRD:
        this.fbrd = v & 0x3f;
        return;
      case PL011_LCR_H:
        this.writeLcrH(v & 0xff);
        return;
      case PL011_CR:
        this.cr = v & 0xffff;
        this.loopbackModem();
        this.update();
        return;
      case PL011_IFLS:
        this.ifls = v & 0x3f;
        return;
      case PL011_IMSC:
        this.imsc = v & INT_ALL;
        this.update();
        return;
      case PL011_ICR:
        this.ris &= ~v;
        this.update();
        return;
      case PL011_DMACR:
        // Stored only: there is no DMA engine behind it.
        this.dmacr = v & 0x7;
        return;
      default:
        // FR, RIS, MIS and the ID registers are read-only.
        return;
    }
  }

  snapshot(): Pl011Snapshot {
    const rxFifo: number[] = [];
    for (let i = 0; i < this.readCount; i++) rxFifo.push(this.fifo[(this.readPos + i) & (this.depth - 1)]! & ~HOST_WORD);
    return {
      fr: this.flags,
      rsr: this.rsr,
      ilpr: this.ilpr,
      ibrd: this.ibrd,
      fbrd: this.fbrd,
      lcrH: this.lcrH,
      cr: this.cr,
      ifls: this.ifls,
      imsc: this.imsc,
      ris: this.ris,
      mis: this.ris & this.imsc,
      dmacr: this.dmacr,
      irq: this.irqLevel,
      rxFifo,
      backlog: this.backlog.size,
    };
  }

  private get depth(): number {
    return this.lcrH & LCR_H_FEN ? PL011_FIFO_DEPTH : 1;
  }

  private get loopback(): boolean {
    return (this.cr & CR_LBE) !== 0;
  }

  /** Host input enters with the UART and its receiver on and not looped back. */
  private get receiverOn(): boolean {
    return (this.cr & (CR_UARTEN | CR_RXE | CR_LBE)) === (CR_UARTEN | CR_RXE);
  }

  /** Receiving by interrupt: the receive interrupts are unmasked. */
  private get armed(): boolean {
    return this.receiverOn && (this.imsc & (INT_RX | INT_RT)) !== 0;
  }

  /** The guest reads the receiver's state: waiting input enters if it is receiving (`polling`: a repeated empty FR read). */
  private look(polling: boolean): void {
    if (this.backlog.size === 0 || !(this.armed || (polling && this.receiverOn))) return;
    this.backlog.drain((b) => this.putFifo(b | HOST_WORD));
    this.update();
  }

  private readDr(): number {
    this.flags &= ~FR_RXFF;
    const word = this.fifo[this.readPos]! & ~HOST_WORD;
    if (this.readCount > 0) {
      this.readCount--;
      this.readPos = (this.readPos + 1) & (this.depth - 1);
    }
    if (this.readCount === 0) {
      this.flags |= FR_RXFE;
      // The trigger is one character, so the RX condition ends with the last one.
      this.ris &= ~INT_RX;
    }
    this.rsr = (word >>> 8) & 0xf;
    this.update();
    return word;
  }

  private transmit(byte: number): void {
    this.output(byte);
    if (this.loopback) this.putFifo(byte);
    // The byte is gone at once, so the transmit FIFO is at its trigger level again.
    this.ris |= INT_TX;
    this.update();
  }

  private writeLcrH(v: number): void {
    if ((this.lcrH ^ v) & LCR_H_FEN) {
      this.lcrH = v;
      this.resetRx();
    }
    if ((this.lcrH ^ v) & LCR_H_BRK && v & LCR_H_BRK && this.loopback) this.putFifo(DR_BREAK);
    this.lcrH = v;
    this.update();
  }

  /** In loopback the modem outputs in CR drive the FR inputs and their status interrupts. */
  private loopbackModem(): void {
    if (!this.loopback) return;
    const cr = this.cr;
    let fr = this.flags & ~(FR_RI | FR_DCD | FR_CTS | FR_DSR);
    let ris = this.ris & ~INT_MODEM;
    if (cr & CR_OUT2) (fr |= FR_RI), (ris |= INT_RI);
    if (cr & CR_OUT1) (fr |= FR_DCD), (ris |= INT_DCD);
    if (cr & CR_RTS) (fr |= FR_CTS), (ris |= INT_CTS);
    if (cr & CR_DTR) (fr |= FR_DSR), (ris |= INT_DSR);
    this.flags = fr;
    this.ris = ris;
    this.update();
  }

  /** Empty the receive FIFO; host bytes the guest never read go back to the backlog. */
  private resetRx(): void {
    const unread: number[] = [];
    for (let i = 0; i < this.readCount; i++) {
      const word = this.fifo[(this.readPos + i) % PL011_FIFO_DEPTH]!;
      if (word & HOST_WORD) unread.push(word & 0xff);
    }
    this.backlog.giveBack(unread);
    this.readCount = 0;
    this.readPos = 0;
    this.flags = (this.flags & ~FR_RXFF) | FR_RXFE;
  }

  /** Returns false (dropping the word) when the FIFO is full. */
  private putFifo(word: number): boolean {
    const depth = this.depth;
    if (this.readCount >= depth) return false;
    this.fifo[(this.readPos + this.readCount) & (depth - 1)] = word;
    this.readCount++;
    this.flags &= ~FR_RXFE;
    if (this.readCount === depth) this.flags |= FR_RXFF;
    // Raised on reaching the one-character trigger, so an ICR clear holds until the FIFO drains.
    if (this.readCount === 1) this.ris |= INT_RX;
    return true;
  }

  private update(): void {
    // Input waiting for an interrupt-driven receiver raises RX as if it had arrived, so the guest comes to look.
    if (this.armed && this.readCount === 0 && this.backlog.size > 0) this.ris |= INT_RX;
    const level = (this.ris & this.imsc) !== 0;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.irq.set(level);
    }
  }
}
