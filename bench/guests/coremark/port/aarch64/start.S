/* aarch64 entry at 0x40200000: QEMU's virt board starts an ELF here at EL1
 * (or at EL2 with virtualization=on) with x0 = 0, the hvisor model at EL1
 * with x0 = the DTB. At EL2 it first drops to EL1. One CPU runs CoreMark;
 * others park. */
#define HCR_RW (1 << 31)                 /* EL1 is AArch64 */
#define CNTHCTL_EL1PCTEN_EL1PCEN 3       /* EL1 reads the counters untrapped */
#define CPTR_EL2_RES1 0x33ff             /* and FP/SIMD untrapped */
#define SCTLR_EL1_RES1 0x30d00800        /* MMU and caches off */
#define SPSR_EL1H_DAIF 0x3c5             /* EL1h, interrupts masked */
#define CPACR_FPEN (3 << 20)

  .section .text.start, "ax"
  .globl _start
_start:
  mrs x1, mpidr_el1
  tst x1, #0xff
  b.ne park
  mov x19, x0
  mrs x1, CurrentEL
  cmp x1, #(2 << 2)
  b.ne 1f
  mov x1, #HCR_RW
  msr hcr_el2, x1
  mov x1, #CNTHCTL_EL1PCTEN_EL1PCEN
  msr cnthctl_el2, x1
  msr cntvoff_el2, xzr
  mov x1, #CPTR_EL2_RES1
  msr cptr_el2, x1
  mov x1, #(SCTLR_EL1_RES1 & 0xffff)
  movk x1, #(SCTLR_EL1_RES1 >> 16), lsl #16
  msr sctlr_el1, x1
  mov x1, #SPSR_EL1H_DAIF
  msr spsr_el2, x1
  adr x1, 1f
  msr elr_el2, x1
  eret
1:
  mov x1, #CPACR_FPEN
  msr cpacr_el1, x1
  adr x1, vectors
  msr vbar_el1, x1
  isb
  adrp x1, __stack_end
  add sp, x1, :lo12:__stack_end
  adrp x1, __bss_start
  add x1, x1, :lo12:__bss_start
  adrp x2, __bss_end
  add x2, x2, :lo12:__bss_end
2:
  cmp x1, x2
  b.hs 3f
  stp xzr, xzr, [x1], #16
  b 2b
3:
  mov x0, x19
  bl platform_init
  bl main
  bl platform_poweroff
park:
  wfi
  b park

/* CoreMark takes no exceptions: one means the run went wrong. Every vector
 * reports its index with ESR, ELR and FAR, then stops the machine. */
  .macro vector index
  .balign 0x80
  mov x0, #\index
  b exception_entry
  .endm

  .balign 0x800
vectors:
  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
  vector \n
  .endr

exception_entry:
  adrp x1, __stack_end
  add sp, x1, :lo12:__stack_end
  mrs x1, esr_el1
  mrs x2, elr_el1
  mrs x3, far_el1
  bl platform_exception
