/* riscv64 board: the 16550 UART of QEMU's virt board, the time CSR at the
 * 10 MHz timebase of that board's DTB, and SBI's system reset extension. */
#include "../platform.h"

int ee_printf(const char *fmt, ...);

#define UART_BASE 0x10000000UL
#define UART_THR 0
#define UART_LSR 5
#define LSR_THRE 0x20 /* the holding register takes a byte */
#define LSR_TEMT 0x40 /* nothing left to send */

#define SBI_EXT_SRST 0x53525354
#define SRST_SHUTDOWN 0
#define SRST_NO_REASON 0

#define TIMEBASE_HZ 10000000UL

static volatile unsigned char *const uart = (volatile unsigned char *)UART_BASE;

void platform_putc(char c) {
  while (!(uart[UART_LSR] & LSR_THRE)) {
  }
  uart[UART_THR] = (unsigned char)c;
}

unsigned long platform_ticks(void) {
  unsigned long t;
  __asm__ volatile("rdtime %0" : "=r"(t));
  return t;
}

unsigned long platform_tick_hz(void) { return TIMEBASE_HZ; }

void platform_poweroff(void) {
  /* Bytes still in flight would be lost with the machine. */
  while (!(uart[UART_LSR] & LSR_TEMT)) {
  }
  register unsigned long a0 __asm__("a0") = SRST_SHUTDOWN;
  register unsigned long a1 __asm__("a1") = SRST_NO_REASON;
  register unsigned long a6 __asm__("a6") = 0;
  register unsigned long a7 __asm__("a7") = SBI_EXT_SRST;
  __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a6), "r"(a7) : "memory");
  ee_printf("SBI system reset returned %ld: the machine is still on\n", (long)a0);
  for (;;) __asm__ volatile("wfi");
}

void platform_trap(unsigned long cause, unsigned long epc, unsigned long tval) __attribute__((noreturn));
void platform_trap(unsigned long cause, unsigned long epc, unsigned long tval) {
  ee_printf("unexpected trap: scause %lx sepc %lx stval %lx\n", cause, epc, tval);
  platform_poweroff();
}
