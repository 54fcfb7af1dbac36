// Runs each 32-bit word of a file as one A64 instruction under qemu-aarch64
// and prints one letter per word: 'u' when the word itself raised SIGILL
// (QEMU found it UNDEFINED), 'a' otherwise (it ran, faulted on memory,
// trapped, branched away, or still looped when the timer fired on every
// try: a busy host can fire it before the word runs, so it gets three, each
// ten times longer).
//
// Each word gets a slot of its own in an executable region that sits in the
// middle of a reserved, inaccessible 512 MiB range, so an immediate branch
// lands either on another slot or on nothing. A slot sets every register and
// SP to the middle of a scratch buffer, runs the word, then BRK: every word
// therefore ends in a signal, and the handler resumes the loop from the
// state saved before the slot started. The handler runs on its own stack and
// touches no library state, since the word may have changed SP and TPIDR_EL0.

#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

#define SLOT_WORDS 64
#define RESERVE (512ul << 20)
#define SCRATCH (1ul << 20)

struct saved { uint64_t regs[12]; uint64_t sp; uint64_t tpidr; };
struct saved saved;
/** Set by run_slot just before the slot starts; the first signal after it ends the slot. */
volatile uint64_t running;
volatile char verdict;
static uint32_t *slots;
static volatile uint64_t current;

void run_slot(uint64_t entry, uint64_t scratch);
void recover(void);
__asm__(
  ".text\n.globl run_slot\nrun_slot:\n"
  "  adrp x9, saved\n  add x9, x9, :lo12:saved\n"
  "  stp x19, x20, [x9, #0]\n  stp x21, x22, [x9, #16]\n  stp x23, x24, [x9, #32]\n"
  "  stp x25, x26, [x9, #48]\n  stp x27, x28, [x9, #64]\n  stp x29, x30, [x9, #80]\n"
  "  mov x10, sp\n  str x10, [x9, #96]\n  mrs x10, tpidr_el0\n  str x10, [x9, #104]\n"
  "  adrp x9, running\n  mov x10, #1\n  str x10, [x9, :lo12:running]\n"
  "  mov x17, x0\n  mov x0, x1\n  br x17\n"
  ".globl recover\nrecover:\n"
  "  adrp x9, saved\n  add x9, x9, :lo12:saved\n"
  "  ldp x19, x20, [x9, #0]\n  ldp x21, x22, [x9, #16]\n  ldp x23, x24, [x9, #32]\n"
  "  ldp x25, x26, [x9, #48]\n  ldp x27, x28, [x9, #64]\n  ldp x29, x30, [x9, #80]\n"
  "  ldr x10, [x9, #96]\n  mov sp, x10\n  ldr x10, [x9, #104]\n  msr tpidr_el0, x10\n  ret\n");

static void handler(int sig, siginfo_t *si, void *ctx) {
  (void)si;
  ucontext_t *uc = ctx;
  static const struct itimerval off, again = { .it_value = { .tv_usec = 10000 } };
  // A timer that fires before the slot starts must fire again later; nothing else arrives outside a slot.
  if (!running) {
    setitimer(ITIMER_REAL, &again, 0);
    return;
  }
  running = 0;
  setitimer(ITIMER_REAL, &off, 0);
  uint64_t word = current;
  verdict = sig == SIGALRM ? 't' : sig == SIGILL && uc->uc_mcontext.pc == word ? 'u' : 'a';
  uc->uc_mcontext.pc = (uint64_t)recover;
  uc->uc_mcontext.sp = saved.sp;
  // The word may have set PSTATE bits user code can write (NZCV, SSBS, ...): they do not matter here.
}

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  FILE *f = fopen(argv[1], "rb");
  if (!f) return 2;
  fseek(f, 0, SEEK_END);
  long bytes = ftell(f);
  fseek(f, 0, SEEK_SET);
  size_t n = (size_t)bytes / 4;
  uint32_t *words = malloc(n * 4 + 4);
  if (!words || fread(words, 4, n, f) != n) return 2;
  fclose(f);

  char *reserve = mmap((void *)0x4000000000ul, RESERVE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (reserve == MAP_FAILED) return 3;
  size_t region = (n * SLOT_WORDS * 4 + 4095) & ~4095ul;
  if (region > 64ul << 20) return 4;
  slots = (uint32_t *)(reserve + RESERVE / 2 - region / 2);
  slots = (uint32_t *)((uint64_t)slots & ~4095ul);
  if (mprotect(slots, region, PROT_READ | PROT_WRITE | PROT_EXEC)) return 5;
  char *scratch = mmap(0, SCRATCH, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (scratch == MAP_FAILED) return 6;

  for (size_t i = 0; i < n; i++) {
    uint32_t *s = slots + i * SLOT_WORDS;
    for (int r = 1; r <= 30; r++) s[r - 1] = 0xaa0003e0u | r;  // orr xr, xzr, x0
    s[30] = 0x9100001fu;                                         // mov sp, x0
    s[31] = words[i];
    for (int k = 32; k < SLOT_WORDS; k++) s[k] = 0xd4200000u;   // brk #0
  }
  __builtin___clear_cache((char *)slots, (char *)slots + region);

  static char altstack[1 << 16];
  stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
  if (sigaltstack(&ss, 0)) return 7;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigfillset(&sa.sa_mask);
  int sigs[] = { SIGILL, SIGSEGV, SIGBUS, SIGTRAP, SIGFPE, SIGALRM, SIGSYS };
  for (unsigned k = 0; k < sizeof sigs / sizeof sigs[0]; k++) if (sigaction(sigs[k], &sa, 0)) return 8;

  char *out = malloc(n + 1);
  for (size_t i = 0; i < n; i++) {
    uint32_t *s = slots + i * SLOT_WORDS;
    current = (uint64_t)(s + 31);
    verdict = 't';
    for (long us = 20000; verdict == 't' && us <= 2000000; us *= 10) {
      struct itimerval arm = { .it_value = { .tv_sec = us / 1000000, .tv_usec = us % 1000000 } };
      setitimer(ITIMER_REAL, &arm, 0);
      run_slot((uint64_t)s, (uint64_t)(scratch + SCRATCH / 2));
    }
    out[i] = verdict == 't' ? 'a' : verdict;
  }
  fwrite(out, 1, n, stdout);
  return 0;
}
