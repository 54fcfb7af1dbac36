/* kputs and a small printf over the architecture's kputc (see console.h). */
#include "console.h"

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
