// What a stage-2 data abort tells hvisor about the access (handle_dabt,
// src/arch/aarch64/trap.rs): the ISS fields and the faulting IPA.

export interface DabtAccess {
  readonly ipa: number;
  readonly size: 1 | 2 | 4 | 8;
  readonly isWrite: boolean;
  /** SRT: the transfer register (31 = XZR). */
  readonly reg: number;
  /** SSE: the load sign-extends. */
  readonly signExtend: boolean;
}

/** hvisor reads WnR, SRT, SSE and SAS without checking ISV. */
export function decodeDabt(esr: bigint, far: bigint, hpfar: bigint): DabtAccess {
  const iss = Number(esr & 0x1ff_ffffn);
  return {
    ipa: Number((far & 0xfffn) | ((hpfar & 0xff_ffff_fff0n) << 8n)),
    size: (1 << ((iss >>> 22) & 3)) as 1 | 2 | 4 | 8,
    isWrite: ((iss >>> 6) & 1) === 1,
    reg: (iss >>> 16) & 31,
    signExtend: ((iss >>> 21) & 1) === 1,
  };
}

/** The value a read writes back to x[SRT]: sign-extended from the access size when SSE is set. */
export function dabtLoadResult(value: bigint, access: DabtAccess): bigint {
  const bits = BigInt(access.size * 8);
  const v = BigInt.asUintN(Number(bits), value);
  return access.signExtend ? BigInt.asUintN(64, BigInt.asIntN(Number(bits), v)) : v;
}
