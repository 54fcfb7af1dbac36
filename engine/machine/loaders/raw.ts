// A raw binary placed byte for byte at a physical address.

import type { PhysicalMemory } from '../memory';
import { checkFitsInRam } from './ram-range';

export function loadRaw(bytes: Uint8Array, address: number | bigint, memory: PhysicalMemory, fileName: string): void {
  const at = BigInt(address);
  checkFitsInRam(memory, fileName, 'raw image', at, BigInt(bytes.length));
  memory.load(Number(at), bytes);
}
