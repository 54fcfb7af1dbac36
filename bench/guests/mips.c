/* CPU-bound benchmark guest for bench/riscv64-mips.mjs: the work of
 * mips-work.h on NCPUS harts started with SBI HSM. */
#include "lib.h"

#define CPU_WORD "harts"
#include "mips-work.h"

void secondary_main(unsigned long hartid, unsigned long opaque) {
  (void)opaque;
  run(hartid);
}

int main(unsigned long hartid, unsigned long dtb) {
  (void)dtb;
  if (hartid >= NCPUS) return 0;
  for (unsigned long h = 0; h < NCPUS; h++)
    if (h != hartid && sbi_hart_start(h, (unsigned long)secondary_entry, 0) != 0) {
      kprintf("mips: hart_start(%lu) failed\n", h);
      return 0;
    }
  run(hartid);
  return 0;
}
