// The quick-launch root zone on riscv64 describes the PLIC in its device tree
// and wires the 16550's interrupt to it, so a guest (Linux's 8250 driver
// among them) runs the UART on interrupts through hvisor's virtual PLIC.
// The guest here takes every address and number from that device tree: the
// PLIC's base, the UART's source, and hart 0's S-mode context (its index in
// the PLIC's interrupts-extended).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../../../engine/api';
import type { DeviceTree, FdtNode } from '../../../../engine/machine/fdt';
import { parseDtb } from '../../../../engine/machine/fdt-parse';
import { riscv64Target } from '../../../../engine/target/riscv64';

const SUPERVISOR_EXTERNAL = 9;

function launch(source: string): { engine: Engine; uart: number[] } {
  const uart: number[] = [];
  const engine = Engine.launchQuick({ arch: 'riscv64', image: { path: 'guest.S', bytes: new TextEncoder().encode(source) }, cpus: 2, onUart: (b) => uart.push(b) });
  return { engine, uart };
}

function quickDtb(engine: Engine): DeviceTree {
  const q = riscv64Target.quick;
  const raw = engine.readPhysical(q.dtbAddress, 0x10000);
  return parseDtb(Uint8Array.from(raw.map((b) => b ?? 0)), 'quick.dtb');
}

function byCompatible(node: FdtNode, compatible: string): FdtNode | undefined {
  if (node.property('compatible')?.strings().includes(compatible)) return node;
  for (const child of node.children) {
    const hit = byCompatible(child, compatible);
    if (hit) return hit;
  }
  return undefined;
}

/** What a PLIC driver reads from the tree: the PLIC's base, the UART's source, hart 0's S-mode context. */
function plicWiring(tree: DeviceTree): { plic: number; irq: number; context: number } {
  const plic = byCompatible(tree.root, 'riscv,plic0');
  const serial = byCompatible(tree.root, 'ns16550a');
  assert.ok(plic, 'the quick device tree has a PLIC');
  assert.ok(serial, 'the quick device tree has the 16550');
  assert.equal(serial.property('interrupt-parent')?.u32(), plic.property('phandle')?.u32(), "the UART's interrupt parent is the PLIC");
  const irq = serial.property('interrupts')?.u32();
  assert.ok(irq !== undefined && irq > 0);
  const reg = plic.property('reg')!.cells();
  const contexts = plic.property('interrupts-extended')!.cells();
  const hart0 = tree.find('/cpus/cpu@0/interrupt-controller')!.property('phandle')!.u32();
  let context = -1;
  for (let i = 0; i < contexts.length; i += 2) if (contexts[i] === hart0 && contexts[i + 1] === SUPERVISOR_EXTERNAL) context = i / 2;
  assert.ok(context >= 0, "hart 0's S-mode external interrupt is a PLIC context");
  return { plic: reg[0]! * 2 ** 32 + reg[1]!, irq, context };
}

/** Enables the UART's receive interrupt through the PLIC; its handler echoes each byte, doubled, only for a claim of the UART's source. */
function guest(w: { plic: number; irq: number; context: number }): string {
  return `
        .equ UART, 0x10000000
        .equ PLIC, ${w.plic}
        .equ IRQ, ${w.irq}
        .equ ENABLE, PLIC + 0x2000 + 0x80 * ${w.context} + 4 * (IRQ / 32)
        .equ THRESHOLD, PLIC + 0x200000 + 0x1000 * ${w.context}
        .equ CLAIM, THRESHOLD + 4
        .text
        .globl _start
_start:
        li      s0, PLIC
        li      t0, 1
        sw      t0, 4 * IRQ(s0)         # priority 1
        li      t1, ENABLE
        li      t0, 1 << (IRQ % 32)
        sw      t0, 0(t1)
        li      t1, THRESHOLD
        sw      zero, 0(t1)
        la      t0, trap
        csrw    stvec, t0
        li      t0, 1 << 9              # SEIE
        csrs    sie, t0
        li      t1, UART
        li      t0, 1                   # IER.ERBFI
        sb      t0, 1(t1)
        csrsi   sstatus, 2              # SIE
ready:
1:      wfi
        j       1b

        .balign 4
trap:
        csrr    t0, scause
        li      t6, 0x8000000000000009  # supervisor external interrupt, or no echo
        bne     t0, t6, 4f
        li      t1, CLAIM
        lw      t2, 0(t1)
        li      t6, IRQ                 # the UART's source, or no echo
        bne     t2, t6, 3f
        li      t3, UART
2:      lbu     t4, 5(t3)               # drain the receiver (LSR.DR)
        andi    t4, t4, 1
        beqz    t4, 3f
        lbu     t4, 0(t3)
        sb      t4, 0(t3)
        sb      t4, 0(t3)
        j       2b
3:      sw      t2, 0(t1)               # complete
4:      sret
`;
}

test('the quick riscv64 zone runs the UART on interrupts through the PLIC its device tree names', () => {
  // The device tree is the same whatever the image: read it from a first launch, then build the guest from it.
  const wiring = plicWiring(quickDtb(launch('_start: j _start\n').engine));
  const { engine, uart } = launch(guest(wiring));
  assert.equal(engine.run({ maxInstructions: 1_000_000 }).kind, 'quiescent', 'the guest waits in WFI with nothing pending');
  assert.deepEqual(uart, []);
  engine.uartInput(new TextEncoder().encode('hi'));
  assert.equal(engine.run({ maxInstructions: engine.totalInstructions() + 1_000_000 }).kind, 'quiescent');
  assert.equal(String.fromCharCode(...uart), 'hhii', 'every byte echoed by the interrupt handler');
  engine.uartInput(new TextEncoder().encode('!'));
  assert.equal(engine.run({ maxInstructions: engine.totalInstructions() + 1_000_000 }).kind, 'quiescent');
  assert.equal(String.fromCharCode(...uart), 'hhii!!', 'the completion reached the PLIC: a second interrupt arrives');
});
