# A first guest for hvisor-debug. The boot hart counts the harts in the
# device tree it was handed, prints a banner and starts every other hart with
# SBI HSM hart_start. The harts greet in hartid order, each waiting for its
# turn; the boot hart waits for the others, then powers the machine off with
# SBI SRST.
#
# Run it:  node dist/cli.js run --arch riscv64 --image samples/riscv64-hello/hello.S --cpus 4

        .equ SBI_HSM, 0x48534d          # HSM extension: fid 0 = hart_start
        .equ SBI_SRST, 0x53525354       # system reset: fid 0, type 0 = shutdown
        .equ UART, 0x10000000           # 16550 transmit register
        .equ STACK_SIZE, 4096
        .equ FDT_BEGIN_NODE, 1          # device-tree structure tokens
        .equ FDT_PROP, 3
        .equ FDT_END, 9

        .text
        .globl _start
_start:                                 # a0 = hartid, a1 = DTB
        la      sp, stacks
        addi    t0, a0, 1
        li      t1, STACK_SIZE
        mul     t0, t0, t1
        add     sp, sp, t0              # sp = top of this hart's stack
        la      t0, booted
        li      t1, 1
        amoswap.w t1, t1, (t0)
        bnez    t1, secondary           # harts started by hart_start enter here too

        mv      s2, a0                  # the boot hart's id
        mv      a0, a1
        call    count_harts
        mv      s1, a0                  # harts in the device tree
        la      a0, banner
        call    puts
        li      s0, 0                   # hartid to start next
start_next:
        beq     s0, s1, started
        beq     s0, s2, 1f              # not ourselves
        mv      a0, s0                  # hartid
        la      a1, _start              # where it begins
        li      a2, 0                   # opaque, arrives in a1
        li      a7, SBI_HSM
        li      a6, 0
        ecall
1:      addi    s0, s0, 1
        j       start_next
started:
        mv      a0, s2
        call    greet
        la      t0, done
2:      lw      t1, 0(t0)               # wait until every other hart has greeted
        addi    t1, t1, 1
        bne     t1, s1, 2b
        la      a0, bye
        call    puts
        li      t0, UART
3:      lbu     t1, 5(t0)               # LSR: wait until the transmitter is empty,
        andi    t1, t1, 0x40            # so no byte is still on the wire at power-off
        beqz    t1, 3b
        li      a7, SBI_SRST
        li      a6, 0
        li      a0, 0                   # shutdown
        li      a1, 0                   # no reason
        ecall

secondary:
        call    greet
        la      t0, done
        li      t1, 1
        amoadd.w zero, t1, (t0)         # count this hart as done
park:   wfi
        j       park

# greet(a0 = hartid): wait for this hart's turn, print a line, pass the turn on.
greet:
        mv      s2, a0
        mv      s3, ra
        la      t0, turn
1:      lw      t1, 0(t0)
        bne     t1, s2, 1b              # not our turn yet
        fence   r, rw
        la      a0, hello
        call    puts
        addi    a0, s2, '0'
        call    putc
        li      a0, '\n'
        call    putc
        la      t0, turn
        li      t1, 1
        amoadd.w.rl zero, t1, (t0)      # next hart's turn
        mv      ra, s3
        ret

# count_harts(a0 = DTB): the number of cpu@ nodes in a flattened device tree.
# Its words are big-endian; walk the structure block token by token.
count_harts:
        mv      t5, ra
        mv      t6, a0
        addi    a0, t6, 8
        call    be32                    # off_dt_struct
        add     t3, t6, a0              # t3 walks the tokens
        li      t4, 0                   # cpu@ nodes seen
1:      mv      a0, t3
        call    be32
        addi    t3, t3, 4
        li      t0, FDT_BEGIN_NODE
        beq     a0, t0, 2f
        li      t0, FDT_PROP
        beq     a0, t0, 4f
        li      t0, FDT_END
        bne     a0, t0, 1b              # END_NODE or NOP: next token
        mv      a0, t4
        mv      ra, t5
        ret
2:      lbu     t0, 0(t3)               # a node: does its name start "cpu@"?
        li      t1, 'c'
        bne     t0, t1, 3f
        lbu     t0, 1(t3)
        li      t1, 'p'
        bne     t0, t1, 3f
        lbu     t0, 2(t3)
        li      t1, 'u'
        bne     t0, t1, 3f
        lbu     t0, 3(t3)
        li      t1, '@'
        bne     t0, t1, 3f
        addi    t4, t4, 1
3:      lbu     t0, 0(t3)               # skip the name and its padding
        addi    t3, t3, 1
        bnez    t0, 3b
        addi    t3, t3, 3
        andi    t3, t3, -4
        j       1b
4:      mv      a0, t3                  # a property: skip length, name and value
        call    be32
        addi    t3, t3, 8
        addi    a0, a0, 3
        andi    a0, a0, -4
        add     t3, t3, a0
        j       1b

# be32(a0 = address): the big-endian word there.
be32:   lbu     t0, 0(a0)
        lbu     t1, 1(a0)
        lbu     t2, 2(a0)
        lbu     a0, 3(a0)
        slli    t0, t0, 24
        slli    t1, t1, 16
        slli    t2, t2, 8
        or      a0, a0, t0
        or      a0, a0, t1
        or      a0, a0, t2
        ret

# putc(a0): write one byte to the UART once its transmit holding register is
# empty (LSR.THRE), so no byte is overwritten however slowly the line drains.
putc:   li      t0, UART
1:      lbu     t1, 5(t0)
        andi    t1, t1, 0x20
        beqz    t1, 1b
        sb      a0, 0(t0)
        ret

# puts(a0): write a NUL-terminated string.
puts:   mv      a3, a0
        mv      a4, ra
2:      lbu     a0, 0(a3)
        beqz    a0, 3f
        call    putc
        addi    a3, a3, 1
        j       2b
3:      mv      ra, a4
        ret

        .data
banner: .asciz  "hvisor-debug: riscv64 sample, starting harts\n"
hello:  .asciz  "hello from hart "
bye:    .asciz  "all harts done, powering off\n"
        .align  2
booted: .word   0
turn:   .word   0
done:   .word   0

        .bss
        .align  4
stacks: .zero   STACK_SIZE * 64             # up to 64 harts
