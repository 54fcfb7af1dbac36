/* The qemu-gicv3 board as both zones see it, and what the two zones share. */
#ifndef BOARD_H
#define BOARD_H

/* The PL011's data register; both zones map the UART. */
#define UART_TX ((volatile unsigned char *)0x09000000)

/* Zone 1's RAM (zone1.json); the root zone's RAM mapping covers it too. */
#define ZONE1_RAM 0x60000000UL
#define ZONE1_DTB 0x60f00000UL

/* A mailbox in zone 1's RAM that both zones can reach: the root tells zone 1
   when it may print and zone 1 says when it is done, so the output never
   depends on how the CPUs are scheduled. */
struct mailbox {
	unsigned int go;   /* root -> zone 1 */
	unsigned int done; /* zone 1 -> root */
};
#define MAILBOX ((struct mailbox *)0x60800000UL)

/* This CPU's number on the board: MPIDR_EL1.Aff0. */
static inline unsigned long cpu_id(void)
{
	unsigned long mpidr;
	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	return mpidr & 0xff;
}

static inline void cpu_idle(void)
{
	for (;;)
		__asm__ volatile("wfi");
}

#endif
