/* SBI calls a zone guest depends on: BASE probes, legacy getchar with no
 * input, the HSM error for starting oneself, and a TIME set_timer interrupt
 * delivered to S-mode. Prints only what OpenSBI and hvisor's SBI answer
 * alike: nothing about the firmware's identity, SRST probing, HSM calls
 * other than hart_start, or time. */
#include "lib.h"

#define SIE_STIE (1UL << 5)
#define SSTATUS_SIE (1UL << 1)
#define SCAUSE_INTERRUPT (1UL << 63)

static volatile unsigned timer_irqs;
static volatile uint64_t irq_cause;

void trap_handler(struct trap_frame *f) {
  if (f->scause == (SCAUSE_INTERRUPT | 5)) {
    timer_irqs++;
    irq_cause = f->scause;
    sbi_set_timer(~0UL); /* the only way to clear STIP: push the deadline out */
    return;
  }
  kprintf("unexpected trap: scause=%lx sepc=%lx stval=%lx\n", f->scause, f->sepc, f->stval);
  poweroff();
}

int main(unsigned long hartid, unsigned long dtb) {
  (void)dtb;
  kputs("sbi: start\n");
  struct sbiret v = sbi_call(SBI_EXT_BASE, 0, 0, 0, 0);
  kprintf("get_spec_version: error %ld, version >= 0.2: %u\n", v.error, v.value >= 2);
  static const struct {
    long eid;
    const char *name;
  } exts[] = {
      {SBI_EXT_BASE, "BASE"},
      {SBI_EXT_TIME, "TIME"},
      {SBI_EXT_HSM, "HSM"},
      {0x12345678, "0x12345678"},
  };
  for (unsigned i = 0; i < sizeof exts / sizeof exts[0]; i++)
    kprintf("probe %s: %s\n", exts[i].name, sbi_probe(exts[i].eid) ? "present" : "absent");
  struct sbiret bad = sbi_call(SBI_EXT_BASE, 99, 0, 0, 0);
  kprintf("BASE fid 99: error %ld\n", bad.error);
  struct sbiret none = sbi_call(0x0a0b0c0d, 0, 0, 0, 0);
  kprintf("unknown extension: error %ld\n", none.error);

  kprintf("getchar with no input: %d\n", sbi_console_getchar());

  kprintf("hart_start(self): %ld\n", sbi_hart_start(hartid, (unsigned long)secondary_entry, 0));

  /* A deadline in the past fires as soon as interrupts are enabled. */
  csr_write(stvec, (uintptr_t)trap_entry);
  csr_set(sie, SIE_STIE);
  kprintf("set_timer(0): %ld\n", sbi_set_timer(0));
  csr_set(sstatus, SSTATUS_SIE);
  for (unsigned long spin = 0; timer_irqs == 0 && spin < 100000000UL; spin++) {
  }
  csr_clear(sstatus, SSTATUS_SIE);
  kprintf("timer interrupts taken: %u, scause %lx\n", timer_irqs, irq_cause);
  kprintf("sip.STIP after re-arming far away: %lu\n", (csr_read(sip) >> 5) & 1);
  return 0;
}
