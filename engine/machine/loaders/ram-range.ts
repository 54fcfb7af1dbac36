// The range check every loader makes before it writes: an image must lie
// entirely inside RAM, and the message says where it would have gone.

import type { PhysicalMemory } from '../memory';
import { hex, ImageError } from './image-error';

/**
 * Throws an ImageError unless [address, address + size) lies inside RAM.
 * `what` names the piece being placed ("segment 2", "raw image").
 */
export function checkFitsInRam(memory: PhysicalMemory, fileName: string, what: string, address: bigint, size: bigint): void {
  const ram = memory.ram;
  const ramStart = BigInt(ram.base);
  const ramEnd = ramStart + BigInt(ram.size);
  if (address >= ramStart && address + size <= ramEnd) return;
  throw new ImageError(
    fileName,
    `${what} (${hex(address)}-${hex(address + size)}) does not fit in RAM (${hex(ramStart)}-${hex(ramEnd)})`,
  );
}
