/* Prints through the 16550 registers directly (polling LSR.THRE), checks the
 * scratch register and the idle line status, and interleaves with SBI
 * console output to show that both reach the same UART in order. */
#include "lib.h"

int main(unsigned long hartid, unsigned long dtb) {
  (void)hartid;
  (void)dtb;
  console_out = uart_putc;
  kputs("uart: start (direct 16550 at 0x10000000)\n");
  /* Every printable character, then a long line. */
  for (int c = 32; c < 127; c++) uart_putc(c);
  uart_putc('\n');
  uint32_t seed = 99;
  for (unsigned i = 0; i < 2048; i++) uart_putc('a' + lcg_next(&seed) % 26);
  uart_putc('\n');
  for (unsigned row = 0; row < 8; row++) {
    for (unsigned col = 0; col < 16; col++) kprintf("%02x ", row * 16 + col);
    kputc('\n');
  }

  uint8_t scr[4];
  static const uint8_t probes[4] = {0x00, 0x5a, 0xa5, 0xff};
  for (unsigned i = 0; i < 4; i++) {
    uart_write(UART_SCR, probes[i]);
    scr[i] = uart_read(UART_SCR);
  }
  kprintf("scratch register: %02x %02x %02x %02x\n", scr[0], scr[1], scr[2], scr[3]);

  while (!(uart_read(UART_LSR) & UART_LSR_THRE)) {
  }
  kprintf("idle LSR & (TEMT|THRE|DR) = %02x\n", uart_read(UART_LSR) & 0x61);

  for (unsigned i = 0; i < 4; i++) {
    console_out = (i & 1) ? sbi_console_putchar : uart_putc;
    kprintf("line %u via %s\n", i, (i & 1) ? "SBI putchar" : "16550");
  }
  console_out = uart_putc;
  kputs("uart: done\n");
  return 0;
}
