# A first guest for hvisor-debug: hart 0 prints a banner and starts the other
# harts with SBI HSM hart_start until the hypervisor says there are no more.
# The harts greet in hartid order, each waiting for its turn; hart 0 waits
# for the others, then powers the machine off with SBI SRST.
#
# Run it:  node dist/cli.js run --arch riscv64 --image samples/riscv64-hello/hello.S --cpus 4

        .equ SBI_HSM, 0x48534d          # HSM extension: fid 0 = hart_start
        .equ SBI_SRST, 0x53525354       # system reset: fid 0, type 0 = shutdown
        .equ UART, 0x10000000           # 16550 transmit register
        .equ STACK_SIZE, 4096

        .text
        .globl _start
_start:                                 # a0 = hartid, a1 = DTB
        la      sp, stacks
        addi    t0, a0, 1
        li      t1, STACK_SIZE
        mul     t0, t0, t1
        add     sp, sp, t0              # sp = top of this hart's stack
        bnez    a0, secondary           # harts started by hart_start enter here too

        la      a0, banner
        call    puts
        li      s1, 1
start_next:
        mv      a0, s1                  # hartid
        la      a1, _start              # where it begins
        li      a2, 0                   # opaque, arrives in a1
        li      a7, SBI_HSM
        li      a6, 0
        ecall                           # a0 = SBI error: non-zero once no hart s1 exists
        bnez    a0, started
        addi    s1, s1, 1
        j       start_next
started:
        li      a0, 0
        call    greet
        la      t0, done
4:      lw      t1, 0(t0)               # wait until every other hart has greeted
        addi    t1, t1, 1
        bne     t1, s1, 4b
        la      a0, bye
        call    puts
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

# putc(a0): write one byte to the UART.
putc:   li      t0, UART
        sb      a0, 0(t0)
        ret

# puts(a0): write a NUL-terminated string.
puts:   mv      t3, a0
        mv      t4, ra
2:      lbu     a0, 0(t3)
        beqz    a0, 3f
        call    putc
        addi    t3, t3, 1
        j       2b
3:      mv      ra, t4
        ret

        .data
banner: .asciz  "hvisor-debug: riscv64 sample, starting harts\n"
hello:  .asciz  "hello from hart "
bye:    .asciz  "all harts done, powering off\n"
        .align  2
turn:   .word   0
done:   .word   0

        .bss
        .align  4
stacks: .zero   STACK_SIZE * 4
