// Exits from the guest to EL2 (src/arch/aarch64/trap.rs): IRQs go to the GIC
// handler; synchronous exits are dispatched by ESR_EL2.EC to hypercalls, SMC
// (PSCI), the ICC_SGI1R_EL1 trap and MMIO emulation; what hvisor cannot
// handle stops the CPU with hvisor's reason.

import { hex } from '../../../hex';
import type { Aarch64Core, El2Exit } from '../../../isa/aarch64/core';
import { hypercall } from '../../hypercall';
import { mmioHandleAccess, type MmioAccess } from '../../mmio';
import type { HvTask } from '../../task';
import type { ArmHvisor } from './arch';
import { dabtLoadResult, decodeDabt } from './mmio-decode';
import { handleSmc } from './psci';

const EC_HVC64 = 0x16;
const EC_SMC64 = 0x17;
const EC_SYSREG = 0x18;
const EC_IABT_LOW = 0x20;
const EC_DABT_LOW = 0x24;

export function* handleEl2Exit(hv: ArmHvisor, core: Aarch64Core, exit: El2Exit): HvTask {
  const cpu = core.id;
  if (exit.kind === 'irq') {
    yield* hv.frame(cpu, 'gicv3_handle_irq_el1', hv.arch.handleIrq(hv, cpu));
    if (core.inHypervisor && !hv.stop) core.returnToGuest();
    return;
  }
  const esr = core.readSysreg('esr_el2') ?? 0n;
  const ec = Number((esr >> 26n) & 0x3fn);
  switch (ec) {
    case EC_HVC64: {
      const result = yield* hv.frame(cpu, 'handle_hvc', hypercall(hv, cpu, core.getX(0), core.getX(1), core.getX(2)));
      if (hv.stop || !core.inHypervisor) return;
      // Negative errnos go back as two's complement; ELR_EL2 already points past the HVC.
      core.setX(0, 'errno' in result ? BigInt.asUintN(64, BigInt(-result.errno)) : BigInt.asUintN(64, result.value));
      core.returnToGuest();
      return;
    }
    case EC_SMC64: {
      const result = yield* hv.frame(cpu, 'handle_smc', handleSmc(hv, cpu));
      if (hv.stop || !core.inHypervisor) return;
      core.setX(0, BigInt.asUintN(64, result));
      skipInstruction(core, esr);
      core.returnToGuest();
      return;
    }
    case EC_SYSREG:
      yield* hv.frame(cpu, 'handle_sysreg', sysregTrap(hv, core, esr));
      return;
    case EC_DABT_LOW:
      yield* hv.frame(cpu, 'handle_dabt', dataAbort(hv, core, esr));
      return;
    case EC_IABT_LOW:
      hv.hang(cpu, `instruction abort from the guest at IPA ${hex(ipaOf(core))} (ELR_EL2 ${hex(core.readSysreg('elr_el2') ?? 0n)}); handle_iabt loops forever`);
      return;
    default:
      hv.hang(cpu, `Unsupported Exception EC ${hex(ec)} (ESR_EL2 ${hex(esr)}, ELR_EL2 ${hex(core.readSysreg('elr_el2') ?? 0n)}); hvisor loops forever`);
  }
}

/** ELR_EL2 += 4, or 2 for a 16-bit instruction (ESR.IL = 0). */
function skipInstruction(core: Aarch64Core, esr: bigint): void {
  const elr = core.readSysreg('elr_el2') ?? 0n;
  core.writeSysreg('elr_el2', BigInt.asUintN(64, elr + ((esr >> 25n) & 1n ? 4n : 2n)));
}

function ipaOf(core: Aarch64Core): bigint {
  return ((core.readSysreg('far_el2') ?? 0n) & 0xfffn) | (((core.readSysreg('hpfar_el2') ?? 0n) & 0xff_ffff_fff0n) << 8n);
}

/** handle_sysreg: taken to be a write of ICC_SGI1R_EL1 (a guest IPI), replayed on the physical interface if this CPU is on. */
function* sysregTrap(hv: ArmHvisor, core: Aarch64Core, esr: bigint): HvTask {
  const cpu = core.id;
  const rt = Number((esr >> 5n) & 31n);
  const value = rt === 31 ? 0n : core.getX(rt);
  yield* hv.event(cpu, 'ipi', `ICC_SGI1R_EL1 <- ${hex(value)} (x${rt}): SGI ${Number((value >> 24n) & 0xfn)} to target list ${hex(value & 0xffffn)}`);
  if (hv.getCpuData(cpu).archCpu.powerOn) hv.arch.gic.cpu(cpu).writeSgi1r(value);
  else hv.log(cpu, 'ipi', `CPU ${cpu} is not powered on: the SGI is dropped`);
  skipInstruction(core, esr);
  core.returnToGuest();
}

/** handle_dabt: emulate the access through the zone's MMIO handlers, then skip the instruction. */
function* dataAbort(hv: ArmHvisor, core: Aarch64Core, esr: bigint): HvTask {
  const cpu = core.id;
  const d = decodeDabt(esr, core.readSysreg('far_el2') ?? 0n, core.readSysreg('hpfar_el2') ?? 0n);
  const zone = hv.zoneOf(cpu);
  if (!zone) {
    hv.panic(cpu, `MMIO on CPU ${cpu}, which has no zone (this_zone() unwraps None)`);
    return;
  }
  const access: MmioAccess = { address: d.ipa, size: d.size, isWrite: d.isWrite, value: d.isWrite && d.reg !== 31 ? core.getX(d.reg) : 0n };
  const elr = core.readSysreg('elr_el2') ?? 0n;
  yield* hv.frame(cpu, `zone(${zone.id}).read()`, zone.lock.read(cpu));
  let result;
  try {
    yield* hv.event(cpu, 'mmio', `${d.isWrite ? 'write' : 'read'} ${d.size} bytes at IPA ${hex(d.ipa)}${d.isWrite ? ` value ${hex(access.value)}` : ''} (ELR_EL2 ${hex(elr)})`);
    result = mmioHandleAccess(zone, access);
  } finally {
    zone.lock.unlockRead(cpu);
  }
  if (hv.stop) return;
  if (!result.ok) {
    // zone_error: the root zone's failure is fatal; another zone is marked and carries on.
    if (hv.isRootZone(cpu)) {
      hv.panic(cpu, `MMIO ${d.isWrite ? 'write' : 'read'} at IPA ${hex(d.ipa)}, ELR_EL2 ${hex(elr)} failed in the root zone (${result.message})`);
      return;
    }
    zone.isErr = true;
    hv.log(cpu, 'mmio', `MMIO at IPA ${hex(d.ipa)} failed (${result.message}): zone ${zone.id} is_err = true`);
  } else if (!d.isWrite) {
    const value = dabtLoadResult(access.value, d);
    hv.log(cpu, 'mmio', `read ${hex(d.ipa)} -> ${hex(value)}`);
    if (d.reg !== 31) core.setX(d.reg, value);
  }
  skipInstruction(core, esr);
  core.returnToGuest();
}
