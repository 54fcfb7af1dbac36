// Cases for the Advanced SIMD tests, generated from the encoding table: every
// row is encoded with each Q and size its rows allow and random values in its
// other fields, the encoding's disassembly is the source line, and each case
// starts from fresh random lanes (with the corners of a random element size)
// in v0-v3, v30, v31 and x0-x2, x30. The results are the destination register
// (a vector register whole, so the zeroed upper half is checked too, or a
// general register) and FPSR, whose QC bit the saturating forms set (and no
// instruction clears).

import { decode } from '../../../../engine/isa/aarch64/decode';
import { disassembleOne } from '../../../../engine/isa/aarch64/disasm';
import { fields, fieldWidth, insert, type FieldName } from '../../../../engine/isa/aarch64/fields';
import { table, type Row, type Slot } from '../../../../engine/isa/aarch64/table';
import { Lcg, type Program } from './oracle';

/** Per-lane values worth hitting for an element of `bits`: zero, ones, the signed limits and their neighbours, small shifts. */
function laneCorners(bits: number): bigint[] {
  const m = (1n << BigInt(bits)) - 1n;
  const min = 1n << BigInt(bits - 1);
  const b = BigInt(bits);
  return [0n, 1n, m, min, min - 1n, min + 1n, m - 1n, 2n, b - 1n, b, b + 1n, -b & m, (-b - 1n) & m, (min >> 1n) | 1n];
}

function vectorValue(rng: Lcg): bigint {
  const size = Number(rng.next() % 4n);
  const bits = 8 << size;
  const corners = laneCorners(bits);
  let v = 0n;
  for (let i = 0; i < 128 / bits; i++) {
    const r = rng.next();
    const lane = r & 1n ? corners[Number((r >> 8n) % BigInt(corners.length))]! : (r >> 16n) & ((1n << BigInt(bits)) - 1n);
    v |= lane << BigInt(i * bits);
  }
  return v;
}

const VECTORS = [0, 1, 2, 3, 30, 31];
const GPRS = ['x0', 'x1', 'x2', 'x30'];
/** Register numbers for rd, rn, rm in turn: distinct, destination as a source, a list wrapping past v31. */
const REGISTER_SETS: readonly (readonly [number, number, number])[] = [[0, 1, 2], [1, 1, 2], [2, 30, 31], [0, 31, 1], [3, 2, 2]];

/** The syntax kind of a slot's operand in a row (`w`, `x`, `V`, ...). */
function slotKind(row: Row, slot: string): string | undefined {
  const m = new RegExp(`\\{([^}:]+):${slot}\\}`).exec(row.syntax);
  return m?.[1];
}

/** Encodings of `row`: every Q and size combination it takes, `perShape` fillings of the other fields each (their extremes, then random). */
export function rowEncodings(row: Row, rng: Lcg, perShape: number): number[] {
  const entries = Object.entries(row.operands) as [Slot, FieldName][];
  const shapeSlots = entries.filter(([s]) => s === 'q' || s === 'size');
  const shapes = 2 ** shapeSlots.reduce((n, [, f]) => n + fieldWidth(fields[f]), 0);
  const out: number[] = [];
  let set = 0;
  for (let shape = 0; shape < shapes; shape++) {
    for (let k = 0; k < perShape; k++) {
      for (let attempt = 0; attempt < 40; attempt++) {
        const regs = REGISTER_SETS[set % REGISTER_SETS.length]!;
        let w = row.match;
        let bit = 0;
        for (const [slot, f] of entries) {
          const width = fieldWidth(fields[f]);
          let value: number;
          if (slot === 'rd') value = regs[0];
          else if (slot === 'rn') value = regs[1];
          else if (slot === 'rm') value = regs[2];
          else if (slot === 'q' || slot === 'size') {
            value = (shape >> bit) & ((1 << width) - 1);
            bit += width;
          } else {
            // The extremes of every other field first (shift amounts 0 and the largest), then random values.
            const random = Number(rng.next() % BigInt(2 ** width));
            value = attempt > 0 || k > 1 ? random : k === 0 ? 0 : 2 ** width - 1;
          }
          w = insert(fields[f], w, value);
        }
        if (decode(w >>> 0)?.row === row) {
          out.push(w >>> 0);
          set++;
          break;
        }
      }
    }
  }
  return out;
}

/** Adds one case per encoding of every row `rows` selects; returns how many. */
export function addRowCases(p: Program, rows: readonly Row[], seed: bigint, perShape = 3): number {
  const rng = new Lcg(seed);
  let cases = 0;
  for (const row of rows) {
    for (const word of rowEncodings(row, rng, perShape)) {
      const d = decode(word)!;
      const text = disassembleOne(word, 0).text.replace('\t', ' ');
      const data = p.symbol('case');
      const quads = [...VECTORS.flatMap(() => {
        const v = vectorValue(rng);
        return [v & ((1n << 64n) - 1n), v >> 64n];
      }), ...GPRS.map(() => rng.shaped())];
      p.data('  .balign 16', `${data}:`, ...quads.map((q) => `  .quad 0x${BigInt.asUintN(64, q).toString(16)}`));
      p.text(`ldr x9, =${data}`, 'ldp q0, q1, [x9]', 'ldp q2, q3, [x9, #32]', 'ldp q30, q31, [x9, #64]', 'ldp x0, x1, [x9, #96]', 'ldp x2, x30, [x9, #112]');
      // Every fourth case starts with QC already set: it is cumulative, and nothing but MSR clears it.
      p.text(cases % 4 === 3 ? 'mov x27, #0x8000000' : 'mov x27, #0', 'msr fpsr, x27');
      p.text(text);
      const rd = d.values.rd ?? 0;
      const kind = slotKind(row, 'rd');
      if (kind === 'w' || kind === 'x') p.save(`x${rd}`, `${text} (x${rd})`);
      else {
        p.text(`mov x27, v${rd}.d[0]`);
        p.save('x27', `${text} (v${rd}.d[0])`);
        p.text(`mov x27, v${rd}.d[1]`);
        p.save('x27', `${text} (v${rd}.d[1])`);
      }
      p.text('mrs x27, fpsr');
      p.save('x27', `${text} (fpsr)`);
      cases++;
    }
  }
  return cases;
}

/** The Advanced SIMD rows whose fixed bits match `match` under `mask`. */
export function simdRows(match: number, mask: number, exclude: (row: Row) => boolean = () => false): Row[] {
  return table.filter((r) => r.group === 'simd' && ((r.match & mask) >>> 0) === match && !exclude(r));
}
