/* Zone 1 of the riscv64-c sample (zone1.json): hart 2, RAM 0x8a000000 to
   0x8b000000 and the UART. The root zone starts it with hvisor's START_ZONE
   hypercall; hvisor then enters hart 2 at _start (0x8a000000, where zone1.ld
   puts it) with a0 = hartid and a1 = the DTB. It waits for the root's go,
   greets, sums a few squares and tells the root it is done. */

#include "board.h"
#include "console.h"

struct greeting {
	unsigned long hartid;
	unsigned long dtb;
	const char *zone;
};

unsigned long zone1_stack[1024] __attribute__((aligned(16)));

static int square(int x)
{
	int y = x * x;
	return y;
}

static int sum_of_squares(const int *values, int n)
{
	int sum = 0;

	for (int i = 0; i < n; i++)
		sum += square(values[i]);
	return sum;
}

void main(unsigned long hartid, unsigned long dtb)
{
	struct greeting g = { hartid, dtb, "zone1" };
	int numbers[4] = { 1, 2, 3, 4 };
	int total;

	while (__atomic_load_n(&MAILBOX->go, __ATOMIC_ACQUIRE) == 0)
		;
	put_str("[");
	put_str(g.zone);
	put_str("] hello from hart ");
	put_dec((long)g.hartid);
	put_str(" (dtb ");
	put_hex(g.dtb);
	put_str(")\n");
	total = sum_of_squares(numbers, 4);
	put_str("[zone1] 1*1 + 2*2 + 3*3 + 4*4 = ");
	put_dec(total);
	put_char('\n');
	__atomic_store_n(&MAILBOX->done, 1, __ATOMIC_RELEASE);
	cpu_idle();
}

__asm__(".pushsection .text.start, \"ax\"\n"
	".globl _start\n"
	"_start:\n"
	"	lla sp, zone1_stack + 8192\n"
	"	call main\n"
	".popsection\n");
