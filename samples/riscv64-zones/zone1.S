# Zone 1 of the riscv64-zones sample (zone1.json): CPUs 2 and 3, RAM
# 0x8a000000-0x8b000000, the UART. The root zone starts it with the
# ZoneStart hypercall; hvisor then enters CPU 2 at 0x8a000000 with
# a0 = hartid and a1 = the DTB. CPU 3 stays parked until we start it.
#
# Both CPUs greet, CPU 2 first, then zone 1 tells the root it is done
# through a mailbox in its own RAM, which the root can read because its RAM
# mapping covers ours. The root also tells us when we may start printing,
# so the sample's output never depends on how the CPUs are scheduled.

        .equ UART, 0x10000000           # 16550 transmit register (shared with the root)
        .equ SBI_HSM, 0x48534d          # fid 0 = hart_start(hartid, entry, opaque)
        .equ STACK_SIZE, 4096

# The mailbox: the root zone uses the same address (root.S).
        .equ MAILBOX, 0x8a800000
        .equ MB_GO, 0                   # root -> zone 1: you may print now
        .equ MB_DONE, 4                 # zone 1 -> root: both CPUs have printed

        .text
        .globl _start
_start:                                 # CPU 2 (hvisor's entry_point): a0 = hartid, a1 = DTB
        la      sp, stack2 + STACK_SIZE
        mv      s0, a0
        mv      s1, a1
        li      t0, MAILBOX
1:      lw      t1, MB_GO(t0)           # wait until the root has printed its ZoneStart line
        beqz    t1, 1b
        mv      a0, s0
        mv      a1, s1
        call    greet
        li      a0, 3                   # hartid
        la      a1, cpu3_entry
        mv      a2, s1                  # opaque: CPU 3 gets our DTB in a1
        li      a7, SBI_HSM
        li      a6, 0
        ecall
        mv      s2, a0
        la      a0, s_hart_start
        call    puts
        mv      a0, s2
        call    putdec
        la      a0, s_newline
        call    puts
        bnez    s2, done                # CPU 3 never came: finish without it
        la      t0, turn
        li      t1, 1
        fence   rw, w                   # our lines before CPU 3's
        sw      t1, 0(t0)
        j       park

cpu3_entry:                             # CPU 3: a0 = hartid, a1 = opaque
        la      sp, stack3 + STACK_SIZE
        la      t0, turn
1:      lw      t1, 0(t0)               # wait for CPU 2 to finish its lines
        beqz    t1, 1b
        fence   r, rw
        call    greet
done:   li      t0, MAILBOX
        li      t1, 1
        fence   rw, w
        sw      t1, MB_DONE(t0)
park:   wfi
        j       park

# greet(a0 = hartid, a1 = DTB): "[zone1] hello from hart N (dtb 0x...)"
greet:
        addi    sp, sp, -32
        sd      ra, 24(sp)
        sd      s0, 16(sp)
        sd      s1, 8(sp)
        mv      s0, a0
        mv      s1, a1
        la      a0, s_hello
        call    puts
        mv      a0, s0
        call    putdec
        la      a0, s_dtb
        call    puts
        mv      a0, s1
        call    puthex
        la      a0, s_close
        call    puts
        ld      s1, 8(sp)
        ld      s0, 16(sp)
        ld      ra, 24(sp)
        addi    sp, sp, 32
        ret

# The printing helpers, as in root.S: leaves that use only a0 and t0-t3.

# puts(a0 = NUL-terminated string)
puts:   li      t0, UART
1:      lbu     t1, 0(a0)
        beqz    t1, 2f
        sb      t1, 0(t0)
        addi    a0, a0, 1
        j       1b
2:      ret

# putdec(a0 = signed value)
putdec: li      t0, UART
        bgez    a0, 1f
        li      t1, '-'
        sb      t1, 0(t0)
        neg     a0, a0
1:      addi    sp, sp, -32
        addi    t2, sp, 32
        li      t3, 10
2:      remu    t1, a0, t3
        addi    t1, t1, '0'
        addi    t2, t2, -1
        sb      t1, 0(t2)
        divu    a0, a0, t3
        bnez    a0, 2b
        addi    t3, sp, 32
3:      lbu     t1, 0(t2)
        sb      t1, 0(t0)
        addi    t2, t2, 1
        bne     t2, t3, 3b
        addi    sp, sp, 32
        ret

# puthex(a0): "0x" and the value's hex digits, without leading zeros.
puthex: li      t0, UART
        li      t1, '0'
        sb      t1, 0(t0)
        li      t1, 'x'
        sb      t1, 0(t0)
        li      t2, 60
1:      srl     t1, a0, t2
        bnez    t1, 2f
        beqz    t2, 2f
        addi    t2, t2, -4
        j       1b
2:      srl     t1, a0, t2
        andi    t1, t1, 15
        li      t3, 10
        blt     t1, t3, 3f
        addi    t1, t1, 'a' - '0' - 10
3:      addi    t1, t1, '0'
        sb      t1, 0(t0)
        addi    t2, t2, -4
        bgez    t2, 2b
        ret

        .data
s_hello:        .asciz "[zone1] hello from hart "
s_dtb:          .asciz " (dtb "
s_close:        .asciz ")\n"
s_hart_start:   .asciz "[zone1] hart_start(hart 3) -> "
s_newline:      .asciz "\n"
        .balign 4
turn:           .word 0                 # 1 once CPU 3 may print

        .bss
        .balign 16
stack2:         .zero STACK_SIZE
stack3:         .zero STACK_SIZE
