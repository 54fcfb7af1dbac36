/* Entry points for the aarch64 test guests.
 * QEMU (virt, virtualization=on) enters _start and PSCI CPU_ON targets at
 * EL2; the hvisor model enters them at EL1h (x0 = DTB on the boot CPU). Both
 * paths meet at EL1, where nothing here depends on where they came from.
 * _start: the boot CPU. Clears .bss, calls main(cpu, dtb), then powers off.
 * secondary_entry: CPUs started by PSCI CPU_ON; calls secondary_main(cpu).
 *         The context id is not used: hvisor does not pass it on (x0 = DTB).
 * The CPU index is MPIDR_EL1.Aff0 on both boards. */

#define STACK_SHIFT 15 /* 32 KiB per CPU */
#define MAX_CPUS 4
#define FRAME_SIZE (36 * 8)

#define HCR_RW (1 << 31)
#define CNTHCTL_EL1PCTEN_EL1PCEN 3
#define ICC_SRE_SRE_ENABLE 0x9
#define CPTR_EL2_RES1 0x33ff /* TFP clear: EL1 FP/SIMD is not trapped to EL2 */
#define SCTLR_EL1_RES1 0x30d00800
#define SPSR_EL1H_DAIF 0x3c5
#define CPACR_FPEN (3 << 20)

  .section .text.start, "ax"
  .globl _start
_start:
  mov x19, x0
  bl drop_to_el1
  bl el1_setup
  mov x20, x0
  adrp x1, __bss_start
  add x1, x1, :lo12:__bss_start
  adrp x2, __bss_end
  add x2, x2, :lo12:__bss_end
1:
  cmp x1, x2
  b.hs 2f
  stp xzr, xzr, [x1], #16
  b 1b
2:
  mov x0, x20
  mov x1, x19
  bl main
  bl poweroff

  .text
  .globl secondary_entry
secondary_entry:
  bl drop_to_el1
  bl el1_setup
  bl secondary_main
park:
  wfi
  b park

/* At EL2, leave EL1 ready to run with the timer, the GIC CPU interface and
 * FP/SIMD open to it, and return to the caller at EL1h with DAIF masked.
 * At EL1 it just returns. Clobbers x0, x1. */
drop_to_el1:
  mrs x0, CurrentEL
  cmp x0, #(2 << 2)
  b.ne 1f
  mov x0, #HCR_RW
  msr hcr_el2, x0
  mov x0, #CNTHCTL_EL1PCTEN_EL1PCEN
  msr cnthctl_el2, x0
  msr cntvoff_el2, xzr
  mov x0, #CPTR_EL2_RES1
  msr cptr_el2, x0
  msr hstr_el2, xzr
  mrs x0, mpidr_el1
  msr vmpidr_el2, x0
  /* ICC_SRE_EL2 exists only with a GICv3 CPU interface (ID_AA64PFR0_EL1.GIC). */
  mrs x0, id_aa64pfr0_el1
  ubfx x0, x0, #24, #4
  cbz x0, 2f
  mov x0, #ICC_SRE_SRE_ENABLE
  msr S3_4_C12_C9_5, x0 /* ICC_SRE_EL2 */
  isb
2:
  mov x0, #(SCTLR_EL1_RES1 & 0xffff)
  movk x0, #(SCTLR_EL1_RES1 >> 16), lsl #16
  msr sctlr_el1, x0
  mov x0, #SPSR_EL1H_DAIF
  msr spsr_el2, x0
  msr elr_el2, x30
  eret
1:
  ret

/* At EL1: this CPU's stack, the vector table and FP/SIMD on. Returns the CPU
 * index in x0; CPUs beyond MAX_CPUS park. */
el1_setup:
  mrs x0, mpidr_el1
  and x0, x0, #0xff
  cmp x0, #MAX_CPUS
  b.hs park
  adrp x1, __stacks_end
  add x1, x1, :lo12:__stacks_end
  sub x1, x1, x0, lsl #STACK_SHIFT
  mov sp, x1
  adrp x1, vectors
  add x1, x1, :lo12:vectors
  msr vbar_el1, x1
  mov x1, #CPACR_FPEN
  msr cpacr_el1, x1
  isb
  ret

/* Sixteen vectors; each saves x0/x1, passes its index in x1 and joins
 * exception_entry, which saves a struct exception_frame (lib.h) and calls
 * exception_handler(frame). ELR/SPSR are reloaded from the frame. */
  .macro vector index
  .balign 0x80
  sub sp, sp, #FRAME_SIZE
  stp x0, x1, [sp]
  mov x1, #\index
  b exception_entry
  .endm

  .balign 0x800
  .globl vectors
vectors:
  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
  vector \n
  .endr

exception_entry:
  stp x2, x3, [sp, #2 * 8]
  stp x4, x5, [sp, #4 * 8]
  stp x6, x7, [sp, #6 * 8]
  stp x8, x9, [sp, #8 * 8]
  stp x10, x11, [sp, #10 * 8]
  stp x12, x13, [sp, #12 * 8]
  stp x14, x15, [sp, #14 * 8]
  stp x16, x17, [sp, #16 * 8]
  stp x18, x19, [sp, #18 * 8]
  stp x20, x21, [sp, #20 * 8]
  stp x22, x23, [sp, #22 * 8]
  stp x24, x25, [sp, #24 * 8]
  stp x26, x27, [sp, #26 * 8]
  stp x28, x29, [sp, #28 * 8]
  mrs x2, elr_el1
  stp x30, x2, [sp, #30 * 8]
  mrs x2, spsr_el1
  mrs x3, esr_el1
  stp x2, x3, [sp, #32 * 8]
  mrs x2, far_el1
  stp x2, x1, [sp, #34 * 8]
  mov x0, sp
  bl exception_handler
  ldp x30, x2, [sp, #30 * 8]
  msr elr_el1, x2
  ldr x2, [sp, #32 * 8]
  msr spsr_el1, x2
  ldp x2, x3, [sp, #2 * 8]
  ldp x4, x5, [sp, #4 * 8]
  ldp x6, x7, [sp, #6 * 8]
  ldp x8, x9, [sp, #8 * 8]
  ldp x10, x11, [sp, #10 * 8]
  ldp x12, x13, [sp, #12 * 8]
  ldp x14, x15, [sp, #14 * 8]
  ldp x16, x17, [sp, #16 * 8]
  ldp x18, x19, [sp, #18 * 8]
  ldp x20, x21, [sp, #20 * 8]
  ldp x22, x23, [sp, #22 * 8]
  ldp x24, x25, [sp, #24 * 8]
  ldp x26, x27, [sp, #26 * 8]
  ldp x28, x29, [sp, #28 * 8]
  ldp x0, x1, [sp]
  add sp, sp, #FRAME_SIZE
  eret
