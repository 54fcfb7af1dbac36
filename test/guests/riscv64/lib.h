/* Freestanding support for the riscv64 test guests: SBI calls, console output,
 * a small printf, the mem* functions gcc expects, and the trap-frame layout
 * shared with start.S. */
#ifndef GUEST_LIB_H
#define GUEST_LIB_H

#include <stddef.h>
#include <stdint.h>

#include "console.h"
#include "lcg.h"
#include "mem.h"

#define MAX_HARTS 4

struct sbiret {
  long error;
  long value;
};

#define SBI_EXT_BASE 0x10
#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_LEGACY_GETCHAR 0x02
#define SBI_EXT_TIME 0x54494D45
#define SBI_EXT_HSM 0x48534D
#define SBI_EXT_SRST 0x53525354

struct sbiret sbi_call(long eid, long fid, long a0, long a1, long a2);
void sbi_console_putchar(int c);
int sbi_console_getchar(void);
long sbi_hart_start(unsigned long hartid, unsigned long start, unsigned long opaque);
long sbi_set_timer(uint64_t when);
long sbi_probe(long eid);
__attribute__((noreturn)) void poweroff(void);

/* Direct 16550 access (QEMU virt: 0x10000000, byte-wide registers). */
#define UART_BASE 0x10000000UL
#define UART_THR 0
#define UART_RBR 0
#define UART_IER 1
#define UART_LCR 3
#define UART_LSR 5
#define UART_SCR 7
#define UART_LSR_DR 0x01
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40
uint8_t uart_read(unsigned reg);
void uart_write(unsigned reg, uint8_t v);
void uart_putc(int c);

/* kputc's sink: SBI legacy putchar unless a program points it elsewhere. */
extern void (*console_out)(int c);

/* Saved by start.S's trap_entry; trap_handler may change sepc (and x[]). */
struct trap_frame {
  uint64_t x[32]; /* x[0] unused, x[2] is the interrupted sp */
  uint64_t sepc;
  uint64_t scause;
  uint64_t stval;
  uint64_t sstatus;
};
void trap_entry(void);
void trap_handler(struct trap_frame *f);

/* start.S: secondary harts begin here with a0 = hartid, a1 = opaque. */
void secondary_entry(void);
void secondary_main(unsigned long hartid, unsigned long opaque);
int main(unsigned long hartid, unsigned long dtb);

#define csr_read(csr)                                   \
  ({                                                    \
    unsigned long v_;                                   \
    __asm__ volatile("csrr %0, " #csr : "=r"(v_));      \
    v_;                                                 \
  })
#define csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" ::"r"((unsigned long)(val)) : "memory")
#define csr_set(csr, val) __asm__ volatile("csrs " #csr ", %0" ::"r"((unsigned long)(val)) : "memory")
#define csr_clear(csr, val) __asm__ volatile("csrc " #csr ", %0" ::"r"((unsigned long)(val)) : "memory")

#endif
