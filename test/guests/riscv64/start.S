/* Entry points for the riscv64 test guests.
 * _start: the boot hart, a0 = hartid, a1 = DTB. Clears .bss, takes the stack
 *         slot of its hartid, calls main(hartid, dtb), then powers off.
 * secondary_entry: harts started by SBI HSM hart_start, a0 = hartid,
 *         a1 = opaque; calls secondary_main(hartid, opaque), then idles.
 * Both turn the FPU on (sstatus.FS = Initial) first.
 * trap_entry: saves every register in a struct trap_frame on the current
 *         stack, calls trap_handler(frame), restores and returns with sret. */

#define STACK_SHIFT 15 /* 32 KiB per hart */
#define MAX_HARTS 4
#define FRAME_SIZE (36 * 8)
#define SSTATUS_FS_INITIAL 0x2000 /* the guests are rv64gc: the FPU is on, as a kernel turns it on */

  .section .text.start, "ax"
  .globl _start
_start:
  li t0, MAX_HARTS
  bgeu a0, t0, park
  mv s0, a0
  mv s1, a1
  li t0, SSTATUS_FS_INITIAL
  csrs sstatus, t0
  la t0, __bss_start
  la t1, __bss_end
1:
  bgeu t0, t1, 2f
  sd zero, 0(t0)
  addi t0, t0, 8
  j 1b
2:
  fence
  la sp, __stacks_end
  slli t0, s0, STACK_SHIFT
  sub sp, sp, t0
  mv a0, s0
  mv a1, s1
  call main
  call poweroff
park:
  wfi
  j park

  .text
  .globl secondary_entry
  .align 2
secondary_entry:
  li t0, MAX_HARTS
  bgeu a0, t0, park
  li t0, SSTATUS_FS_INITIAL
  csrs sstatus, t0
  la sp, __stacks_end
  slli t0, a0, STACK_SHIFT
  sub sp, sp, t0
  call secondary_main
  j park

  .globl trap_entry
  .align 2
trap_entry:
  addi sp, sp, -FRAME_SIZE
  .irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  sd x\n, \n*8(sp)
  .endr
  addi t0, sp, FRAME_SIZE
  sd t0, 2*8(sp)
  csrr t0, sepc
  sd t0, 32*8(sp)
  csrr t0, scause
  sd t0, 33*8(sp)
  csrr t0, stval
  sd t0, 34*8(sp)
  csrr t0, sstatus
  sd t0, 35*8(sp)
  mv a0, sp
  call trap_handler
  ld t0, 32*8(sp)
  csrw sepc, t0
  .irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  ld x\n, \n*8(sp)
  .endr
  addi sp, sp, FRAME_SIZE
  sret
