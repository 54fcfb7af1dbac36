/* Support library for the aarch64 test guests (see lib.h). */
#include "lib.h"

/* SMC Calling Convention: arguments in x0..x3, result in x0; x4..x17 may
 * come back changed. */
long psci_call(unsigned long fn, unsigned long a1, unsigned long a2, unsigned long a3) {
  register unsigned long x0 __asm__("x0") = fn;
  register unsigned long x1 __asm__("x1") = a1;
  register unsigned long x2 __asm__("x2") = a2;
  register unsigned long x3 __asm__("x3") = a3;
  __asm__ volatile("smc #0"
                   : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                   :
                   : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
                     "memory");
  return (long)x0;
}

long psci_cpu_on(unsigned long target, void (*entry)(void), unsigned long context) {
  return psci_call(PSCI_CPU_ON_64, target, (unsigned long)entry, context);
}

long psci_affinity_info(unsigned long target) { return psci_call(PSCI_AFFINITY_INFO_64, target, 0, 0); }

void poweroff(void) {
  /* Let the PL011 finish sending before the board goes away. */
  while (uart_read(UART_FR) & UART_FR_BUSY) {
  }
  psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
  kputs("poweroff: PSCI SYSTEM_OFF returned\n");
  for (;;) __asm__ volatile("wfi");
}

uint32_t uart_read(unsigned reg) { return *(volatile uint32_t *)(UART_BASE + reg); }

void uart_write(unsigned reg, uint32_t v) { *(volatile uint32_t *)(UART_BASE + reg) = v; }

/* The console is the PL011, bytes as given (no CR is added before LF). */
void kputc(int c) {
  while (uart_read(UART_FR) & UART_FR_TXFF) {
  }
  uart_write(UART_DR, (uint8_t)c);
}

/* Programs that take exceptions override this; anything unexpected ends the run. */
__attribute__((weak)) void exception_handler(struct exception_frame *f) {
  kprintf("unexpected exception: vector %lu esr %lx elr %lx far %lx\n", f->vector, f->esr, f->elr, f->far);
  poweroff();
}

__attribute__((weak)) void secondary_main(unsigned long cpu) { (void)cpu; }
