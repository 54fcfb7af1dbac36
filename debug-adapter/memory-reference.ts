// Memory references the adapter hands out and accepts (DAP treats them as opaque):
//   `0x90000000`       a guest address seen by the CPU the user is looking at
//   `cpu2:0x8a000000`  a guest address through CPU 2's translation (VS-stage, then G-stage);
//                      with the guest's satp off, that is the guest-physical address
//   `pa:0x80200000`    a host-physical address: the board's memory as hvisor sees it

export interface MemoryTarget {
  /** The CPU whose translation applies; undefined for host-physical. */
  readonly cpu: number | undefined;
  readonly address: bigint;
}

export function hex(value: bigint | number): string {
  return `0x${BigInt.asUintN(64, BigInt(value)).toString(16)}`;
}

export function guestReference(cpu: number, address: bigint | number): string {
  return `cpu${cpu}:${hex(address)}`;
}

export function physicalReference(address: bigint | number): string {
  return `pa:${hex(address)}`;
}

/** Parses a reference; a bare address belongs to `defaultCpu`. */
export function parseMemoryReference(reference: string, defaultCpu: number): MemoryTarget | undefined {
  const m = /^\s*(?:(pa|cpu(\d+)):)?\s*(0x[0-9a-f_]+|\d+)\s*$/i.exec(reference);
  if (!m) return undefined;
  const address = BigInt(m[3]!.replace(/_/g, ''));
  if (m[1]?.toLowerCase() === 'pa') return { cpu: undefined, address };
  return { cpu: m[2] !== undefined ? Number(m[2]) : defaultCpu, address };
}
