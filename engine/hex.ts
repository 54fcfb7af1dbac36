// How the engine writes numbers in messages and traces.

/** `0x…`, lower case, no padding. */
export function hex(value: number | bigint): string {
  return `0x${value.toString(16)}`;
}
