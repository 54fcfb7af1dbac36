/* The root zone of the riscv64-c sample. hvisor creates it from its qemu-plic
   board constants (harts 0-1, RAM from 0x83000000 mapped 1:1, the UART passed
   through) and enters hart 0 at _start (0x90000000, where root.ld puts it)
   with a0 = hartid and a1 = the DTB. Hart 1 stays parked until we start it.

   Playing the part root Linux and hvisor-tool play on a real board, it
     1. starts hart 1 with SBI HSM; both harts add to one counter under a
        spinlock, and hart 0 prints the total;
     2. starts zone 1 (zone1.json, zone1.c) with hvisor's START_ZONE hypercall;
        the launcher has put zone 1's image at 0x8a000000, as the tool would;
     3. waits for zone 1 to finish, shuts it down and powers off.

   Run it:  node dist/cli.js run samples/riscv64-c/launch.json */

#include "board.h"
#include "console.h"
#include "hvisor.h"

#define ROUNDS 1000 /* increments per hart */

enum cpu_state { CPU_PARKED, CPU_COUNTING, CPU_DONE };

struct cpu_record {
	unsigned long hartid;
	enum cpu_state state;
	unsigned long increments;
};

struct spinlock {
	unsigned int locked;
};

/* What the two harts' counts come to, with what each added. */
struct tally {
	unsigned long total;
	unsigned long expected;
	unsigned long per_cpu[2];
};

unsigned long counter;
struct spinlock counter_lock;
struct cpu_record cpus[2];
unsigned long root_stacks[2][1024] __attribute__((aligned(16)));

/* Zone 1 as zone1.json describes it, in the binary form START_ZONE takes. */
const struct hv_zone_config zone1_config = {
	.zone_id = 1,
	.cpus = 1UL << 2,
	.num_memory_regions = 2,
	.memory_regions = {
		{ MEM_TYPE_RAM, ZONE1_RAM, ZONE1_RAM, 0x1000000 },
		{ MEM_TYPE_IO, 0x10000000, 0x10000000, 0x1000 }, /* the UART, which we keep too */
	},
	.entry_point = ZONE1_RAM,
	.kernel_load_paddr = ZONE1_RAM,
	.dtb_load_paddr = ZONE1_DTB,
	.name = "zone1",
	.arch_config = { .plic_base = 0xc000000, .plic_size = 0x4000000, .aplic_base = 0xd000000, .aplic_size = 0x8000 },
};

/* Hart 1's entry, in assembly below: it has no stack yet. */
extern char secondary_entry[];

/* Swap 1 in until the old value was 0; while another hart holds the lock,
   only read it, so the waiting hart does not keep claiming the line. */
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
   harts from overwriting each other's increments. */
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

/* " -> value", or the error when the call failed. */
static void print_result(const char *what, struct sbi_ret ret)
{
	put_str(what);
	put_str(" -> ");
	if (ret.error != 0) {
		put_str("error ");
		put_dec(ret.error);
	} else {
		put_dec(ret.value);
	}
	put_char('\n');
}

void secondary_main(unsigned long hartid)
{
	cpus[1].hartid = hartid;
	count(&cpus[1]);
	cpu_idle();
}

void main(unsigned long hartid, unsigned long dtb)
{
	struct sbi_ret ret;
	struct tally tally;

	put_str("[root] hello from hart ");
	put_dec((long)hartid);
	put_str(" (dtb ");
	put_hex(dtb);
	put_str(")\n");
	cpus[0].hartid = hartid;

	/* 1. Two harts, one counter. */
	ret = sbi_call(SBI_EXT_HSM, 0, 1, (long)secondary_entry, 0);
	print_result("[root] hart_start(hart 1)", ret);
	count(&cpus[0]);
	if (ret.error == 0)
		while (__atomic_load_n(&cpus[1].state, __ATOMIC_ACQUIRE) != CPU_DONE)
			;
	tally = take_tally();
	put_str("[root] counter = ");
	put_dec((long)tally.total);
	put_str(tally.total == tally.expected ? " (harts 0 and 1, 1000 locked increments each)\n" : " (increments were lost)\n");

	/* 2. Zone 1. It prints only once it finds go set, after our line. */
	__atomic_store_n(&MAILBOX->go, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&MAILBOX->done, 0, __ATOMIC_RELAXED);
	ret = hvisor_call(HVISOR_HC_START_ZONE, (u64)&zone1_config, sizeof zone1_config);
	print_result("[root] start zone 1", ret);
	if (ret.error == 0) {
		__atomic_store_n(&MAILBOX->go, 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&MAILBOX->done, __ATOMIC_ACQUIRE) == 0)
			;
		put_str("[root] zone 1 is done\n");
		print_result("[root] shut down zone 1", hvisor_call(HVISOR_HC_SHUTDOWN_ZONE, 1, 0));
	}

	/* 3. Power off: SRST does not return unless it failed. */
	put_str("[root] powering off\n");
	print_result("[root] system_reset", sbi_call(SBI_EXT_SRST, 0, 0, 0, 0));
	cpu_idle();
}

/* Each hart starts without a stack: hart 0 from hvisor with a0 = hartid and
   a1 = the DTB, hart 1 from hart_start with a0 = hartid. */
__asm__(".pushsection .text.start, \"ax\"\n"
	".globl _start\n"
	"_start:\n"
	"	lla sp, root_stacks + 8192\n"
	"	call main\n"
	"secondary_entry:\n"
	"	lla sp, root_stacks + 16384\n"
	"	call secondary_main\n"
	".popsection\n");
