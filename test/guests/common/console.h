/* Console output shared by the test guests of every architecture: kputc is
 * the architecture's (its lib.c), the rest is built on it in console.c. */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <stdarg.h>

void kputc(int c);
void kputs(const char *s);
/* Supports %d %i %u %x %c %s %p %% with optional '0', width and l/ll/z. */
int kprintf(const char *fmt, ...);
int kvprintf(const char *fmt, va_list ap);

#endif
