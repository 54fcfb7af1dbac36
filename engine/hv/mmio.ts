// Trapped MMIO (src/memory/mmio.rs): what one emulated guest access looks
// like, the handler signature, and the two zone-level rules hvisor applies:
// how regions are registered and which region an access is routed to.

import { HvErrno } from './consts';
import type { Zone } from './zone';

/** One guest load or store being emulated. Handlers fill `value` on reads. */
export interface MmioAccess {
  /** The GPA while routing; the offset into the region once a handler sees it. */
  address: number;
  size: 1 | 2 | 4 | 8;
  isWrite: boolean;
  /** The value stored (a write) or the value to load (a read), 64-bit. */
  value: bigint;
}

/** hvisor's HvResult: ok, or an errno (HvErrno) with the message hvisor would log. */
export type HvResult = { readonly ok: true } | { readonly ok: false; readonly errno: number; readonly message: string };

export const HV_OK: HvResult = { ok: true };

export function hvErr(errno: number, message: string): HvResult {
  return { ok: false, errno, message };
}

export type MmioHandler = (access: MmioAccess, arg: number) => HvResult;

/** How a registration went, so the caller can log what hvisor warns about. */
export interface MmioRegisterOutcome {
  /** An entry with the same start existed and got the new handler and arg. */
  readonly replaced: boolean;
  /** The replaced entry kept its old size although the new one differs (hvisor only complains). */
  readonly sizeMismatch: boolean;
}

/** Zone::mmio_region_register: same start → replace handler and arg (size kept); else append. */
export function mmioRegionRegister(
  zone: Zone,
  start: number,
  size: number,
  handlerName: string,
  handler: MmioHandler,
  arg: number,
): MmioRegisterOutcome {
  const i = zone.mmio.findIndex((m) => m.start === start);
  if (i < 0) {
    zone.mmio.push({ start, size, handlerName, handler, arg });
    return { replaced: false, sizeMismatch: false };
  }
  const old = zone.mmio[i]!;
  zone.mmio[i] = { start: old.start, size: old.size, handlerName, handler, arg };
  return { replaced: true, sizeMismatch: old.size !== size };
}

/**
 * mmio_handle_access: the first region (registration order) that holds the
 * whole access wins; the address becomes an offset before the handler runs.
 */
export function mmioHandleAccess(zone: Zone, access: MmioAccess): HvResult {
  const region = zone.mmio.find((m) => access.address >= m.start && access.address + access.size <= m.start + m.size);
  if (!region) {
    return hvErr(HvErrno.EINVAL, `zone ${zone.id} unhandled mmio fault at 0x${access.address.toString(16)} (${access.size} bytes, ${access.isWrite ? 'write' : 'read'})`);
  }
  if (!region.handler) {
    return hvErr(HvErrno.EINVAL, `zone ${zone.id} mmio region 0x${region.start.toString(16)} (${region.handlerName}) has no handler in the model`);
  }
  access.address -= region.start;
  return region.handler(access, region.arg);
}
