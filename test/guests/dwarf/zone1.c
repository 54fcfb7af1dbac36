/* Zone 1 of the riscv64-zones sample written in C, for source-level tests:
   hvisor enters CPU 2 at _start (0x8a000000, where zone1.ld puts it), which
   sets up a stack and calls main. main sums squares forever and prints each
   round's total, so a breakpoint on any line of the loop is hit again and again. */

#define UART ((volatile unsigned char *)0x10000000)

__attribute__((used)) unsigned long zone1_stack[512];

static void putc_uart(char c) {
  *UART = (unsigned char)c;
}

static int square(int x) {
  int y = x * x;
  return y;
}

static void print_number(unsigned long n) {
  char digits[24];
  int i = 0;
  do {
    digits[i++] = (char)('0' + n % 10);
    n /= 10;
  } while (n);
  while (i > 0) putc_uart(digits[--i]);
  putc_uart('\n');
}

int main(void) {
  unsigned long total = 0;
  for (int round = 1;; round++) {

    total += (unsigned long)square(round);
    print_number(total);
  }
}

__attribute__((naked, section(".text.start"))) void _start(void) {
  __asm__ volatile("lla sp, zone1_stack + 4096\n\tj main");
}
