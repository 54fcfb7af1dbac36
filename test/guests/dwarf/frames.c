/* Nested and recursive calls for the call-stack tests, bare metal on both
   arches: _start (assembly, so without call frame information) sets up a
   stack and calls main, which calls middle, which recurses through walk
   down to leaf, forever. */

volatile int sink;
unsigned long frames_stack[1024] __attribute__((aligned(16)));

static int __attribute__((noinline)) leaf(int x) {
  sink = x;
  return x + 1;
}

static int __attribute__((noinline)) walk(int n) {
  if (n == 0) return leaf(n);
  return walk(n - 1) + 1;
}

static int __attribute__((noinline)) middle(int n) {
  int r = walk(n);
  return r * 2;
}

int main(void) {
  for (;;) sink += middle(3);
}

#if defined(__riscv)
__asm__(".pushsection .text.start, \"ax\"\n.globl _start\n.type _start, %function\n_start:\n"
        "  lla sp, frames_stack + 8192\n  call main\n1: j 1b\n.popsection\n");
#elif defined(__aarch64__)
__asm__(".pushsection .text.start, \"ax\"\n.globl _start\n.type _start, %function\n_start:\n"
        "  mov x9, #(3 << 20)\n  msr cpacr_el1, x9\n  isb\n  adrp x9, frames_stack + 8192\n  add x9, x9, :lo12:frames_stack + 8192\n  mov sp, x9\n  bl main\n1: b 1b\n.popsection\n");
#endif
