/* PSCI over SMC as a zone guest meets it: VERSION, FEATURES of calls both
 * QEMU and hvisor implement (and of ones neither does), AFFINITY_INFO of
 * CPUs that are off and on, CPU_ON of a CPU that is already on (and of the
 * caller itself). Needs 2 CPUs. */
#include "lib.h"

static volatile uint32_t started;
static volatile uint64_t secondary_el;

void secondary_main(unsigned long cpu) {
  secondary_el = sysreg_read(CurrentEL) >> 2;
  __atomic_store_n(&started, (uint32_t)cpu, __ATOMIC_RELEASE);
}

static void features(unsigned long id, const char *name) {
  kprintf("FEATURES(%s %lx) = %ld\n", name, id, psci_call(PSCI_FEATURES, id, 0, 0));
}

int main(unsigned long cpu, unsigned long dtb) {
  (void)dtb;
  kputs("psci: start\n");
  kprintf("boot cpu %lu at EL%lu\n", cpu, sysreg_read(CurrentEL) >> 2);
  long v = psci_call(PSCI_VERSION, 0, 0, 0);
  kprintf("VERSION = %lx (major %ld minor %ld)\n", (unsigned long)v, v >> 16, v & 0xffff);
  features(PSCI_VERSION, "VERSION");
  features(PSCI_CPU_SUSPEND_64, "CPU_SUSPEND_64");
  features(PSCI_CPU_OFF, "CPU_OFF");
  features(PSCI_CPU_ON_32, "CPU_ON_32");
  features(PSCI_CPU_ON_64, "CPU_ON_64");
  features(PSCI_FEATURES, "FEATURES");
  features(PSCI_MIGRATE_64, "MIGRATE_64");
  features(0x8400001fUL, "unassigned");
  features(0xc400007fUL, "unassigned");

  kprintf("AFFINITY_INFO(0) = %ld\n", psci_affinity_info(0));
  kprintf("AFFINITY_INFO(1) = %ld (before CPU_ON)\n", psci_affinity_info(1));
  kprintf("CPU_ON(1) = %ld\n", psci_cpu_on(1, secondary_entry, 0x1234));
  while (__atomic_load_n(&started, __ATOMIC_ACQUIRE) != 1) {
  }
  kprintf("cpu 1 running at EL%lu\n", secondary_el);
  kprintf("AFFINITY_INFO(1) = %ld (after CPU_ON)\n", psci_affinity_info(1));
  kprintf("CPU_ON(1) again = %ld\n", psci_cpu_on(1, secondary_entry, 0));
  kprintf("CPU_ON(self) = %ld\n", psci_cpu_on(cpu, secondary_entry, 0));
  kputs("psci: done\n");
  return 0;
}
