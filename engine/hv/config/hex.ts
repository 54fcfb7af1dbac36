// Hex numbers as configuration files write them ("0x85000000") and as error
// messages print them.

import { hex } from '../../hex';

export { hex };

const HEX = /^(0[xX])?[0-9a-fA-F]+$/;
const U64_MAX = (1n << 64n) - 1n;

/**
 * The value of a hex string with an optional 0x prefix, or a reason it is not
 * one. hvisor-tool reads these with strtoull base 16, which silently stops at
 * the first bad character; a debugger is better served by rejecting it.
 */
export function parseHexString(text: string): { value: bigint } | { problem: string } {
  if (!HEX.test(text)) return { problem: `${JSON.stringify(text)} is not a hex number such as "0x1000"` };
  const value = BigInt(/^0[xX]/.test(text) ? text : `0x${text}`);
  if (value > U64_MAX) return { problem: `${JSON.stringify(text)} does not fit in 64 bits` };
  return { value };
}

/** `start..end` with an exclusive end, as the messages print ranges. */
export function hexRange(start: number | bigint, size: number | bigint): string {
  return `${hex(start)}..${hex(BigInt(start) + BigInt(size))}`;
}
