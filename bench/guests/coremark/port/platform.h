/* What each architecture's part of the port provides to the shared part. */
#ifndef PLATFORM_H
#define PLATFORM_H

/* Sends one byte to the board's UART. */
void platform_putc(char c);
/* The free-running counter and its frequency in Hz. */
unsigned long platform_ticks(void);
unsigned long platform_tick_hz(void);
/* Waits for the UART to drain, then turns the machine off. Does not return. */
void platform_poweroff(void) __attribute__((noreturn));

#endif
