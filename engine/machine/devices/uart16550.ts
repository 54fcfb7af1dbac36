// The 16550A UART that QEMU's riscv `virt` puts at 0x10000000: eight byte-wide
// registers repeated across its window. Transmission is instant, so nothing
// here depends on time.
//
// Host input waits in a backlog and enters the receiver only while the guest
// is receiving: its FIFOs are on (firmware such as U-Boot polls LSR with them
// on) or its received-data interrupt is enabled (Linux enables IER.RDI once
// the tty is open, after start-up code that clears the FIFOs with them off
// and reads RBR unconditionally). It enters when the guest looks at the
// receiver (reads RBR, IIR or LSR), so where it enters depends only on what
// the guest does. A FIFO reset gives unread host input back to the backlog.

import { InputBacklog } from './input-backlog';
import type { IrqLine, MmioDevice } from '../device';

/** The window QEMU virt gives the UART; the eight registers repeat across it. */
export const UART16550_WINDOW_SIZE = 0x100;

/** Register offsets (DLAB selects DLL/DLM at 0 and 1). */
export const UART_RBR_THR_DLL = 0;
export const UART_IER_DLM = 1;
export const UART_IIR_FCR = 2;
export const UART_LCR = 3;
export const UART_MCR = 4;
export const UART_LSR = 5;
export const UART_MSR = 6;
export const UART_SCR = 7;

export const IER_ERBFI = 0x01;
export const IER_ETBEI = 0x02;
export const IER_ELSI = 0x04;
export const IER_EDSSI = 0x08;

/** IIR interrupt identification values (low nibble). */
export const IIR_NONE = 0x01;
export const IIR_LINE_STATUS = 0x06;
export const IIR_RX_DATA = 0x04;
export const IIR_RX_TIMEOUT = 0x0c;
export const IIR_THR_EMPTY = 0x02;
export const IIR_MODEM_STATUS = 0x00;
export const IIR_FIFOS_ENABLED = 0xc0;

export const FCR_ENABLE = 0x01;
export const FCR_CLEAR_RX = 0x02;
export const FCR_CLEAR_TX = 0x04;

export const LCR_DLAB = 0x80;
export const MCR_LOOPBACK = 0x10;

export const LSR_DR = 0x01;
export const LSR_OE = 0x02;
export const LSR_BI = 0x10;
export const LSR_THRE = 0x20;
export const LSR_TEMT = 0x40;
const LSR_ERRORS = 0x1e;

export const MSR_CTS = 0x10;
export const MSR_DSR = 0x20;
export const MSR_RI = 0x40;
export const MSR_DCD = 0x80;

export const UART_FIFO_DEPTH = 16;
const TRIGGER_LEVELS = [1, 4, 8, 14] as const;
/** Marks a receive-FIFO entry that came from the host (not looped back), so a reset can give it back. */
const HOST_BYTE = 0x100;

/** Every register as the guest would read it, without read side effects. */
export interface Uart16550Snapshot {
  readonly ier: number;
  readonly iir: number;
  readonly fcr: number;
  readonly lcr: number;
  readonly mcr: number;
  readonly lsr: number;
  readonly msr: number;
  readonly scr: number;
  readonly divisor: number;
  readonly irq: boolean;
  /** Bytes in the receive FIFO (what the guest can read now). */
  readonly rxFifo: readonly number[];
  /** Input queued behind the FIFO. */
  readonly backlog: number;
}

export class Uart16550 implements MmioDevice {
  private ier = 0;
  private fcr = 0;
  private lcr = 0;
  private mcr = 0;
  private scr = 0;
  private divisor = 0;
  private errors = 0;
  private lastRx = 0;
  private thrInterrupt = false;
  private iir = IIR_NONE;
  private irqLevel = false;
  private rx: number[] = [];
  private readonly backlog = new InputBacklog();

  constructor(
    private readonly output: (byte: number) => void,
    private readonly irq: IrqLine,
    readonly name = 'uart16550',
  ) {
    this.reset();
  }

  /** Power-on state (QEMU's: 9600 8N1 divisor, OUT2 set, FIFOs off); unread host input goes back to the backlog. */
  reset(): void {
    this.clearRx();
    this.ier = 0;
    this.fcr = 0;
    this.lcr = 0;
    this.mcr = 0x08;
    this.scr = 0;
    this.divisor = 0x0c;
    this.errors = 0;
    this.lastRx = 0;
    this.thrInterrupt = false;
    this.update();
  }

  /** Queue input for the guest; it enters the receiver as the guest receives it. */
  pushInput(bytes: Uint8Array | readonly number[]): void {
    this.backlog.push(bytes);
    this.update();
  }

  /**
   * One byte for a reader that asks for it now (the SBI console's getchar),
   * receiving or not; undefined when there is none.
   */
  takeInput(): number | undefined {
    if (this.rx.length === 0 && !this.loopback) this.backlog.drain((b) => this.rx.length === 0 && this.rx.push(b | HOST_BYTE) > 0);
    return this.rx.length > 0 ? this.readRbr() : undefined;
  }

  read(offset: number, _size: 1 | 2 | 4): number {
    switch (offset & 7) {
      case UART_RBR_THR_DLL:
        return this.lcr & LCR_DLAB ? this.divisor & 0xff : this.readRbr();
      case UART_IER_DLM:
        return this.lcr & LCR_DLAB ? this.divisor >>> 8 : this.ier;
      case UART_IIR_FCR: {
        this.look();
        const value = this.iir;
        // Reading IIR while it reports THR-empty acknowledges that interrupt.
        if ((value & 0x0f) === IIR_THR_EMPTY) {
          this.thrInterrupt = false;
          this.update();
        }
        return value;
      }
      case UART_LCR:
        return this.lcr;
      case UART_MCR:
        return this.mcr;
      case UART_LSR: {
        this.look();
        const value = this.lsr();
        if (this.errors) {
          this.errors = 0;
          this.update();
        }
        return value;
      }
      case UART_MSR:
        return this.msr();
      default:
        return this.scr;
    }
  }

  write(offset: number, _size: 1 | 2 | 4, value: number): void {
    const v = value & 0xff;
    switch (offset & 7) {
      case UART_RBR_THR_DLL:
        if (this.lcr & LCR_DLAB) this.divisor = (this.divisor & 0xff00) | v;
        else this.transmit(v);
        return;
      case UART_IER_DLM:
        if (this.lcr & LCR_DLAB) this.divisor = (this.divisor & 0x00ff) | (v << 8);
        else this.writeIer(v);
        return;
      case UART_IIR_FCR:
        this.writeFcr(v);
        return;
      case UART_LCR:
        this.lcr = v;
        return;
      case UART_MCR: {
        const wasLoop = this.mcr & MCR_LOOPBACK;
        this.mcr = v & 0x1f;
        if (wasLoop && !(this.mcr & MCR_LOOPBACK)) this.update();
        return;
      }
      case UART_SCR:
        this.scr = v;
        return;
      default:
        // LSR and MSR are read-only.
        return;
    }
  }

  snapshot(): Uart16550Snapshot {
    return {
      ier: this.ier,
      iir: this.iir,
      fcr: this.fcr,
      lcr: this.lcr,
      mcr: this.mcr,
      lsr: this.lsr(),
      msr: this.msr(),
      scr: this.scr,
      divisor: this.divisor,
      irq: this.irqLevel,
      rxFifo: this.rx.map((b) => b & 0xff),
      backlog: this.backlog.size,
    };
  }

  private get fifoEnabled(): boolean {
    return (this.fcr & FCR_ENABLE) !== 0;
  }

  private get loopback(): boolean {
    return (this.mcr & MCR_LOOPBACK) !== 0;
  }

  /** Without FIFOs the receiver holds one byte, as a 16450 would. */
  private get rxCapacity(): number {
    return this.fifoEnabled ? UART_FIFO_DEPTH : 1;
  }

  private lsr(): number {
    // The transmitter is always idle: every byte leaves on the write that sends it.
    return (this.rx.length > 0 ? LSR_DR : 0) | this.errors | LSR_THRE | LSR_TEMT;
  }

  private msr(): number {
    if (!this.loopback) return MSR_DCD | MSR_DSR | MSR_CTS;
    // Loopback wires the modem outputs back to the inputs: DTR→DSR, RTS→CTS, OUT1→RI, OUT2→DCD.
    const m = this.mcr;
    return ((m & 0x01) << 5) | ((m & 0x02) << 3) | ((m & 0x04) << 4) | ((m & 0x08) << 4);
  }

  /** Host input enters while FIFOs are on or the received-data interrupt is enabled. */
  private get receiving(): boolean {
    return !this.loopback && (this.fifoEnabled || (this.ier & IER_ERBFI) !== 0);
  }

  /** The guest reads the receiver's state: waiting input enters, if it is receiving. */
  private look(): void {
    if (this.backlog.size === 0 || !this.receiving) return;
    const capacity = this.rxCapacity;
    this.backlog.drain((b) => this.rx.length < capacity && this.rx.push(b | HOST_BYTE) > 0);
    this.update();
  }

  private readRbr(): number {
    this.look();
    if (this.rx.length > 0) this.lastRx = this.rx.shift()! & 0xff;
    else if (this.fifoEnabled) this.lastRx = 0;
    this.update();
    return this.lastRx;
  }

  /** Empty the receiver; host bytes the guest never read go back to the backlog. */
  private clearRx(): void {
    this.backlog.giveBack(this.rx.filter((b) => b & HOST_BYTE));
    this.rx = [];
  }

  private transmit(byte: number): void {
    if (this.loopback) this.receiveLooped(byte);
    else this.output(byte);
    // The byte is gone at once, so THR is empty again and may interrupt.
    this.thrInterrupt = true;
    this.update();
  }

  private receiveLooped(byte: number): void {
    if (this.rx.length < this.rxCapacity) this.rx.push(byte);
    else {
      this.errors |= LSR_OE;
      // A 16450 overwrites its holding register; a full FIFO keeps what it has.
      if (!this.fifoEnabled) this.rx[0] = byte;
    }
  }

  private writeIer(v: number): void {
    const changed = (this.ier ^ v) & 0x0f;
    this.ier = v & 0x0f;
    // Enabling ETBEI while THR is empty raises the THR-empty interrupt (drivers rely on it).
    if (changed & IER_ETBEI) this.thrInterrupt = (this.ier & IER_ETBEI) !== 0;
    if (changed) this.update();
  }

  private writeFcr(v: number): void {
    let command = v;
    if ((command ^ this.fcr) & FCR_ENABLE) command |= FCR_CLEAR_RX | FCR_CLEAR_TX;
    if (command & FCR_CLEAR_RX) this.clearRx();
    this.fcr = command & 0xc9;
    this.update();
  }

  /** Recompute IIR and the interrupt line, highest-priority cause first. */
  private update(): void {
    const count = this.rx.length;
    const trigger = TRIGGER_LEVELS[this.fcr >>> 6]!;
    // Input waiting for an interrupt-driven receiver interrupts as if it had arrived, so the guest comes to look.
    const waiting = count === 0 && !this.loopback && this.backlog.size > 0;
    let id = IIR_NONE;
    if (this.ier & IER_ELSI && this.errors & LSR_ERRORS) id = IIR_LINE_STATUS;
    else if (this.ier & IER_ERBFI && (count > 0 || waiting)) {
      // Below the trigger level the character timeout would fire after a few
      // character times; with no time here it counts as already expired.
      id = this.fifoEnabled && count < trigger ? IIR_RX_TIMEOUT : IIR_RX_DATA;
    } else if (this.ier & IER_ETBEI && this.thrInterrupt) id = IIR_THR_EMPTY;
    this.iir = id | (this.fifoEnabled ? IIR_FIFOS_ENABLED : 0);
    const level = id !== IIR_NONE;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.irq.set(level);
    }
  }
}
