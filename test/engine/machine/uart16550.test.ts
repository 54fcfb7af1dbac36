import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Uart16550,
  UART_IER_DLM,
  UART_IIR_FCR,
  UART_LCR,
  UART_LSR,
  UART_MCR,
  UART_MSR,
  UART_RBR_THR_DLL,
  UART_SCR,
} from '../../../engine/machine/devices/uart16550';

function setup() {
  const out: number[] = [];
  const irqCalls: boolean[] = [];
  const uart = new Uart16550((b) => out.push(b), { set: (l) => irqCalls.push(l) });
  const rd = (reg: number): number => uart.read(reg, 1);
  const wr = (reg: number, v: number): void => uart.write(reg, 1, v);
  const irq = (): boolean => irqCalls.at(-1) ?? false;
  return { uart, out, irqCalls, rd, wr, irq };
}

test('reset values match QEMU serial', () => {
  const { rd, irqCalls } = setup();
  assert.equal(rd(UART_IER_DLM), 0);
  assert.equal(rd(UART_IIR_FCR), 0x01);
  assert.equal(rd(UART_LCR), 0);
  assert.equal(rd(UART_MCR), 0x08);
  assert.equal(rd(UART_LSR), 0x60);
  assert.equal(rd(UART_MSR), 0xb0);
  assert.equal(rd(UART_SCR), 0);
  assert.deepEqual(irqCalls, []);
});

test('THR write goes to the sink at once; LSR stays THRE|TEMT', () => {
  const { rd, wr, out } = setup();
  for (const c of 'hi\n') wr(UART_RBR_THR_DLL, c.charCodeAt(0));
  assert.deepEqual(out, [0x68, 0x69, 0x0a]);
  assert.equal(rd(UART_LSR) & 0x60, 0x60);
});

test('wide accesses use the low byte; registers repeat every 8 bytes', () => {
  const { uart, out } = setup();
  uart.write(0, 4, 0x12345641);
  assert.deepEqual(out, [0x41]);
  assert.equal(uart.read(8 + UART_LSR, 1), 0x60);
  assert.equal(uart.read(0xf8 + UART_MCR, 4), 0x08);
  uart.write(UART_SCR, 2, 0xbeef);
  assert.equal(uart.read(UART_SCR, 1), 0xef);
});

test('DLAB selects the divisor latch and hides THR/IER', () => {
  const { uart, rd, wr, out } = setup();
  assert.equal(uart.snapshot().divisor, 0x0c);
  wr(UART_LCR, 0x83);
  wr(UART_RBR_THR_DLL, 0x01);
  wr(UART_IER_DLM, 0x02);
  assert.equal(rd(UART_RBR_THR_DLL), 0x01);
  assert.equal(rd(UART_IER_DLM), 0x02);
  assert.deepEqual(out, []);
  wr(UART_LCR, 0x03);
  assert.equal(rd(UART_LCR), 0x03);
  assert.equal(rd(UART_IER_DLM), 0, 'IER untouched by DLM writes');
  assert.equal(uart.snapshot().divisor, 0x0201);
});

test('scratch register holds a byte', () => {
  const { rd, wr } = setup();
  wr(UART_SCR, 0x5a);
  assert.equal(rd(UART_SCR), 0x5a);
});

test('LSR and MSR ignore writes', () => {
  const { rd, wr } = setup();
  wr(UART_LSR, 0xff);
  wr(UART_MSR, 0x00);
  assert.equal(rd(UART_LSR), 0x60);
  assert.equal(rd(UART_MSR), 0xb0);
});

test('receive without FIFOs: one byte at a time, queue drains in order', () => {
  const { uart, rd } = setup();
  assert.equal(rd(UART_LSR) & 1, 0);
  uart.pushInput(new Uint8Array([0x61, 0x62, 0x63]));
  assert.deepEqual(uart.snapshot().rxFifo, [0x61]);
  assert.equal(uart.snapshot().backlog, 2);
  const got: number[] = [];
  while (rd(UART_LSR) & 1) got.push(rd(UART_RBR_THR_DLL));
  assert.deepEqual(got, [0x61, 0x62, 0x63]);
  assert.equal(rd(UART_LSR), 0x60);
  assert.equal(rd(UART_RBR_THR_DLL), 0x63, 'an empty 16450 holding register keeps its last byte');
});

test('received-data interrupt follows IER.ERBFI and the queue', () => {
  const { uart, rd, wr, irq, irqCalls } = setup();
  uart.pushInput([0x31, 0x32]);
  assert.equal(irq(), false, 'not enabled yet');
  wr(UART_IER_DLM, 0x01);
  assert.equal(irq(), true);
  assert.equal(rd(UART_IIR_FCR), 0x04);
  rd(UART_RBR_THR_DLL);
  assert.equal(irq(), true, 'second byte moves up');
  rd(UART_RBR_THR_DLL);
  assert.equal(irq(), false);
  assert.equal(rd(UART_IIR_FCR), 0x01);
  uart.pushInput([0x33]);
  assert.equal(irq(), true);
  wr(UART_IER_DLM, 0x00);
  assert.equal(irq(), false);
  assert.deepEqual(irqCalls, [true, false, true, false], 'the line only moves on change');
});

test('FIFO mode: IIR FIFO bits, trigger level, timeout counted as expired', () => {
  const { uart, rd, wr } = setup();
  wr(UART_IIR_FCR, 0xc1); // enable, trigger level 14
  wr(UART_IER_DLM, 0x01);
  assert.equal(rd(UART_IIR_FCR), 0xc1);
  uart.pushInput(new Uint8Array(3).fill(0x41));
  assert.equal(rd(UART_IIR_FCR), 0xcc, 'below trigger level: character timeout');
  uart.pushInput(new Uint8Array(17).fill(0x42));
  assert.equal(uart.snapshot().rxFifo.length, 16);
  assert.equal(uart.snapshot().backlog, 4);
  assert.equal(rd(UART_IIR_FCR), 0xc4, 'at or above trigger level: data available');
  const got: number[] = [];
  while (rd(UART_LSR) & 1) got.push(rd(UART_RBR_THR_DLL));
  assert.equal(got.length, 20);
  assert.equal(rd(UART_IIR_FCR), 0xc1);
  assert.equal(rd(UART_RBR_THR_DLL), 0, 'empty FIFO reads 0');
  for (const [fcr, level] of [[0x01, 1], [0x41, 4], [0x81, 8]] as const) {
    wr(UART_IIR_FCR, fcr);
    uart.pushInput(new Uint8Array(level));
    assert.equal(rd(UART_IIR_FCR), 0xc4, `trigger level ${level}`);
    wr(UART_IIR_FCR, fcr | 0x02);
    assert.equal(uart.snapshot().rxFifo.length, 0);
  }
});

test('FCR RX clear drops the FIFO, then the queue refills it', () => {
  const { uart, rd, wr } = setup();
  wr(UART_IIR_FCR, 0x01);
  uart.pushInput(Array.from({ length: 20 }, (_, i) => i));
  wr(UART_IIR_FCR, 0x03);
  assert.deepEqual(uart.snapshot().rxFifo, [16, 17, 18, 19]);
  assert.equal(rd(UART_RBR_THR_DLL), 16);
  wr(UART_IIR_FCR, 0x00);
  assert.equal(rd(UART_IIR_FCR), 0x01, 'FIFO bits clear with FIFOs off');
  assert.deepEqual(uart.snapshot().rxFifo, [], 'turning FIFOs off clears them');
});

test('THR-empty interrupt: raised by enabling, acked by IIR read, re-armed by THR write', () => {
  const { rd, wr, irq } = setup();
  wr(UART_IER_DLM, 0x02);
  assert.equal(irq(), true);
  assert.equal(rd(UART_IIR_FCR), 0x02);
  assert.equal(irq(), false, 'reading IIR acknowledges THRE');
  assert.equal(rd(UART_IIR_FCR), 0x01);
  wr(UART_RBR_THR_DLL, 0x41);
  assert.equal(irq(), true, 'transmission done: THR empty again');
  wr(UART_IER_DLM, 0x00);
  assert.equal(irq(), false);
  wr(UART_RBR_THR_DLL, 0x42);
  wr(UART_IER_DLM, 0x01);
  assert.equal(irq(), false, 'disabling ETBEI dropped the pending THRE');
});

test('IIR priority: line status > received data > THR empty', () => {
  const { uart, rd, wr, irq } = setup();
  wr(UART_MCR, 0x10); // loopback, to make an overrun
  wr(UART_IER_DLM, 0x07);
  assert.equal(rd(UART_IIR_FCR), 0x02);
  wr(UART_RBR_THR_DLL, 1);
  assert.equal(rd(UART_IIR_FCR), 0x04);
  wr(UART_RBR_THR_DLL, 2);
  assert.equal(rd(UART_IIR_FCR), 0x06, 'overrun');
  assert.equal(rd(UART_LSR), 0x63, 'DR|OE|THRE|TEMT');
  assert.equal(rd(UART_LSR), 0x61, 'reading LSR clears OE');
  assert.equal(rd(UART_IIR_FCR), 0x04);
  assert.equal(rd(UART_RBR_THR_DLL), 2, 'a 16450 overrun overwrites the holding register');
  assert.equal(irq(), true);
  assert.equal(uart.snapshot().irq, true);
  assert.equal(rd(UART_IIR_FCR), 0x02);
  assert.equal(irq(), false);
});

test('loopback: transmit comes back, modem outputs drive MSR, input waits', () => {
  const { uart, rd, wr, out } = setup();
  uart.pushInput([0x7a]);
  rd(UART_RBR_THR_DLL);
  wr(UART_IIR_FCR, 0x01);
  wr(UART_MCR, 0x10);
  uart.pushInput([0x7b]);
  assert.equal(rd(UART_LSR) & 1, 0, 'outside input is held back in loopback');
  wr(UART_RBR_THR_DLL, 0x55);
  assert.deepEqual(out, []);
  assert.equal(rd(UART_RBR_THR_DLL), 0x55);
  wr(UART_MCR, 0x10 | 0x01);
  assert.equal(rd(UART_MSR), 0x20, 'DTR→DSR');
  wr(UART_MCR, 0x10 | 0x02);
  assert.equal(rd(UART_MSR), 0x10, 'RTS→CTS');
  wr(UART_MCR, 0x10 | 0x04);
  assert.equal(rd(UART_MSR), 0x40, 'OUT1→RI');
  wr(UART_MCR, 0x10 | 0x08);
  assert.equal(rd(UART_MSR), 0x80, 'OUT2→DCD');
  wr(UART_MCR, 0x0b);
  assert.equal(rd(UART_MCR), 0x0b);
  assert.equal(rd(UART_MSR), 0xb0);
  assert.equal(rd(UART_RBR_THR_DLL), 0x7b, 'held input arrives when loopback ends');
});

test('FIFO loopback overrun keeps the FIFO contents', () => {
  const { rd, wr } = setup();
  wr(UART_IIR_FCR, 0x01);
  wr(UART_MCR, 0x10);
  for (let i = 0; i < 17; i++) wr(UART_RBR_THR_DLL, i);
  assert.equal(rd(UART_LSR) & 0x02, 0x02);
  const got: number[] = [];
  while (rd(UART_LSR) & 1) got.push(rd(UART_RBR_THR_DLL));
  assert.deepEqual(got, Array.from({ length: 16 }, (_, i) => i));
});

test('reset returns to power-on state and lowers the line', () => {
  const { uart, rd, wr, irq } = setup();
  wr(UART_IER_DLM, 0x02);
  wr(UART_SCR, 9);
  assert.equal(irq(), true);
  uart.reset();
  assert.equal(irq(), false);
  assert.equal(rd(UART_SCR), 0);
  assert.equal(rd(UART_IER_DLM), 0);
});
