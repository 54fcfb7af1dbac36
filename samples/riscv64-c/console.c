#include "board.h"
#include "console.h"

void put_char(char c)
{
	*UART_TX = (unsigned char)c;
}

void put_str(const char *s)
{
	while (*s)
		put_char(*s++);
}

/* Digits come out last first, so they are collected, then sent in order. */
void put_dec(long value)
{
	char digits[20];
	int count = 0;
	unsigned long rest = value < 0 ? -(unsigned long)value : (unsigned long)value;

	if (value < 0)
		put_char('-');
	do {
		digits[count++] = (char)('0' + rest % 10);
		rest /= 10;
	} while (rest != 0);
	while (count > 0)
		put_char(digits[--count]);
}

void put_hex(unsigned long value)
{
	int shift = 60;

	put_str("0x");
	while (shift > 0 && (value >> shift) == 0)
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		put_char("0123456789abcdef"[(value >> shift) & 15]);
}
