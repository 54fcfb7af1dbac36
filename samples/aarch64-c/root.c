/* The root zone of the aarch64-c sample. hvisor creates it from its
   qemu-gicv3 board constants (CPUs 0-1, RAM from 0x50000000 mapped 1:1, the
   PL011 UART passed through) and enters CPU 0 at _start (0xa0400000, where
   root.ld puts it) in EL1h, MMU off, with x0 = the DTB. CPU 1 stays parked
   until we start it.

   Playing the part root Linux and hvisor-tool play on a real board, it
     1. starts CPU 1 with PSCI CPU_ON; both CPUs add to one counter under a
        spinlock, and CPU 0 prints the total;
     2. starts zone 1 (zone1.json, zone1.c) with hvisor's START_ZONE hypercall;
        the launcher has put zone 1's image at 0x60000000, as the tool would;
     3. waits for zone 1 to finish, shuts it down and powers off.

   Run it:  node dist/cli.js run samples/aarch64-c/launch.json */

#include "board.h"
#include "console.h"
#include "hvisor.h"

#define ROUNDS 1000 /* increments per CPU */

enum cpu_state { CPU_PARKED, CPU_COUNTING, CPU_DONE };

struct cpu_record {
	unsigned long cpu;
	enum cpu_state state;
	unsigned long increments;
};

struct spinlock {
	unsigned int locked;
};

/* What the two CPUs' counts come to, with what each added. */
struct tally {
	unsigned long total;
	unsigned long expected;
	unsigned long per_cpu[2];
};

unsigned long counter;
struct spinlock counter_lock;
struct cpu_record cpus[2];
unsigned long root_stacks[2][1024] __attribute__((aligned(16)));

/* The compiler's atomics call libgcc's helpers, which use the LSE
   instructions when this says the CPU has them and exclusive loads and
   stores otherwise. Linux programs get it from the kernel's HWCAP; here
   main reads it from ID_AA64ISAR0_EL1 before any atomic runs. */
_Bool __aarch64_have_lse_atomics;

/* Zone 1 as zone1.json describes it, in the binary form START_ZONE takes. */
const struct hv_zone_config zone1_config = {
	.zone_id = 1,
	.cpus = 1UL << 2,
	.num_memory_regions = 2,
	.memory_regions = {
		{ MEM_TYPE_RAM, ZONE1_RAM, ZONE1_RAM, 0x1000000 },
		{ MEM_TYPE_IO, 0x09000000, 0x09000000, 0x1000 }, /* the UART, which we keep too */
	},
	.entry_point = ZONE1_RAM,
	.kernel_load_paddr = ZONE1_RAM,
	.dtb_load_paddr = ZONE1_DTB,
	.name = "zone1",
	.arch_config = {
		.is_aarch32 = 0,
		.gic_version = GIC_V3,
		.gic.v3 = {
			.gicd_base = 0x8000000, .gicd_size = 0x10000,
			.gicr_base = 0x80a0000, .gicr_size = 0xf60000,
			.gits_base = 0x8080000, .gits_size = 0x20000,
		},
	},
};

/* CPU 1's entry, in assembly below: it has no stack yet. */
extern char secondary_entry[];

/* Swap 1 in until the old value was 0; while another CPU holds the lock,
   only read it, so the waiting CPU does not keep claiming the line. */
static void spin_lock(struct spinlock *lock)
{
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) != 0)
		while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED) != 0)
			;
}

static void spin_unlock(struct spinlock *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

/* The load and store of counter are not atomic: the lock is what keeps the
   CPUs from overwriting each other's increments. */
static void count(struct cpu_record *me)
{
	me->state = CPU_COUNTING;
	for (int round = 0; round < ROUNDS; round++) {
		spin_lock(&counter_lock);
		counter = counter + 1;
		spin_unlock(&counter_lock);
		me->increments++;
	}
	__atomic_store_n(&me->state, CPU_DONE, __ATOMIC_RELEASE);
}

static struct tally take_tally(void)
{
	struct tally t;

	t.total = counter;
	t.expected = 0;
	for (int i = 0; i < 2; i++) {
		t.per_cpu[i] = cpus[i].increments;
		t.expected += t.per_cpu[i];
	}
	return t;
}

/* " -> result", signed, so an error shows as -errno or a PSCI error code. */
static void print_result(const char *what, long result)
{
	put_str(what);
	put_str(" -> ");
	put_dec(result);
	put_char('\n');
}

void secondary_main(void)
{
	cpus[1].cpu = cpu_id();
	count(&cpus[1]);
	cpu_idle();
}

void main(unsigned long dtb)
{
	unsigned long isar0;
	long ret;
	struct tally tally;

	__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	__aarch64_have_lse_atomics = ((isar0 >> 20) & 0xf) >= 2;

	put_str("[root] hello from CPU ");
	put_dec((long)cpu_id());
	put_str(" (dtb ");
	put_hex(dtb);
	put_str(")\n");
	cpus[0].cpu = cpu_id();

	/* 1. Two CPUs, one counter. */
	ret = psci_call(PSCI_CPU_ON, 1, (u64)secondary_entry, 0);
	print_result("[root] CPU_ON(CPU 1)", ret);
	count(&cpus[0]);
	if (ret == 0)
		while (__atomic_load_n(&cpus[1].state, __ATOMIC_ACQUIRE) != CPU_DONE)
			;
	tally = take_tally();
	put_str("[root] counter = ");
	put_dec((long)tally.total);
	put_str(tally.total == tally.expected ? " (CPUs 0 and 1, 1000 locked increments each)\n" : " (increments were lost)\n");

	/* 2. Zone 1. It prints only once it finds go set, after our line. */
	__atomic_store_n(&MAILBOX->go, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&MAILBOX->done, 0, __ATOMIC_RELAXED);
	ret = hvisor_call(HVISOR_HC_START_ZONE, (u64)&zone1_config, sizeof zone1_config);
	print_result("[root] start zone 1", ret);
	if (ret == 0) {
		__atomic_store_n(&MAILBOX->go, 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&MAILBOX->done, __ATOMIC_ACQUIRE) == 0)
			;
		put_str("[root] zone 1 is done\n");
		print_result("[root] shut down zone 1", hvisor_call(HVISOR_HC_SHUTDOWN_ZONE, 1, 0));
	}

	/* 3. Power off: SYSTEM_OFF does not return unless it failed. */
	put_str("[root] powering off\n");
	print_result("[root] SYSTEM_OFF", psci_call(PSCI_SYSTEM_OFF, 0, 0, 0));
	cpu_idle();
}

/* Each CPU starts without a stack and with FP/SIMD trapped (the compiler uses
   its registers): CPU 0 from hvisor with x0 = the DTB, CPU 1 from CPU_ON. */
__asm__(".pushsection .text.start, \"ax\"\n"
	".globl _start\n"
	"_start:\n"
	"	mov x9, #(3 << 20)\n"
	"	msr cpacr_el1, x9\n"
	"	isb\n"
	"	adrp x9, root_stacks + 8192\n"
	"	add x9, x9, :lo12:root_stacks + 8192\n"
	"	mov sp, x9\n"
	"	bl main\n"
	"secondary_entry:\n"
	"	mov x9, #(3 << 20)\n"
	"	msr cpacr_el1, x9\n"
	"	isb\n"
	"	adrp x9, root_stacks + 16384\n"
	"	add x9, x9, :lo12:root_stacks + 16384\n"
	"	mov sp, x9\n"
	"	bl secondary_main\n"
	".popsection\n");
