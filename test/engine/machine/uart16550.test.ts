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

test('receive without FIFOs: input waits until the guest receives, then one byte at a time in order', () => {
  const { uart, rd, wr } = setup();
  assert.equal(rd(UART_LSR) & 1, 0);
  uart.pushInput(new Uint8Array([0x61, 0x62, 0x63]));
  assert.equal(rd(UART_LSR) & 1, 0, 'FIFOs off and the received-data interrupt disabled: not receiving');
  assert.equal(rd(UART_RBR_THR_DLL), 0, 'a read while not receiving takes nothing');
  assert.equal(uart.snapshot().backlog, 3);
  wr(UART_IER_DLM, 0x01);
  assert.deepEqual(uart.snapshot().rxFifo, [], 'input enters when the guest looks');
  assert.equal(rd(UART_LSR) & 1, 1);
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
  assert.equal(rd(UART_IIR_FCR), 0xc4, 'at or above trigger level: data available');
  assert.equal(uart.snapshot().rxFifo.length, 16);
  assert.equal(uart.snapshot().backlog, 4);
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
    assert.equal(uart.snapshot().backlog, level, 'the clear gave the unread input back');
    while (rd(UART_LSR) & 1) rd(UART_RBR_THR_DLL);
  }
});

test('FCR RX clear empties the FIFO but gives unread host input back, in order', () => {
  const { uart, rd, wr } = setup();
  wr(UART_IIR_FCR, 0x01);
  uart.pushInput(Array.from({ length: 20 }, (_, i) => i));
  assert.equal(rd(UART_LSR) & 1, 1);
  assert.equal(uart.snapshot().rxFifo.length, 16);
  assert.equal(rd(UART_RBR_THR_DLL), 0);
  wr(UART_IIR_FCR, 0x03);
  assert.deepEqual(uart.snapshot().rxFifo, []);
  assert.equal(uart.snapshot().backlog, 19);
  assert.equal(rd(UART_RBR_THR_DLL), 1, 'nothing after the byte read was lost');
  wr(UART_IIR_FCR, 0x00);
  assert.equal(rd(UART_IIR_FCR), 0x01, 'FIFO bits clear with FIFOs off');
  assert.deepEqual(uart.snapshot().rxFifo, [], 'turning FIFOs off clears them');
  assert.equal(uart.snapshot().backlog, 18);
  assert.equal(rd(UART_LSR) & 1, 0, 'with FIFOs off and no interrupt the guest is not receiving');
});

test("U-Boot's start-up: input piped before the driver resets the FIFO all reaches its polling loop", () => {
  const { uart, rd, wr } = setup();
  uart.pushInput(Buffer.from('version\n'));
  // Before the driver: a stray poll with FIFOs off takes nothing.
  assert.equal(rd(UART_LSR) & 1, 0);
  wr(UART_IER_DLM, 0x00);
  wr(UART_MCR, 0x03);
  wr(UART_IIR_FCR, 0x07);
  wr(UART_LCR, 0x83);
  wr(UART_RBR_THR_DLL, 0x01);
  wr(UART_LCR, 0x03);
  assert.equal(rd(UART_LSR) & 1, 1, 'FIFOs on: the poll finds input');
  // Relocated, the driver probes again and resets the FIFO under the input.
  wr(UART_IIR_FCR, 0x07);
  let got = '';
  for (let polls = 0; polls < 100 && got.length < 8; polls++) if (rd(UART_LSR) & 1) got += String.fromCharCode(rd(UART_RBR_THR_DLL));
  assert.equal(got, 'version\n');
});

test("Linux's 8250 start-up reads RBR unconditionally with FIFOs off; nothing typed earlier is lost", () => {
  const { uart, rd, wr, irq } = setup();
  // The console enables FIFOs and polls LSR for THRE while printing.
  wr(UART_IIR_FCR, 0x01);
  uart.pushInput(Buffer.from('uname -m\n'));
  for (const c of 'boot\n') {
    rd(UART_LSR);
    wr(UART_RBR_THR_DLL, c.charCodeAt(0));
  }
  // The tty opens: clear and disable the FIFOs, read every status register, test THRE, read them again.
  wr(UART_IIR_FCR, 0x01);
  wr(UART_IIR_FCR, 0x07);
  wr(UART_IIR_FCR, 0x00);
  for (const reg of [UART_LSR, UART_RBR_THR_DLL, UART_IIR_FCR, UART_MSR, UART_LSR, UART_LSR]) rd(reg);
  wr(UART_IER_DLM, 0x02);
  rd(UART_IIR_FCR);
  wr(UART_IER_DLM, 0x00);
  for (const reg of [UART_LSR, UART_RBR_THR_DLL, UART_IIR_FCR, UART_MSR]) rd(reg);
  assert.equal(irq(), false);
  // set_termios: FIFOs on, then RDI: the waiting input interrupts.
  wr(UART_IIR_FCR, 0x81);
  wr(UART_IER_DLM, 0x05);
  assert.equal(irq(), true);
  let got = '';
  while ((rd(UART_IIR_FCR) & 0x01) === 0) while (rd(UART_LSR) & 1) got += String.fromCharCode(rd(UART_RBR_THR_DLL));
  assert.equal(got, 'uname -m\n');
  assert.equal(irq(), false);
});

test('takeInput hands the SBI console one byte at a time, receiving or not', () => {
  const { uart } = setup();
  assert.equal(uart.takeInput(), undefined);
  uart.pushInput([0x51, 0x52]);
  assert.equal(uart.takeInput(), 0x51);
  assert.equal(uart.takeInput(), 0x52);
  assert.equal(uart.takeInput(), undefined);
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
