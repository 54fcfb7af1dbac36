/* Freestanding support for the aarch64 test guests: PSCI calls over SMC,
 * PL011 console output, a small printf, the mem* functions gcc expects, and
 * the exception-frame layout shared with start.S. */
#ifndef GUEST_LIB_H
#define GUEST_LIB_H

#include <stddef.h>
#include <stdint.h>

#include "console.h"
#include "lcg.h"
#include "mem.h"

#define MAX_CPUS 4

/* PSCI function ids (SMC64 where a 64-bit form exists) and return codes. */
#define PSCI_VERSION 0x84000000UL
#define PSCI_CPU_SUSPEND_64 0xC4000001UL
#define PSCI_CPU_OFF 0x84000002UL
#define PSCI_CPU_ON_32 0x84000003UL
#define PSCI_CPU_ON_64 0xC4000003UL
#define PSCI_AFFINITY_INFO_64 0xC4000004UL
#define PSCI_MIGRATE_64 0xC4000005UL
#define PSCI_SYSTEM_OFF 0x84000008UL
#define PSCI_FEATURES 0x8400000AUL
#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON (-4)

long psci_call(unsigned long fn, unsigned long a1, unsigned long a2, unsigned long a3);
/* target: the CPU index, which is its MPIDR (Aff0) on both boards. */
long psci_cpu_on(unsigned long target, void (*entry)(void), unsigned long context);
long psci_affinity_info(unsigned long target);
__attribute__((noreturn)) void poweroff(void);

/* PL011 (QEMU virt: 0x09000000, 32-bit registers). */
#define UART_BASE 0x09000000UL
#define UART_DR 0x000
#define UART_FR 0x018
#define UART_IBRD 0x024
#define UART_FBRD 0x028
#define UART_LCR_H 0x02c
#define UART_CR 0x030
#define UART_IFLS 0x034
#define UART_IMSC 0x038
#define UART_PERIPH_ID0 0xfe0
#define UART_CELL_ID0 0xff0
#define UART_FR_BUSY (1u << 3)
#define UART_FR_RXFE (1u << 4)
#define UART_FR_TXFF (1u << 5)
#define UART_FR_TXFE (1u << 7)
uint32_t uart_read(unsigned reg);
void uart_write(unsigned reg, uint32_t v);

/* Saved by start.S's exception_entry; the handler may change elr (and x[]). */
struct exception_frame {
  uint64_t x[31];
  uint64_t elr;
  uint64_t spsr;
  uint64_t esr;
  uint64_t far;
  uint64_t vector; /* 0..15: the slot in the vector table */
};
void exception_handler(struct exception_frame *f);

#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define ESR_EC_DABT_CUR 0x25
#define ESR_EC_IABT_CUR 0x21

/* start.S: CPUs started by PSCI CPU_ON begin here. */
void secondary_entry(void);
void secondary_main(unsigned long cpu);
int main(unsigned long cpu, unsigned long dtb);

#define sysreg_read(reg)                               \
  ({                                                   \
    uint64_t v_;                                       \
    __asm__ volatile("mrs %0, " #reg : "=r"(v_));      \
    v_;                                                \
  })
#define sysreg_write(reg, val) __asm__ volatile("msr " #reg ", %0" ::"r"((uint64_t)(val)) : "memory")
#define isb() __asm__ volatile("isb" ::: "memory")

#endif
