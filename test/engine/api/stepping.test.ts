// Run control in the engine, on both targets, with one program each: a
// recursive factorial (whose inner call returns to the same address at
// every depth) and a leaf. Stepping over a call lands after it with the
// callee's work done, at the caller's depth; stepping in and then out
// returns to the caller even after the callee's own calls overwrote the link
// register; a step out whose return address cannot be known is refused
// with the reason; a user breakpoint in the callee ends a step over, and one
// at the return address only where its condition holds;
// disassembly around an address gives exactly the lines asked for; and in
// a raw image, with no lines or symbols, a line step is an instruction step.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, type Arch } from '../../../engine/api';
import { assembleFor } from '../../../engine/machine/loaders/image';
import { aarch64Target } from '../../../engine/target/aarch64';
import { riscv64Target } from '../../../engine/target/riscv64';

interface Program {
  readonly arch: Arch;
  readonly source: string;
  /** The result register and the register the leaf sets. */
  readonly result: string;
  readonly marker: string;
  readonly link: string;
}

const RISCV: Program = {
  arch: 'riscv64', result: 'a0', marker: 't1', link: 'ra',
  source: `
.globl _start
_start:
        la      sp, stack_top
        li      a0, 3
.Lcall: call    fact
.Lafter: li     t1, 0
.Lcall_leaf: call leaf
.Lafter_leaf: j .
fact:   addi    sp, sp, -16
        sd      ra, 8(sp)
        sd      a0, 0(sp)
        li      t0, 1
        ble     a0, t0, 1f
        addi    a0, a0, -1
.Lcall_inner: call fact
.Linner: ld     t0, 0(sp)
        mul     a0, a0, t0
        j       2f
1:      li      a0, 1
2:      ld      ra, 8(sp)
        addi    sp, sp, 16
        ret
leaf:   li      t1, 42
        ret
        .bss
        .balign 16
        .space  4096
stack_top:
`,
};

const AARCH64: Program = {
  arch: 'aarch64', result: 'x0', marker: 'x1', link: 'x30',
  source: `
.globl _start
_start:
        adr     x9, stack_top
        mov     sp, x9
        mov     x0, #3
.Lcall: bl      fact
.Lafter: mov    x1, #0
.Lcall_leaf: bl leaf
.Lafter_leaf: b .
fact:   stp     x29, x30, [sp, #-32]!
        str     x0, [sp, #16]
        cmp     x0, #1
        b.le    1f
        sub     x0, x0, #1
.Lcall_inner: bl fact
.Linner: ldr    x1, [sp, #16]
        mul     x0, x0, x1
        b       2f
1:      mov     x0, #1
2:      ldp     x29, x30, [sp], #32
        ret
leaf:   mov     x1, #42
        ret
        .bss
        .balign 16
        .space  4096
stack_top:
`,
};

interface Run {
  readonly engine: Engine;
  reg(name: string): bigint;
  /** The source line of `cpu 0`'s pc, and the line a label starts. */
  line(): number | undefined;
  lineOf(label: string): number;
  /** Address of a source line's first instruction. */
  at(label: string): bigint;
  /** Step instructions (over calls, or not) until the CPU is on the line of `label`. */
  stepTo(label: string, over: boolean): void;
}

function launch(p: Program): Run {
  const engine = Engine.launchQuick({ arch: p.arch, image: { path: `${p.arch}-fact.S`, bytes: new TextEncoder().encode(p.source) }, cpus: 1, onUart: () => {} });
  const lines = p.source.split('\n');
  const lineOf = (label: string): number => {
    const i = lines.findIndex((l) => l.startsWith(`${label}:`));
    assert.ok(i >= 0, label);
    return i + 1;
  };
  const line = (): number | undefined => engine.sourceAt(Number(engine.cpu(0).pc))?.line;
  return {
    engine,
    reg: (name) => engine.readRegister(0, name)!,
    line,
    lineOf,
    at: (label) => BigInt(engine.lines.lines.find((l) => l.line === lineOf(label))!.address),
    stepTo(label, over) {
      for (let i = 0; i < 100 && line() !== lineOf(label); i++) assert.deepEqual(engine.stepInstruction(0, over), { kind: 'step', cpu: 0 });
      assert.equal(line(), lineOf(label));
    },
  };
}

for (const p of [RISCV, AARCH64]) {
  test(`${p.arch}: next over a call (instruction and line granularity) lands after it with the callee's work done`, () => {
    const r = launch(p);
    r.stepTo('.Lcall', true);
    const sp = r.reg('sp');
    r.stepTo('.Lafter', true); // one nexti over the call (after any address set-up on its line)
    assert.equal(r.reg(p.result), 6n);
    assert.equal(r.reg('sp'), sp);
    assert.equal(r.engine.cpu(0).pc, r.at('.Lafter'));

    const again = launch(p);
    again.stepTo('.Lcall', true);
    assert.deepEqual(again.engine.stepLine(0, true), { kind: 'step', cpu: 0 });
    assert.equal(again.line(), again.lineOf('.Lafter'));
    assert.equal(again.reg(p.result), 6n);
  });

  test(`${p.arch}: a step over the recursive call ends at the caller's depth, and step out returns past the callee's own calls`, () => {
    const r = launch(p);
    r.stepTo('.Lcall', true);
    r.stepTo('fact', false); // step in
    const inFact = r.reg('sp');
    r.stepTo('.Lcall_inner', true);
    r.stepTo('.Linner', true); // over fact(2): every deeper fact returns to .Linner first, below this depth
    assert.equal(r.reg(p.result), 2n);
    assert.equal(r.reg('sp'), inFact - (p.arch === 'riscv64' ? 16n : 32n));
    // The link register now points back into fact; the call stepped into is what step out uses.
    assert.equal(r.reg(p.link), r.at('.Linner'));
    assert.equal(r.engine.stepOutProblem(0), undefined);
    assert.deepEqual(r.engine.stepOut(0), { kind: 'step', cpu: 0 });
    assert.equal(r.engine.cpu(0).pc, r.at('.Lafter'));
    assert.equal(r.reg(p.result), 6n);
    assert.equal(r.reg('sp'), inFact);
  });

  test(`${p.arch}: step out at a leaf uses the link register; one it cannot trust is refused and nothing runs`, () => {
    const r = launch(p);
    const e = r.engine;
    // Reached by a run, so no call was seen: the link register is all there is.
    e.setInstructionBreakpoints([r.at('leaf')]);
    assert.equal(e.run().kind, 'breakpoint');
    e.setInstructionBreakpoints([]);
    const ra = r.reg(p.link);
    // 0x20000000 is mapped on neither board's quick zone (address 0 is aarch64's boot flash).
    for (const [value, why] of [[0x20000000n, /is not a code address the CPU can execute/], [0x12345n, /is not a code address/], [r.at('fact'), /does not follow a call instruction/]] as const) {
      e.setRegister(0, p.link, value);
      assert.match(e.stepOutProblem(0) ?? '', why);
      assert.throws(() => e.stepOut(0), why);
      assert.equal(e.cpu(0).pc, r.at('leaf'));
    }
    e.setRegister(0, p.link, ra);
    assert.equal(e.stepOutProblem(0), undefined);
    assert.deepEqual(e.stepOut(0), { kind: 'step', cpu: 0 });
    assert.equal(e.cpu(0).pc, r.at('.Lafter_leaf'));
    assert.equal(r.reg(p.marker), 42n);

    // Inside fact after its own call, reached by a run: the link register points back into fact.
    const deep = launch(p);
    deep.engine.setInstructionBreakpoints([deep.at('.Linner')]);
    assert.equal(deep.engine.run().kind, 'breakpoint');
    assert.match(deep.engine.stepOutProblem(0) ?? '', /points back into fact itself: .*no call frame information/);
  });

  test(`${p.arch}: a conditional breakpoint at the return address of a recursive call stops a step over only where its condition holds`, () => {
    const run = (condition: (r: Run) => boolean): { r: Run; stop: ReturnType<Engine['stepInstruction']>; asked: number } => {
      const r = launch(p);
      r.stepTo('.Lcall', true);
      r.stepTo('fact', false);
      r.stepTo('.Lcall_inner', true);
      const inner = r.at('.Linner');
      r.engine.setInstructionBreakpoints([inner]);
      let asked = 0;
      r.engine.setStopFilter({ addresses: new Set([Number(inner)]), events: new Set(), decide: () => (asked++, condition(r)) });
      let stop = r.engine.stepInstruction(0, true);
      for (let i = 0; i < 5 && stop.kind === 'step' && r.line() === r.lineOf('.Lcall_inner'); i++) stop = r.engine.stepInstruction(0, true);
      return { r, stop, asked };
    };
    // Never true: the step ends after the call at this depth, with fact(2) done; the condition was asked at both returns.
    const never = run(() => false);
    assert.deepEqual(never.stop, { kind: 'step', cpu: 0 });
    assert.equal(never.r.reg(p.result), 2n);
    assert.equal(never.asked, 2);
    // True where fact(1) returns, one level deeper: the breakpoint stops there.
    const deeper = run((r) => r.reg(p.result) === 1n);
    assert.equal(deeper.stop.kind, 'breakpoint');
    assert.equal(deeper.r.reg(p.result), 1n);
  });

  test(`${p.arch}: a user breakpoint inside the callee ends a step over as a breakpoint`, () => {
    const r = launch(p);
    r.stepTo('.Lcall_leaf', true);
    r.engine.setInstructionBreakpoints([r.at('leaf')]);
    let stop = r.engine.stepInstruction(0, true);
    for (let i = 0; i < 5 && stop.kind === 'step' && r.line() === r.lineOf('.Lcall_leaf'); i++) stop = r.engine.stepInstruction(0, true);
    assert.deepEqual(stop, { kind: 'breakpoint', cpu: 0, pc: Number(r.at('leaf')) });
    // The step's own stop is gone: continuing runs on past the return address.
    r.engine.setInstructionBreakpoints([]);
    assert.notEqual(r.engine.run({ maxInstructions: 1000 }).kind, 'breakpoint');
  });

  test(`${p.arch}: disassembly around an address gives exactly the lines asked for`, () => {
    const r = launch(p);
    const e = r.engine;
    const code = e.disassemble(0, Number(r.at('fact')), 12);
    assert.equal(code.length, 12);
    const mid = code[6]!.address;
    const around = e.disassembleAround(0, Number(mid), -6, 12);
    assert.deepEqual(around.map((l) => [l.address, l.text]), code.map((l) => [l.address, l.text]));
    const ahead = e.disassembleAround(0, Number(r.at('fact')), 3, 4);
    assert.deepEqual(ahead.map((l) => l.address), code.slice(3, 7).map((l) => l.address));
    // Nothing mapped at 0: every line is there, marked invalid, one alignment apart.
    const far = e.disassembleAround(0, 0x1000, -2, 5);
    assert.equal(far.length, 5);
    assert.ok(far.every((l) => l.invalid));
    const align = BigInt(e.target.instructionAlign);
    assert.deepEqual(far.map((l) => l.address), [0x1000n - 2n * align, 0x1000n - align, 0x1000n, 0x1000n + align, 0x1000n + 2n * align]);
  });

  test(`${p.arch}: a raw image, with no lines and no symbols: a line step is one instruction and steps over a call; step out trusts a link register that follows a call`, () => {
    const base = (p.arch === 'riscv64' ? riscv64Target : aarch64Target).quick.loadAddress;
    const { program } = assembleFor(p.arch, p.source, { fileName: 'fact.S', base });
    const text = program!.sections.find((s) => s.address === base)!;
    const labelled = launch(p); // the same code with its lines, to know where things are
    const offset = (label: string): bigint => labelled.at(label) - BigInt(base);
    const engine = Engine.launchQuick({ arch: p.arch, image: { path: `${p.arch}-fact.bin`, bytes: text.bytes }, cpus: 1, onUart: () => {} });
    const pc = (): bigint => engine.cpu(0).pc - BigInt(base);
    assert.equal(engine.sourceAt(Number(engine.cpu(0).pc)), undefined);
    for (let i = 0; i < 10 && pc() !== offset('.Lafter'); i++) assert.deepEqual(engine.stepLine(0, true), { kind: 'step', cpu: 0 });
    assert.equal(pc(), offset('.Lafter'));
    assert.equal(engine.readRegister(0, p.result), 6n);
    engine.setInstructionBreakpoints([BigInt(base) + offset('leaf')]);
    assert.equal(engine.run().kind, 'breakpoint');
    engine.setInstructionBreakpoints([]);
    assert.equal(engine.stepOutProblem(0), undefined);
    assert.deepEqual(engine.stepOut(0), { kind: 'step', cpu: 0 });
    assert.equal(pc(), offset('.Lafter_leaf'));
  });
}
