import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Pl011,
  PL011_CR,
  PL011_DMACR,
  PL011_DR,
  PL011_FBRD,
  PL011_FR,
  PL011_IBRD,
  PL011_ICR,
  PL011_IFLS,
  PL011_ILPR,
  PL011_IMSC,
  PL011_LCR_H,
  PL011_MIS,
  PL011_RIS,
  PL011_RSR_ECR,
  CR_LBE,
  CR_RXE,
  CR_TXE,
  CR_UARTEN,
  CR_DTR,
  FR_DSR,
  FR_RXFE,
  FR_RXFF,
  FR_TXFE,
  INT_DSR,
  INT_RT,
  INT_RX,
  INT_TX,
  LCR_H_FEN,
} from '../../../engine/machine/devices/pl011';

function uart() {
  const out: number[] = [];
  const calls: boolean[] = [];
  const dev = new Pl011((b) => out.push(b), { set: (l) => calls.push(l) });
  return { dev, out, calls };
}

test('PL011: PrimeCell ID registers and reset values', () => {
  const { dev } = uart();
  const ids = [0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map((o) => dev.read(o, 4));
  assert.deepEqual(ids, [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
  assert.equal(dev.read(PL011_FR, 4), FR_RXFE | FR_TXFE);
  assert.equal(dev.read(PL011_CR, 4), CR_RXE | CR_TXE);
  assert.equal(dev.read(PL011_IFLS, 4), 0x12);
  assert.equal(dev.read(PL011_LCR_H, 4), 0);
  assert.equal(dev.read(PL011_IMSC, 4), 0);
  assert.equal(dev.read(PL011_RIS, 4), 0);
  dev.write(0xfe0, 4, 0x55);
  assert.equal(dev.read(0xfe0, 4), 0x11, 'IDs are read-only');
});

test('PL011: plain registers keep their implemented bits', () => {
  const { dev } = uart();
  dev.write(PL011_IBRD, 4, 0x12345);
  dev.write(PL011_FBRD, 4, 0xff);
  dev.write(PL011_ILPR, 4, 0x1ff);
  dev.write(PL011_IFLS, 4, 0xff);
  dev.write(PL011_DMACR, 4, 0xff);
  dev.write(PL011_CR, 4, CR_UARTEN | CR_TXE | CR_RXE);
  assert.equal(dev.read(PL011_IBRD, 4), 0x2345);
  assert.equal(dev.read(PL011_FBRD, 4), 0x3f);
  assert.equal(dev.read(PL011_ILPR, 4), 0xff);
  assert.equal(dev.read(PL011_IFLS, 4), 0x3f);
  assert.equal(dev.read(PL011_DMACR, 4), 7);
  assert.equal(dev.read(PL011_CR, 4), 0x301);
  dev.write(PL011_FR, 4, 0);
  assert.equal(dev.read(PL011_FR, 4), FR_RXFE | FR_TXFE, 'FR is read-only');
  assert.equal(dev.read(PL011_ICR, 4), 0, 'ICR is write-only');
});

test('PL011: DR transmits to the sink and raises TX; ICR clears it', () => {
  const { dev, out, calls } = uart();
  dev.write(PL011_DR, 4, 0x141);
  assert.deepEqual(out, [0x41]);
  assert.equal(dev.read(PL011_RIS, 4), INT_TX);
  assert.equal(dev.read(PL011_MIS, 4), 0);
  assert.deepEqual(calls, [], 'masked');
  dev.write(PL011_IMSC, 4, INT_TX);
  assert.equal(dev.read(PL011_MIS, 4), INT_TX);
  assert.deepEqual(calls, [true]);
  dev.write(PL011_ICR, 4, INT_TX);
  assert.equal(dev.read(PL011_RIS, 4), 0);
  assert.deepEqual(calls, [true, false]);
  assert.equal(dev.read(PL011_FR, 4) & FR_TXFE, FR_TXFE, 'transmitter never fills');
});

const ON = CR_UARTEN | CR_TXE | CR_RXE;

/** Reads FR until the receive FIFO holds data, as a polling driver does; false when it stays empty. */
function poll(dev: Pl011): boolean {
  for (let i = 0; i < 4; i++) if (!(dev.read(PL011_FR, 4) & FR_RXFE)) return true;
  return false;
}

test('PL011: without FIFOs one byte is held; the rest waits in the input queue', () => {
  const { dev, calls } = uart();
  dev.write(PL011_CR, 4, ON);
  dev.write(PL011_IMSC, 4, INT_RX | INT_RT);
  dev.pushInput([0x61, 0x62]);
  assert.equal(dev.read(PL011_FR, 4), FR_RXFF | FR_TXFE);
  assert.equal(dev.read(PL011_RIS, 4), INT_RX);
  assert.deepEqual(calls, [true]);
  assert.equal(dev.snapshot().backlog, 1);
  assert.equal(dev.read(PL011_DR, 4), 0x61);
  assert.equal(dev.read(PL011_FR, 4), FR_RXFF | FR_TXFE, 'refilled from the queue');
  assert.equal(dev.read(PL011_DR, 4), 0x62);
  assert.equal(dev.read(PL011_FR, 4), FR_RXFE | FR_TXFE);
  assert.equal(dev.read(PL011_RIS, 4), 0);
  assert.deepEqual(calls, [true, false]);
  assert.equal(dev.read(PL011_DR, 4), 0x62, 'an empty FIFO reads the stale slot');
});

test('PL011: FIFO mode holds 16; enabling or disabling it empties the FIFO and gives unread input back', () => {
  const { dev } = uart();
  dev.write(PL011_CR, 4, ON);
  dev.write(PL011_LCR_H, 4, LCR_H_FEN | 0x60);
  const bytes = Array.from({ length: 20 }, (_, i) => i + 1);
  dev.pushInput(bytes);
  assert.equal(dev.read(PL011_FR, 4) & FR_RXFE, FR_RXFE, 'one empty FR read is not yet polling');
  assert.equal(dev.read(PL011_FR, 4) & FR_RXFF, FR_RXFF, 'the second is: the FIFO fills');
  assert.equal(dev.snapshot().rxFifo.length, 16);
  const got: number[] = [];
  while (poll(dev)) got.push(dev.read(PL011_DR, 4));
  assert.deepEqual(got, bytes);
  dev.pushInput(Array.from({ length: 18 }, (_, i) => 100 + i));
  assert.equal(poll(dev), true);
  assert.equal(dev.snapshot().rxFifo.length, 16);
  dev.write(PL011_LCR_H, 4, 0x60);
  assert.deepEqual(dev.snapshot().rxFifo, [], 'the flush empties the FIFO');
  assert.equal(dev.snapshot().backlog, 18, 'and gives the unread input back');
  assert.equal(poll(dev), true);
  assert.deepEqual(dev.snapshot().rxFifo, [100], 'the 1-byte holding register takes the first');
});

test('PL011: RX cleared by ICR stays clear until the FIFO drains and refills', () => {
  const { dev } = uart();
  dev.write(PL011_CR, 4, ON);
  dev.write(PL011_LCR_H, 4, LCR_H_FEN);
  dev.pushInput([1, 2]);
  assert.equal(poll(dev), true);
  assert.equal(dev.read(PL011_RIS, 4) & INT_RX, INT_RX);
  dev.write(PL011_ICR, 4, INT_RX);
  assert.equal(dev.read(PL011_RIS, 4) & INT_RX, 0);
  assert.equal(dev.read(PL011_DR, 4), 1);
  assert.equal(dev.read(PL011_RIS, 4) & INT_RX, 0);
  assert.equal(dev.read(PL011_DR, 4), 2);
  dev.pushInput([3]);
  assert.equal(poll(dev), true);
  assert.equal(dev.read(PL011_RIS, 4) & INT_RX, INT_RX);
});

test('PL011: input waits while the UART or its receiver is off', () => {
  const { dev } = uart();
  dev.pushInput([7]);
  assert.equal(poll(dev), false, 'the reset CR has the UART disabled');
  dev.write(PL011_CR, 4, CR_UARTEN | CR_TXE);
  assert.equal(poll(dev), false, 'receiver off');
  dev.write(PL011_CR, 4, ON);
  assert.equal(poll(dev), true);
  assert.equal(dev.read(PL011_DR, 4), 7);
});

test("PL011: Linux's start-up drains the FIFO with the interrupt masked; input typed earlier waits and then interrupts", () => {
  const { dev, calls } = uart();
  // Console: FIFOs on, interrupts masked, FR read before each character.
  dev.write(PL011_CR, 4, ON);
  dev.write(PL011_LCR_H, 4, LCR_H_FEN | 0x60);
  dev.write(PL011_IMSC, 4, 0);
  dev.pushInput(Buffer.from('uname -m\n'));
  for (const c of 'boot\n') {
    dev.read(PL011_FR, 4);
    dev.write(PL011_DR, 4, c.charCodeAt(0));
  }
  dev.read(PL011_FR, 4);
  dev.write(PL011_CR, 4, ON);
  // The tty opens: hwinit unmasks RX for a moment, allocate_irq masks again, then the drain.
  dev.write(PL011_ICR, 4, 0x7f0);
  dev.read(PL011_IMSC, 4);
  dev.write(PL011_IMSC, 4, INT_RT | INT_RX);
  dev.write(PL011_IMSC, 4, 0);
  dev.write(PL011_CR, 4, ON);
  dev.read(PL011_FR, 4);
  dev.write(PL011_ICR, 4, INT_RT | INT_RX);
  let drained = 0;
  for (let i = 0; i < 32 && !(dev.read(PL011_FR, 4) & FR_RXFE); i++) drained++, dev.read(PL011_DR, 4);
  assert.equal(drained, 0, 'nothing host-typed was in the FIFO to drain');
  dev.write(PL011_IMSC, 4, INT_RT | INT_RX);
  assert.equal(calls.at(-1), true, 'the waiting input interrupts');
  let got = '';
  while (dev.read(PL011_RIS, 4) & INT_RX) while (!(dev.read(PL011_FR, 4) & FR_RXFE)) got += String.fromCharCode(dev.read(PL011_DR, 4) & 0xff);
  assert.equal(got, 'uname -m\n');
  assert.equal(calls.at(-1), false);
});

test('PL011: loopback feeds TX back to RX and wires modem outputs to FR', () => {
  const { dev, out } = uart();
  dev.write(PL011_CR, 4, CR_UARTEN | CR_TXE | CR_RXE | CR_LBE | CR_DTR);
  assert.equal(dev.read(PL011_FR, 4) & FR_DSR, FR_DSR);
  assert.equal(dev.read(PL011_RIS, 4) & INT_DSR, INT_DSR);
  dev.pushInput([0x7a]);
  dev.write(PL011_DR, 4, 0x55);
  assert.deepEqual(out, [0x55]);
  assert.equal(dev.read(PL011_DR, 4), 0x55);
  dev.write(PL011_CR, 4, CR_UARTEN | CR_TXE | CR_RXE);
  assert.equal(poll(dev), true, 'queued input arrives once loopback ends');
  assert.equal(dev.read(PL011_DR, 4), 0x7a);
});

test('PL011: RSR reports the error bits of the last character; ECR writes clear it', () => {
  const { dev } = uart();
  dev.write(PL011_CR, 4, CR_UARTEN | CR_TXE | CR_RXE | CR_LBE);
  dev.write(PL011_LCR_H, 4, 0x01);
  assert.equal(dev.read(PL011_DR, 4), 0x400, 'break received');
  assert.equal(dev.read(PL011_RSR_ECR, 4), 0x4);
  dev.write(PL011_RSR_ECR, 4, 0);
  assert.equal(dev.read(PL011_RSR_ECR, 4), 0);
});

test('PL011: the line follows RIS & IMSC, and snapshot has no side effects', () => {
  const { dev, calls } = uart();
  dev.write(PL011_CR, 4, ON);
  dev.pushInput([1]);
  dev.write(PL011_IMSC, 4, INT_TX);
  assert.deepEqual(calls, []);
  dev.write(PL011_IMSC, 4, INT_RX);
  assert.deepEqual(calls, [true]);
  const snap = dev.snapshot();
  assert.equal(snap.irq, true);
  assert.deepEqual(snap.rxFifo, [], 'the input waits for the guest to look');
  assert.equal(snap.backlog, 1);
  assert.equal(snap.mis, INT_RX);
  assert.equal(dev.read(PL011_FR, 4) & FR_RXFE, 0);
  assert.deepEqual(dev.snapshot().rxFifo, [1]);
  dev.reset();
  assert.deepEqual(calls, [true, false]);
  assert.equal(dev.read(PL011_IMSC, 4), 0);
});
