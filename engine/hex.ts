// How the engine writes numbers in messages and traces.

/**
 * `0x…`, lower case, no padding. Registers and addresses are 64-bit patterns,
 * so a negative integer (a register read as signed) prints as its two's complement.
 */
export function hex(value: number | bigint): string {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return `0x${value.toString(16)}`;
    value = BigInt(value);
  }
  return `0x${(value < 0n ? BigInt.asUintN(64, value) : value).toString(16)}`;
}
