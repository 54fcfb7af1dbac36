// The instruction-specific part of a data abort's syndrome: for a load or
// store of one general-purpose register without writeback (acquire/release
// included; exclusives, atomics, pairs and SIMD&FP excluded) ISV = 1 with the
// access size, sign extension, register, width and acquire/release bits.

import type { Decoded } from './decode';
import { ISS_AR, ISS_ISV, ISS_SAS_SHIFT, ISS_SF, ISS_SRT_SHIFT, ISS_SSE } from './exception-classes';

const ACQUIRE_RELEASE = /^(ldar|ldlar|stlr|stllr)[bh]?$/;

export function dataAbortSyndrome(d: Decoded): number {
  const row = d.row;
  const parts = row.id.split('.');
  const name = parts[0]!;
  const reg = parts[1]!;
  const acqRel = row.group === 'atomic' && ACQUIRE_RELEASE.test(name);
  const single = row.group === 'load-store' && (reg === 'w' || reg === 'x' || name === 'ldrsw') &&
    !['ldp', 'stp', 'ldpsw', 'ldnp', 'stnp'].includes(name) && !row.id.endsWith('.pre') && !row.id.endsWith('.post');
  if (!single && !acqRel) return 0;
  const bytes = row.bytes ?? 8;
  const sas = 31 - Math.clz32(bytes);
  const signed = name.startsWith('ldrs');
  const sixtyFour = reg === 'x' || name === 'ldrsw';
  return ISS_ISV | (sas << ISS_SAS_SHIFT) | (signed ? ISS_SSE : 0) | ((d.values.rt ?? 0) << ISS_SRT_SHIFT) | (sixtyFour ? ISS_SF : 0) | (acqRel ? ISS_AR : 0);
}
