/* Prints through the PL011 registers: polling FR.TXFF before every byte (as
 * kputc does) and without polling, 8-bit and 32-bit DR writes, and reads
 * back the identification and configuration registers, which QEMU's PL011
 * and a board modelled on it must agree on. */
#include "lib.h"

static void raw_puts(const char *s) {
  while (*s) *(volatile uint8_t *)(UART_BASE + UART_DR) = (uint8_t)*s++;
}

int main(unsigned long cpu, unsigned long dtb) {
  (void)cpu;
  (void)dtb;
  kputs("uart: start (PL011 at 0x09000000)\n");
  /* Every printable character, then a long line. */
  for (int c = 32; c < 127; c++) kputc(c);
  kputc('\n');
  uint32_t seed = 99;
  for (unsigned i = 0; i < 2048; i++) kputc('a' + lcg_next(&seed) % 26);
  kputc('\n');
  for (unsigned row = 0; row < 8; row++) {
    for (unsigned col = 0; col < 16; col++) kprintf("%02x ", row * 16 + col);
    kputc('\n');
  }
  raw_puts("byte writes to DR without polling FR\n");
  /* Only DR[7:0] is the character; the upper bits of a word write are ignored. */
  static const uint32_t words[] = {0x100 | 'w', 0xf00 | 'o', 'r', 0xffffff00u | 'd', '\n'};
  for (unsigned i = 0; i < sizeof words / sizeof words[0]; i++) uart_write(UART_DR, words[i]);

  kputs("id:");
  for (unsigned r = UART_PERIPH_ID0; r <= UART_CELL_ID0 + 12; r += 4) kprintf(" %02x", uart_read(r));
  kputc('\n');
  while (!(uart_read(UART_FR) & UART_FR_TXFE)) {
  }
  kprintf("idle FR & (TXFE|TXFF|RXFE|BUSY) = %02x\n",
          uart_read(UART_FR) & (UART_FR_TXFE | UART_FR_TXFF | UART_FR_RXFE | UART_FR_BUSY));

  static const struct {
    unsigned reg;
    const char *name;
    uint32_t value;
  } regs[] = {
      {UART_IBRD, "IBRD", 0x1b}, {UART_FBRD, "FBRD", 0x21}, {UART_LCR_H, "LCR_H", 0x70},
      {UART_IFLS, "IFLS", 0x12}, {UART_IMSC, "IMSC", 0x50}, {UART_CR, "CR", 0x301},
  };
  for (unsigned i = 0; i < sizeof regs / sizeof regs[0]; i++) {
    uart_write(regs[i].reg, regs[i].value);
    kprintf("%s: wrote %x read %x\n", regs[i].name, regs[i].value, uart_read(regs[i].reg));
  }
  uart_write(UART_IMSC, 0);
  for (unsigned i = 0; i < 4; i++) kprintf("line %u after reprogramming\n", i);
  kputs("uart: done\n");
  return 0;
}
