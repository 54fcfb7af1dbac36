/* Output on the UART, for both zones. */
#ifndef CONSOLE_H
#define CONSOLE_H

void put_char(char c);
void put_str(const char *s);
void put_dec(long value);
void put_hex(unsigned long value);

#endif
