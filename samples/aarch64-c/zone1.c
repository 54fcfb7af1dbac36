/* Zone 1 of the aarch64-c sample (zone1.json): CPU 2, RAM 0x60000000 to
   0x61000000 and the UART. The root zone starts it with hvisor's START_ZONE
   hypercall; hvisor then enters CPU 2 at _start (0x60000000, where zone1.ld
   puts it) in EL1h, MMU off, with x0 = the DTB. It waits for the root's go,
   greets, sums a few squares and tells the root it is done. */

#include "board.h"
#include "console.h"

struct greeting {
	unsigned long cpu;
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

void main(unsigned long dtb)
{
	struct greeting g = { cpu_id(), dtb, "zone1" };
	int numbers[4] = { 1, 2, 3, 4 };
	int total;

	while (__atomic_load_n(&MAILBOX->go, __ATOMIC_ACQUIRE) == 0)
		;
	put_str("[");
	put_str(g.zone);
	put_str("] hello from CPU ");
	put_dec((long)g.cpu);
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

/* CPU 2 starts without a stack and with FP/SIMD trapped; x0 = the DTB. */
__asm__(".pushsection .text.start, \"ax\"\n"
	".globl _start\n"
	"_start:\n"
	"	mov x9, #(3 << 20)\n"
	"	msr cpacr_el1, x9\n"
	"	isb\n"
	"	adrp x9, zone1_stack + 8192\n"
	"	add x9, x9, :lo12:zone1_stack + 8192\n"
	"	mov sp, x9\n"
	"	bl main\n"
	".popsection\n");
