/* CPU-bound benchmark guest for bench/aarch64-mips.mjs: the work of
 * ../mips-work.h (the same as the riscv64 guest's) on NCPUS CPUs started with
 * PSCI CPU_ON. */
#include "lib.h"

#define CPU_WORD "cpus"
#include "../mips-work.h"

void secondary_main(unsigned long cpu) { run(cpu); }

int main(unsigned long cpu, unsigned long dtb) {
  (void)dtb;
  if (cpu >= NCPUS) return 0;
  for (unsigned long c = 0; c < NCPUS; c++)
    if (c != cpu && psci_cpu_on(c, secondary_entry, c) != PSCI_SUCCESS) {
      kprintf("mips: CPU_ON(%lu) failed\n", c);
      return 0;
    }
  run(cpu);
  return 0;
}
