// Disassembly around an address, as the debugger's disassembly view asks for
// it: `count` lines starting `offset` instructions before or after an
// address. Where instructions vary in size (RVC), walking backwards is
// ambiguous, so the walk starts forwards from a known instruction boundary
// (a symbol's start or a line-table entry). What cannot be read or decoded
// is an invalid line one instruction alignment long, so the walk always
// gives as many lines as asked for.

import type { DisassembledLine, Engine } from '../api';

/** How far below the first line asked for a known boundary may be and still be walked from. */
const BOUNDARY_REACH = 0x10000;

/** Lines from `va` on, endlessly: the caller takes what it needs. */
export function* walk(engine: Engine, cpu: number, va: number): Generator<DisassembledLine> {
  const target = engine.target;
  const printer = target.newPrinter((a) => engine.objdumpName(a), engine.images);
  for (;;) {
    const bytes = engine.readVirtual(cpu, va, target.maxInstructionSize);
    const d = printer.next(bytes, va);
    const address = BigInt.asUintN(64, BigInt(va));
    if (!d) {
      yield { address, bytes: new Uint8Array(0), text: '', invalid: true };
      va += target.instructionAlign;
      continue;
    }
    const symbol = engine.lookupSymbol(va);
    yield {
      address,
      bytes: Uint8Array.from(bytes.slice(0, d.size) as number[]),
      text: d.text,
      ...(symbol && symbol.offset === 0n ? { symbol: symbol.name } : {}),
    };
    va += d.size;
  }
}

function take(lines: Iterator<DisassembledLine>, count: number): DisassembledLine[] {
  const out: DisassembledLine[] = [];
  for (let i = 0; i < count; i++) out.push(lines.next().value as DisassembledLine);
  return out;
}

/** A known instruction boundary at or below `address`: the nearer of its symbol's start and the line-table entry below it. */
function boundaryAtOrBelow(engine: Engine, address: number): number | undefined {
  const symbol = engine.lookupSymbol(address);
  const line = engine.lines.entryAtOrBelow(address);
  const start = symbol === undefined ? undefined : Number(BigInt.asIntN(64, symbol.value));
  if (start === undefined) return line;
  return line === undefined || start > line ? start : line;
}

/**
 * The `need` lines before `address`, where instructions vary in size:
 * invalid lines at the front where the walk cannot reach back that far.
 */
function linesBefore(engine: Engine, cpu: number, address: number, need: number): DisassembledLine[] {
  const { instructionAlign: align, maxInstructionSize: max } = engine.target;
  // `address` is the 64-bit pattern as a signed number: a high-half address is negative, and only the low half stops at 0.
  const farthest = address >= 0 ? Math.max(0, address - need * max) : address - need * max;
  const boundary = boundaryAtOrBelow(engine, farthest);
  const start = boundary !== undefined && farthest - boundary <= BOUNDARY_REACH ? boundary : farthest - (((farthest % align) + align) % align);
  const end = BigInt.asUintN(64, BigInt(address));
  const walked: DisassembledLine[] = [];
  for (const line of walk(engine, cpu, start)) {
    if (line.address >= end) break;
    walked.push(line);
  }
  const before = walked.slice(-need);
  const first = before[0]?.address ?? end;
  const padding = Array.from({ length: need - before.length }, (_, i): DisassembledLine => ({
    address: BigInt.asUintN(64, first - BigInt((need - before.length - i) * align)), bytes: new Uint8Array(0), text: '', invalid: true,
  }));
  return [...padding, ...before];
}

/** `count` lines from `offset` instructions after `address` (before it when negative). */
export function disassembleAround(engine: Engine, cpu: number, address: number, offset: number, count: number): DisassembledLine[] {
  const { instructionAlign: align, maxInstructionSize: max } = engine.target;
  // Fixed-size instructions: the first line's address is known without walking.
  if (align === max) return take(walk(engine, cpu, address + offset * max), count);
  const before = offset < 0 ? linesBefore(engine, cpu, address, -offset).slice(0, count) : [];
  const forward = walk(engine, cpu, address);
  if (offset > 0) take(forward, offset);
  return [...before, ...take(forward, count - before.length)];
}
