// The instruction sequence gas's `li` expands to on RV64. A value that fits
// 12 bits is one `addi rd, zero, value`. Otherwise a sign-extended 32-bit
// value is `lui` for the upper 20 bits plus `addiw` for the low 12 (each
// omitted when zero, but never both). Anything wider first builds the value
// without its low 12 bits, shifted right past its lowest set bit, the same way;
// then shifts it back with `slli` and adds the low 12 bits with `addi`.
// gas tells "no lui yet" by the register lui wrote being x0, so for rd = x0
// the addiw is never omitted.

export interface LiStep {
  readonly op: 'addi' | 'addiw' | 'lui' | 'slli';
  /** Source register: rd, or zero for the first step. */
  readonly fromZero: boolean;
  /** addi/addiw/slli immediate; lui's 20-bit field value. */
  readonly imm: number;
}

const sext12 = (v: bigint): bigint => BigInt.asIntN(12, v);
const fits32 = (v: bigint): boolean => v === BigInt.asIntN(32, v);

function build(value: bigint, rd: number, out: LiStep[]): void {
  const low = sext12(value);
  const upper = BigInt.asIntN(64, value - low);
  if (!fits32(value)) {
    let shift = 12n;
    while (((upper >> shift) & 1n) === 0n) shift++;
    build(BigInt.asIntN(64, upper >> shift), rd, out);
    out.push({ op: 'slli', fromZero: false, imm: Number(shift) });
    if (low !== 0n) out.push({ op: 'addi', fromZero: false, imm: Number(low) });
    return;
  }
  const hasUpper = upper !== 0n;
  if (hasUpper) out.push({ op: 'lui', fromZero: true, imm: Number(BigInt.asUintN(32, upper) >> 12n) });
  if (low !== 0n || !hasUpper || rd === 0) out.push({ op: 'addiw', fromZero: !hasUpper, imm: Number(low) });
}

/** Steps for `li rd, value` (value taken modulo 2^64). */
export function liSteps(value: bigint, rd: number): LiStep[] {
  const v = BigInt.asIntN(64, value);
  if (v === sext12(v)) return [{ op: 'addi', fromZero: true, imm: Number(v) }];
  const out: LiStep[] = [];
  build(v, rd, out);
  return out;
}
