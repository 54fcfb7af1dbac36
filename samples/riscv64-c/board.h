/* The qemu-plic board as both zones see it, and what the two zones share. */
#ifndef BOARD_H
#define BOARD_H

/* The 16550's transmit register; both zones map the UART. */
#define UART_TX ((volatile unsigned char *)0x10000000)

/* Zone 1's RAM (zone1.json); the root zone's RAM mapping covers it too. */
#define ZONE1_RAM 0x8a000000UL
#define ZONE1_DTB 0x8af00000UL

/* A mailbox in zone 1's RAM that both zones can reach: the root tells zone 1
   when it may print and zone 1 says when it is done, so the output never
   depends on how the CPUs are scheduled. */
struct mailbox {
	unsigned int go;   /* root -> zone 1 */
	unsigned int done; /* zone 1 -> root */
};
#define MAILBOX ((struct mailbox *)0x8a800000UL)

static inline void cpu_idle(void)
{
	for (;;)
		__asm__ volatile("wfi");
}

#endif
