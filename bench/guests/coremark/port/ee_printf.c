/* ee_printf: the subset of printf that CoreMark's reports use: %d %u %x %s %c
 * and %f, the l length modifier, a field width and zero padding. */
#include <stdarg.h>
#include "coremark.h"
#include "platform.h"

struct spec {
  int width;
  int zero;
};

static int emit(const char *s, int n) {
  for (int i = 0; i < n; i++) platform_putc(s[i]);
  return n;
}

/* Writes `v` in `base`, padded to the field width; `negative` adds a sign. */
static int emit_unsigned(unsigned long v, unsigned base, int negative, struct spec sp) {
  char digits[24];
  int n = 0;
  do {
    unsigned d = (unsigned)(v % base);
    digits[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    v /= base;
  } while (v != 0);
  int len = n + negative;
  int out = 0;
  if (negative && sp.zero) out += emit("-", 1);
  for (; len < sp.width; len++) out += emit(sp.zero ? "0" : " ", 1);
  if (negative && !sp.zero) out += emit("-", 1);
  while (n > 0) out += emit(&digits[--n], 1);
  return out;
}

/* Six decimals, rounded to nearest, as printf's %f writes them. */
static int emit_double(double v, struct spec sp) {
  int negative = v < 0;
  if (negative) v = -v;
  unsigned long scaled = (unsigned long)(v * 1e6 + 0.5);
  unsigned long whole = scaled / 1000000;
  unsigned long frac = scaled % 1000000;
  struct spec whole_spec = { sp.width > 7 ? sp.width - 7 : 0, sp.zero };
  int out = emit_unsigned(whole, 10, negative, whole_spec);
  out += emit(".", 1);
  struct spec frac_spec = { 6, 1 };
  return out + emit_unsigned(frac, 10, 0, frac_spec);
}

int ee_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int out = 0;
  for (const char *p = fmt; *p; p++) {
    if (*p != '%') {
      out += emit(p, 1);
      continue;
    }
    struct spec sp = { 0, 0 };
    p++;
    if (*p == '0') {
      sp.zero = 1;
      p++;
    }
    while (*p >= '0' && *p <= '9') sp.width = sp.width * 10 + (*p++ - '0');
    int is_long = 0;
    while (*p == 'l') {
      is_long = 1;
      p++;
    }
    switch (*p) {
      case 'd': {
        long v = is_long ? va_arg(ap, long) : va_arg(ap, int);
        out += emit_unsigned(v < 0 ? -(unsigned long)v : (unsigned long)v, 10, v < 0, sp);
        break;
      }
      case 'u':
        out += emit_unsigned(is_long ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, 0, sp);
        break;
      case 'x':
        out += emit_unsigned(is_long ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, 0, sp);
        break;
      case 'f':
        out += emit_double(va_arg(ap, double), sp);
        break;
      case 's': {
        const char *s = va_arg(ap, const char *);
        int n = 0;
        while (s[n]) n++;
        for (int pad = n; pad < sp.width; pad++) out += emit(" ", 1);
        out += emit(s, n);
        break;
      }
      case 'c': {
        char c = (char)va_arg(ap, int);
        out += emit(&c, 1);
        break;
      }
      case '%':
        out += emit("%", 1);
        break;
      default:
        /* An unknown conversion is shown as written. */
        out += emit("%", 1);
        if (*p == '\0') p--;
        else out += emit(p, 1);
        break;
    }
  }
  va_end(ap);
  return out;
}
