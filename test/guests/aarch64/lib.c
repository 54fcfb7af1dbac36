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

void kputc(int c) {
  while (uart_read(UART_FR) & UART_FR_TXFF) {
  }
  uart_write(UART_DR, (uint8_t)c);
}

void kputs(const char *s) {
  while (*s) kputc(*s++);
}

static void put_unsigned(unsigned long v, unsigned base, int width, char pad) {
  char buf[24];
  int n = 0;
  do {
    unsigned d = (unsigned)(v % base);
    buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    v /= base;
  } while (v);
  while (width > n) {
    kputc(pad);
    width--;
  }
  while (n) kputc(buf[--n]);
}

/* Supports %d %i %u %x %c %s %p %% with optional '0', width and l/ll/z. */
int kvprintf(const char *fmt, va_list ap) {
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      kputc(*fmt);
      continue;
    }
    fmt++;
    char pad = ' ';
    int width = 0;
    int longs = 0;
    if (*fmt == '0') {
      pad = '0';
      fmt++;
    }
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    while (*fmt == 'l' || *fmt == 'z') {
      longs++;
      fmt++;
    }
    switch (*fmt) {
      case 'd':
      case 'i': {
        long v = longs ? va_arg(ap, long) : va_arg(ap, int);
        unsigned long mag = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
        if (v < 0) {
          kputc('-');
          if (width) width--;
        }
        put_unsigned(mag, 10, width, pad);
        break;
      }
      case 'u':
        put_unsigned(longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, width, pad);
        break;
      case 'x':
        put_unsigned(longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, width, pad);
        break;
      case 'p':
        kputs("0x");
        put_unsigned((unsigned long)va_arg(ap, void *), 16, width, pad);
        break;
      case 'c':
        kputc(va_arg(ap, int));
        break;
      case 's': {
        const char *s = va_arg(ap, const char *);
        kputs(s ? s : "(null)");
        break;
      }
      case '%':
        kputc('%');
        break;
      case '\0':
        return 0;
      default:
        kputc('%');
        kputc(*fmt);
    }
  }
  return 0;
}

int kprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  kvprintf(fmt, ap);
  va_end(ap);
  return 0;
}

/* gcc would turn these byte loops back into calls to themselves. */
#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

typedef uint64_t __attribute__((may_alias)) word_alias;

NO_LIBCALL void *memcpy(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  if ((((uintptr_t)d | (uintptr_t)s | n) & 7) == 0) {
    for (; n; n -= 8, d += 8, s += 8) *(word_alias *)d = *(const word_alias *)s;
    return dst;
  }
  while (n--) *d++ = *s++;
  return dst;
}

NO_LIBCALL void *memmove(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  if (d == s || n == 0) return dst;
  if (d < s || d >= s + n) {
    while (n--) *d++ = *s++;
  } else {
    d += n;
    s += n;
    while (n--) *--d = *--s;
  }
  return dst;
}

NO_LIBCALL void *memset(void *dst, int c, size_t n) {
  unsigned char *d = dst;
  while (n--) *d++ = (unsigned char)c;
  return dst;
}

NO_LIBCALL int memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *p = a, *q = b;
  for (; n; n--, p++, q++)
    if (*p != *q) return *p < *q ? -1 : 1;
  return 0;
}

/* Programs that take exceptions override this; anything unexpected ends the run. */
__attribute__((weak)) void exception_handler(struct exception_frame *f) {
  kprintf("unexpected exception: vector %lu esr %lx elr %lx far %lx\n", f->vector, f->esr, f->elr, f->far);
  poweroff();
}

__attribute__((weak)) void secondary_main(unsigned long cpu) { (void)cpu; }
