/* aarch64 board: the PL011 UART of QEMU's virt board, the virtual counter,
 * and PSCI SYSTEM_OFF through the conduit the DTB's /psci node names. */
#include "../platform.h"

int ee_printf(const char *fmt, ...);
void platform_init(const void *dtb);

#define UART_BASE 0x09000000UL
#define UART_DR 0x00
#define UART_FR 0x18
#define FR_BUSY (1u << 3)
#define FR_TXFF (1u << 5)

#define PSCI_SYSTEM_OFF 0x84000008UL

/* Where QEMU puts the DTB of an image that is not a Linux kernel. */
#define RAM_DTB 0x40000000UL

static volatile unsigned int *uart_reg(unsigned off) { return (volatile unsigned int *)(UART_BASE + off); }

void platform_putc(char c) {
  while (*uart_reg(UART_FR) & FR_TXFF) {
  }
  *uart_reg(UART_DR) = (unsigned char)c;
}

unsigned long platform_ticks(void) {
  unsigned long t;
  __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(t) : : "memory");
  return t;
}

unsigned long platform_tick_hz(void) {
  unsigned long f;
  __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
  return f;
}

/* --- Finding the PSCI conduit in the flattened device tree --- */

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4

static unsigned be32(const void *p) {
  const unsigned char *b = p;
  return (unsigned)b[0] << 24 | (unsigned)b[1] << 16 | (unsigned)b[2] << 8 | b[3];
}

static int same(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}

/* "psci" or "psci@...". */
static int is_psci_node(const char *name) {
  const char *want = "psci";
  while (*want && *name == *want) name++, want++;
  return *want == '\0' && (*name == '\0' || *name == '@');
}

static unsigned long align4(unsigned long n) { return (n + 3) & ~3UL; }

/* The value of /psci's "method" ("smc" or "hvc"), or 0 if there is none. */
static const char *psci_method(const unsigned char *fdt) {
  if (be32(fdt) != FDT_MAGIC) return 0;
  unsigned size = be32(fdt + 4);
  const unsigned char *p = fdt + be32(fdt + 8);
  const unsigned char *end = fdt + size;
  const char *strings = (const char *)fdt + be32(fdt + 12);
  int depth = 0, in_psci = 0;
  while (p + 4 <= end) {
    unsigned token = be32(p);
    p += 4;
    if (token == FDT_BEGIN_NODE) {
      const char *name = (const char *)p;
      unsigned long n = 0;
      while (p + n < end && name[n]) n++;
      p += align4(n + 1);
      depth++;
      in_psci = depth == 2 && is_psci_node(name);
    } else if (token == FDT_END_NODE) {
      depth--;
      in_psci = 0;
    } else if (token == FDT_PROP) {
      if (p + 8 > end) return 0;
      unsigned len = be32(p), nameoff = be32(p + 4);
      const char *value = (const char *)p + 8;
      p += 8 + align4(len);
      if (in_psci && same(strings + nameoff, "method")) return value;
    } else if (token != FDT_NOP) {
      return 0;
    }
  }
  return 0;
}

static int psci_uses_hvc;

void platform_init(const void *dtb) {
  const unsigned char *fdt = dtb;
  if (fdt == 0 || be32(fdt) != FDT_MAGIC) fdt = (const unsigned char *)RAM_DTB;
  const char *method = psci_method(fdt);
  if (method == 0) ee_printf("no /psci method in the device tree at %lx (magic %x): using smc\n", (unsigned long)fdt, be32(fdt));
  psci_uses_hvc = method != 0 && same(method, "hvc");
}

/* SMC Calling Convention: function in x0, result in x0; x1..x17 may change. */
static long psci_call(unsigned long fn) {
  register unsigned long x0 __asm__("x0") = fn;
  if (psci_uses_hvc)
    __asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
                     "x13", "x14", "x15", "x16", "x17", "memory");
  else
    __asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
                     "x13", "x14", "x15", "x16", "x17", "memory");
  return (long)x0;
}

void platform_poweroff(void) {
  /* Bytes still in flight would be lost with the machine. */
  while (*uart_reg(UART_FR) & FR_BUSY) {
  }
  long r = psci_call(PSCI_SYSTEM_OFF);
  ee_printf("PSCI SYSTEM_OFF returned %ld: the machine is still on\n", r);
  for (;;) __asm__ volatile("wfi");
}

void platform_exception(unsigned long vector, unsigned long esr, unsigned long elr, unsigned long far)
    __attribute__((noreturn));
void platform_exception(unsigned long vector, unsigned long esr, unsigned long elr, unsigned long far) {
  static int powering_off;
  /* If the power-off call itself faults, the machine cannot be turned off. */
  if (powering_off) {
    ee_printf("PSCI SYSTEM_OFF faulted: esr %lx elr %lx; this CPU stops\n", esr, elr);
    for (;;) __asm__ volatile("wfi");
  }
  powering_off = 1;
  ee_printf("unexpected exception: vector %lu esr %lx elr %lx far %lx\n", vector, esr, elr, far);
  platform_poweroff();
}
