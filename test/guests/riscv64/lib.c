/* Support library for the riscv64 test guests (see lib.h). */
#include "lib.h"

struct sbiret sbi_call(long eid, long fid, long a0, long a1, long a2) {
  register long r_a0 __asm__("a0") = a0;
  register long r_a1 __asm__("a1") = a1;
  register long r_a2 __asm__("a2") = a2;
  register long r_a6 __asm__("a6") = fid;
  register long r_a7 __asm__("a7") = eid;
  __asm__ volatile("ecall" : "+r"(r_a0), "+r"(r_a1) : "r"(r_a2), "r"(r_a6), "r"(r_a7) : "memory");
  struct sbiret r = {r_a0, r_a1};
  return r;
}

/* The legacy extensions return their result in a0 only and leave a1 alone. */
void sbi_console_putchar(int c) { sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, c, 0, 0); }

int sbi_console_getchar(void) { return (int)sbi_call(SBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0).error; }

long sbi_hart_start(unsigned long hartid, unsigned long start, unsigned long opaque) {
  return sbi_call(SBI_EXT_HSM, 0, (long)hartid, (long)start, (long)opaque).error;
}

long sbi_set_timer(uint64_t when) { return sbi_call(SBI_EXT_TIME, 0, (long)when, 0, 0).error; }

long sbi_probe(long eid) {
  struct sbiret r = sbi_call(SBI_EXT_BASE, 3, eid, 0, 0);
  return r.error ? 0 : r.value;
}

void poweroff(void) {
  /* Let the UART finish sending (LSR.TEMT): QEMU's 16550 takes time per
   * character, and a power-off while bytes are in flight loses them. */
  while (!(uart_read(UART_LSR) & UART_LSR_TEMT)) {
  }
  sbi_call(SBI_EXT_SRST, 0, 0 /* shutdown */, 0 /* no reason */, 0);
  /* Only reached if SRST is missing: say so, then stop this hart. */
  kputs("poweroff: SBI SRST returned\n");
  for (;;) __asm__ volatile("wfi");
}

uint8_t uart_read(unsigned reg) { return *(volatile uint8_t *)(UART_BASE + reg); }

void uart_write(unsigned reg, uint8_t v) { *(volatile uint8_t *)(UART_BASE + reg) = v; }

static void uart_tx(int c) {
  while (!(uart_read(UART_LSR) & UART_LSR_THRE)) {
  }
  uart_write(UART_THR, (uint8_t)c);
}

/* Same line discipline as the firmware's console: CR before LF. */
void uart_putc(int c) {
  if (c == '\n') uart_tx('\r');
  uart_tx(c);
}

void (*console_out)(int c) = sbi_console_putchar;

void kputc(int c) { console_out(c); }

/* Programs that take traps override this; anything unexpected ends the run. */
__attribute__((weak)) void trap_handler(struct trap_frame *f) {
  kprintf("unexpected trap: scause=%lx sepc=%lx stval=%lx\n", f->scause, f->sepc, f->stval);
  poweroff();
}

__attribute__((weak)) void secondary_main(unsigned long hartid, unsigned long opaque) {
  (void)hartid;
  (void)opaque;
}
