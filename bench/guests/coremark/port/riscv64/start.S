/* riscv64 entry, in S-mode (OpenSBI) or VS-mode (the hvisor model): a0 is
 * the hart id, a1 the DTB. One hart runs CoreMark; any other parks. */
#define SSTATUS_FS_INITIAL 0x2000 /* the FPU on, for the report's doubles */

  .section .text.start, "ax"
  .globl _start
_start:
  bnez a0, park
  li t0, SSTATUS_FS_INITIAL
  csrs sstatus, t0
  la t0, trap_entry
  csrw stvec, t0
  la t0, __bss_start
  la t1, __bss_end
1:
  bgeu t0, t1, 2f
  sd zero, 0(t0)
  addi t0, t0, 8
  j 1b
2:
  la sp, __stack_end
  call main
  call platform_poweroff
park:
  wfi
  j park

/* CoreMark takes no traps: one means the run went wrong. Report and stop. */
  .align 2
trap_entry:
  la sp, __stack_end
  csrr a0, scause
  csrr a1, sepc
  csrr a2, stval
  call platform_trap
