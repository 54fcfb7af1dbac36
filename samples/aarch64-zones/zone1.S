// Zone 1 of the aarch64-zones sample (zone1.json): CPUs 2 and 3, RAM
// 0x60000000-0x61000000, the UART. The root zone starts it with the
// ZoneStart hypercall; hvisor then enters CPU 2 at 0x60000000 in EL1h, MMU
// off, with x0 = the DTB. CPU 3 stays parked until we start it.
//
// Both CPUs greet, CPU 2 first, then zone 1 tells the root it is done
// through a mailbox in its own RAM, which the root can read because its RAM
// mapping covers ours. The root also tells us when we may start printing,
// so the sample's output never depends on how the CPUs are scheduled.

        .equ UART, 0x09000000           // PL011 data register (shared with the root)
        .equ PSCI_CPU_ON, 0xc4000003    // (target MPIDR, entry, context id), SMC64
        .equ STACK_SIZE, 4096

// The mailbox: the root zone uses the same address (root.S).
        .equ MAILBOX, 0x60800000
        .equ MB_GO, 0                   // root -> zone 1: you may print now
        .equ MB_DONE, 4                 // zone 1 -> root: both CPUs have printed

        .text
        .globl _start
_start:                                 // CPU 2 (hvisor's entry_point): x0 = DTB
        adr     x9, stack2 + STACK_SIZE
        mov     sp, x9
        mov     x19, x0
        mov     x9, #MAILBOX
        add     x9, x9, #MB_GO
1:      ldar    w10, [x9]               // wait until the root has printed its ZoneStart line
        cbz     w10, 1b
        mov     x0, x19
        bl      greet
        ldr     x0, =PSCI_CPU_ON
        mov     x1, #3                  // target MPIDR: Aff0 = CPU 3
        adr     x2, cpu3_entry
        mov     x3, #0                  // context id (hvisor hands CPU 3 our DTB in x0 instead)
        smc     #0
        mov     x20, x0
        adr     x0, s_cpu_on
        bl      puts
        mov     x0, x20
        bl      putdec
        adr     x0, s_newline
        bl      puts
        cbnz    x20, done               // CPU 3 never came: finish without it
        adr     x9, turn
        mov     w10, #1
        stlr    w10, [x9]               // our lines before CPU 3's
        b       park

cpu3_entry:                             // CPU 3: x0 = DTB, everything else zero
        adr     x9, stack3 + STACK_SIZE
        mov     sp, x9
        adr     x9, turn
1:      ldar    w10, [x9]               // wait for CPU 2 to finish its lines
        cbz     w10, 1b
        bl      greet
done:   mov     x9, #MAILBOX
        add     x9, x9, #MB_DONE
        mov     w10, #1
        stlr    w10, [x9]
park:   wfi
        b       park

// greet(x0 = DTB): "[zone1] hello from CPU N (dtb 0x...)", N from MPIDR_EL1.Aff0
greet:
        stp     x29, x30, [sp, #-32]!
        stp     x19, x20, [sp, #16]
        mov     x20, x0
        mrs     x19, mpidr_el1
        and     x19, x19, #0xff         // Aff0: the CPU's number on this board
        adr     x0, s_hello
        bl      puts
        mov     x0, x19
        bl      putdec
        adr     x0, s_dtb
        bl      puts
        mov     x0, x20
        bl      puthex
        adr     x0, s_close
        bl      puts
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// The printing helpers, as in root.S: leaves that use only x0 and x9-x13.

// puts(x0 = NUL-terminated string)
puts:   mov     x9, #UART
1:      ldrb    w10, [x0], #1
        cbz     w10, 2f
        strb    w10, [x9]
        b       1b
2:      ret

// putdec(x0 = signed value)
putdec: mov     x9, #UART
        tbz     x0, #63, 1f
        mov     w10, #'-'
        strb    w10, [x9]
        neg     x0, x0
1:      sub     sp, sp, #32
        add     x11, sp, #32
        mov     x12, #10
2:      udiv    x13, x0, x12
        msub    x10, x13, x12, x0
        add     w10, w10, #'0'
        strb    w10, [x11, #-1]!
        mov     x0, x13
        cbnz    x0, 2b
        add     x12, sp, #32
3:      ldrb    w10, [x11], #1
        strb    w10, [x9]
        cmp     x11, x12
        b.ne    3b
        add     sp, sp, #32
        ret

// puthex(x0): "0x" and the value's hex digits, without leading zeros.
puthex: mov     x9, #UART
        mov     w10, #'0'
        strb    w10, [x9]
        mov     w10, #'x'
        strb    w10, [x9]
        mov     x11, #60
1:      lsr     x10, x0, x11
        cbnz    x10, 2f
        cbz     x11, 2f
        sub     x11, x11, #4
        b       1b
2:      lsr     x10, x0, x11
        and     x10, x10, #15
        cmp     x10, #10
        b.lo    3f
        add     x10, x10, #'a' - '0' - 10
3:      add     x10, x10, #'0'
        strb    w10, [x9]
        subs    x11, x11, #4
        b.ge    2b
        ret

        .data
s_hello:        .asciz "[zone1] hello from CPU "
s_dtb:          .asciz " (dtb "
s_close:        .asciz ")\n"
s_cpu_on:       .asciz "[zone1] CPU_ON(CPU 3) -> "
s_newline:      .asciz "\n"
        .balign 4
turn:           .word 0                 // 1 once CPU 3 may print

        .bss
        .balign 16
stack2:         .zero STACK_SIZE
stack3:         .zero STACK_SIZE
