import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeMmioInstruction,
  guestPageFaultGpa,
  insLdstDecode,
  mmioLoadResult,
  trapInstruction,
  type DecodeFailure,
  type LdStDecode,
} from '../../../engine/hv/arch/riscv64/mmio-decode';
import { decode } from '../../../engine/isa/riscv64/decode';
import { transformedInstruction } from '../../../engine/isa/riscv64/transformed-insn';
import { objdump, type OracleLine } from '../riscv64/objdump-oracle';


/** A fetch from guest memory holding `insn` at sepc. */
const memoryHolding = (insn: number) => (offset: 0 | 2): number => (offset === 0 ? insn & 0xffff : (insn >>> 16) & 0xffff);
const noFetch = (): number => assert.fail('htinst was usable; nothing should be fetched');

function ok(r: LdStDecode | DecodeFailure): LdStDecode {
  if (!r.ok) assert.fail(`expected a decode, got: ${r.reason}`);
  return r;
}
function failure(r: LdStDecode | DecodeFailure): string {
  if (r.ok) assert.fail(`expected hvisor to panic, got ${JSON.stringify(r)}`);
  return r.reason;
}

/** What a load/store mnemonic means, from objdump's no-aliases, numeric text. */
function meaning(line: OracleLine): { size: number; isWrite: boolean; reg: number; signExtend: boolean; insnSize: number } {
  const m = /^(c\.)?([ls])([bhwd])(u?)\s+x(\d+),/.exec(line.text);
  if (!m) assert.fail(`unexpected oracle line ${line.text}`);
  const size = { b: 1, h: 2, w: 4, d: 8 }[m[3] as 'b' | 'h' | 'w' | 'd'];
  const isWrite = m[2] === 's';
  return { size, isWrite, reg: Number(m[5]), signExtend: !isWrite && m[4] === '' && size < 8, insnSize: m[1] ? 2 : 4 };
}

function oracleSource(): string {
  const lines: string[] = ['.option norvc'];
  const regs = [0, 1, 2, 10, 15, 31];
  for (const op of ['lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu', 'sb', 'sh', 'sw', 'sd']) {
    for (const r of regs) for (const off of [0, -2048, 2047, 8]) lines.push(`${op} x${r}, ${off}(x${(r + 5) % 32})`);
  }
  lines.push('.option rvc');
  for (const [op, scale, max] of [['c.lw', 4, 124], ['c.sw', 4, 124], ['c.ld', 8, 248], ['c.sd', 8, 248]] as const) {
    for (let r = 8; r < 16; r++) for (const off of [0, scale, max]) lines.push(`${op} x${r}, ${off}(x${23 - r})`);
  }
  return lines.join('\n') + '\n';
}

test('every load/store gas assembles decodes to what its mnemonic means, through memory and through htinst', () => {
  const lines = objdump(oracleSource(), ['-M', 'no-aliases,numeric']);
  assert.equal(lines.length, 11 * 6 * 4 + 4 * 8 * 3);
  const seen = new Set<string>();
  for (const line of lines) {
    const want = meaning(line);
    seen.add(line.text.split(/\s/)[0]!);
    const fetched = ok(decodeMmioInstruction(0n, memoryHolding(line.insn)));
    assert.deepEqual({ ...fetched }, { ok: true, ...want }, `fetched ${line.text}`);
    // The hardware side of this engine produces htinst for the same trap.
    const d = decode(line.insn);
    assert.ok(d, `engine decodes ${line.text}`);
    const htinst = transformedInstruction(d);
    assert.notEqual(htinst, 0);
    const viaHtinst = ok(decodeMmioInstruction(BigInt(htinst), noFetch));
    assert.deepEqual({ ...viaHtinst }, { ok: true, ...want }, `htinst 0x${htinst.toString(16)} for ${line.text}`);
  }
  assert.deepEqual([...seen].sort(), ['c.ld', 'c.lw', 'c.sd', 'c.sw', 'lb', 'lbu', 'ld', 'lh', 'lhu', 'lw', 'lwu', 'sb', 'sd', 'sh', 'sw']);
});

test('other instructions hvisor cannot emulate are would-panic reasons, fetched or from htinst', () => {
  const source = [
    '.option norvc', 'addi x10, x11, 4', 'amoadd.w x10, x11, (x12)', 'lr.d x10, (x11)', 'sc.w x10, x11, (x12)', 'jal x0, 0', 'csrr x10, sstatus',
    '.option rvc', 'c.lwsp x10, 4(x2)', 'c.swsp x10, 4(x2)', 'c.ldsp x10, 8(x2)', 'c.sdsp x10, 8(x2)', 'c.addi4spn x8, x2, 16', 'c.li x10, 1', 'c.j 0',
  ].join('\n');
  const lines = objdump(source + '\n', ['-M', 'no-aliases,numeric']);
  assert.equal(lines.length, 13);
  for (const line of lines) {
    const reason = failure(decodeMmioInstruction(0n, memoryHolding(line.insn)));
    assert.match(reason, (line.insn & 3) === 3 ? /not a standard load or store/ : /not C\.LW, C\.SW, C\.LD or C\.SD/, line.text);
  }
  // An AMO traps with a transformed htinst too; hvisor's decoder refuses it.
  const amo = decode(lines[1]!.insn)!;
  assert.match(failure(decodeMmioInstruction(BigInt(transformedInstruction(amo)), noFetch)), /not a standard load or store/);
});

test('floating-point loads and stores are refused (c.fld, c.fsd, flw, fsd)', () => {
  for (const insn of [0x2008, 0xa008]) assert.match(failure(decodeMmioInstruction(0n, memoryHolding(insn))), /not C\.LW/);
  for (const insn of [0x0005a507, 0x00a5b027]) assert.match(failure(decodeMmioInstruction(0n, memoryHolding(insn))), /not a standard load or store/);
});

test('htinst: bits [1:0] = 11 is a 4-byte original, 01 a compressed one made decodable by forcing bit 1', () => {
  // lw x10, 0(x0) transformed; the compressed original would be 0x00002501.
  assert.deepEqual(trapInstruction(0x00002503n, noFetch), { ok: true, insn: 0x00002503, insnSize: 4 });
  assert.deepEqual(trapInstruction(0x00002501n, noFetch), { ok: true, insn: 0x00002503, insnSize: 2 });
  const d = ok(decodeMmioInstruction(0x00002501n, noFetch));
  assert.deepEqual({ size: d.size, isWrite: d.isWrite, reg: d.reg, signExtend: d.signExtend, insnSize: d.insnSize }, { size: 4, isWrite: false, reg: 10, signExtend: true, insnSize: 2 });
});

test('htinst pseudo-instructions (bits [1:0] = 00, non-zero) and bits 10 are panics', () => {
  // 0x3000 / 0x3020: the implicit guest-page-table-walk pseudo-instructions.
  for (const h of [0x3000n, 0x3020n, 0x2000n]) assert.match(failure(decodeMmioInstruction(h, noFetch)), /pseudo-instruction/);
  assert.match(failure(decodeMmioInstruction(0x2502n, noFetch)), /bits \[1:0\] = 10/);
});

test('htinst = 0 reads 16 bits at sepc, and the next 16 only for a 32-bit instruction', () => {
  const asked: number[] = [];
  const compressed = (o: 0 | 2): number => (asked.push(o), 0x40c0); // c.lw x8, 4(x9)
  assert.deepEqual(trapInstruction(0n, compressed), { ok: true, insn: 0x40c0, insnSize: 2 });
  assert.deepEqual(asked, [0]);
  asked.length = 0;
  const wide = (o: 0 | 2): number => (asked.push(o), o === 0 ? 0x3c23 : 0xfff1); // sd x31, -8(x2)
  assert.deepEqual(trapInstruction(0n, wide), { ok: true, insn: 0xfff13c23, insnSize: 4 });
  assert.deepEqual(asked, [0, 2]);
});

test('a fault while reading the instruction at sepc is a panic (an exception in HS-mode)', () => {
  assert.match(failure(decodeMmioInstruction(0n, () => undefined)), /faulted in HS-mode/);
  assert.match(failure(decodeMmioInstruction(0n, (o) => (o === 0 ? 0x2503 : undefined))), /sepc \+ 2 faulted/);
});

test('reserved funct3 values follow hvisor\'s table (size from the low two bits, no sign for bit 2)', () => {
  // LOAD funct3 = 7 and STORE funct3 = 4..7 are reserved encodings hvisor does not refuse.
  const ld7 = ok(insLdstDecode(0x00007503, 4));
  assert.deepEqual([ld7.size, ld7.isWrite, ld7.reg, ld7.signExtend], [8, false, 10, false]);
  const st4 = ok(insLdstDecode(0x00a04023, 4));
  assert.deepEqual([st4.size, st4.isWrite, st4.reg, st4.signExtend], [1, true, 10, false]);
  const st7 = ok(insLdstDecode(0x00a07023, 4));
  assert.equal(st7.size, 8);
});

test('guestPageFaultGpa = (htval << 2) | (stval & 3)', () => {
  assert.equal(guestPageFaultGpa(0x0300_0000n, 0x1234_5677n), 0x0c00_0003n);
  assert.equal(guestPageFaultGpa(0x4000_0000n >> 2n, 0xffff_ffc0_0000_0000n), 0x4000_0000n);
  assert.equal(guestPageFaultGpa(0x3_ffff_ffffn, 2n), 0xf_ffff_fffen);
});

test('mmioLoadResult sign-extends narrow signed loads and passes the rest through', () => {
  assert.equal(mmioLoadResult(0x80n, { size: 1, signExtend: true }), 0xffff_ffff_ffff_ff80n);
  assert.equal(mmioLoadResult(0x7fn, { size: 1, signExtend: true }), 0x7fn);
  assert.equal(mmioLoadResult(0x1_8000n, { size: 2, signExtend: true }), 0xffff_ffff_ffff_8000n);
  assert.equal(mmioLoadResult(0xdead_beefn, { size: 4, signExtend: true }), 0xffff_ffff_dead_beefn);
  assert.equal(mmioLoadResult(0xdead_beefn, { size: 4, signExtend: false }), 0xdead_beefn);
  // hvisor does not truncate a zero-extending load's value.
  assert.equal(mmioLoadResult(0x1ffn, { size: 1, signExtend: false }), 0x1ffn);
  assert.equal(mmioLoadResult(-1n, { size: 8, signExtend: false }), 0xffff_ffff_ffff_ffffn);
});
