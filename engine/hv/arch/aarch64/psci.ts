// SMC from the guest (handle_smc, src/arch/aarch64/trap.rs): SMCCC arch calls
// answered here, PSCI emulated (reference §2.1.2's table), SiP and trusted-OS
// calls forwarded to firmware the model does not have.

import { hex } from '../../../hex';
import { IpiEvent, SGI_IPI_ID } from '../../consts';
import type { HvTask } from '../../task';
import type { ArmHvisor } from './arch';

/** PSCI and SMCCC function ids. */
export const PSCI = {
  VERSION: 0x84000000, CPU_SUSPEND_32: 0x84000001, CPU_SUSPEND_64: 0xc4000001, CPU_OFF: 0x84000002,
  CPU_ON_32: 0x84000003, CPU_ON_64: 0xc4000003, AFFINITY_INFO_32: 0x84000004, AFFINITY_INFO_64: 0xc4000004,
  MIGRATE_INFO_TYPE: 0x84000006, SYSTEM_OFF: 0x84000008, FEATURES: 0x8400000a,
  SMCCC_VERSION: 0x80000000, SMCCC_ARCH_FEATURES: 0x80000001,
} as const;

const NOT_SUPPORTED = 0xffff_ffff_ffff_ffffn;
/** u64::MAX - 3: PSCI ALREADY_ON (-4). */
const ALREADY_ON = 0xffff_ffff_ffff_fffcn;
const PSCI_VERSION_1_1 = 0x10001n;
const MIGRATE_NOT_PRESENT = 2n;

/** Functions PSCI_FEATURES reports as present. */
const FEATURES = new Set<number>([
  PSCI.VERSION, PSCI.CPU_SUSPEND_32, PSCI.CPU_SUSPEND_64, PSCI.CPU_OFF, PSCI.CPU_ON_32, PSCI.CPU_ON_64,
  PSCI.AFFINITY_INFO_32, PSCI.AFFINITY_INFO_64, PSCI.FEATURES, PSCI.SMCCC_VERSION,
]);

/** handle_smc's dispatch on x0 & 0x3F000000; the result goes to x0. */
export function* handleSmc(hv: ArmHvisor, cpu: number): HvTask<bigint> {
  const core = hv.core(cpu);
  const fid = Number(core.getX(0) & 0xffff_ffffn);
  switch (fid & 0x3f000000) {
    case 0x00000000:
      yield* hv.event(cpu, 'psci', `SMC Arm architecture call ${hex(fid)}`);
      return fid === PSCI.SMCCC_VERSION ? PSCI_VERSION_1_1 : NOT_SUPPORTED;
    case 0x04000000:
      return yield* hv.frame(cpu, 'handle_psci_smc', psci(hv, cpu, fid));
    case 0x02000000:
      hv.log(cpu, 'beyond-hvisor', `SMC ${hex(fid)} (SiP service): hvisor forwards it to EL3 firmware, which the model does not have; answering NOT_SUPPORTED`);
      return NOT_SUPPORTED;
    default:
      if ((fid & 0x3f000000) >= 0x32000000) {
        hv.log(cpu, 'beyond-hvisor', `SMC ${hex(fid)} (trusted OS): hvisor forwards it to EL3 firmware, which the model does not have; answering NOT_SUPPORTED`);
        return NOT_SUPPORTED;
      }
      hv.log(cpu, 'psci', `SMC ${hex(fid)}: unsupported service; hvisor warns and returns 0`);
      return 0n;
  }
}

function* psci(hv: ArmHvisor, cpu: number, fid: number): HvTask<bigint> {
  const core = hv.core(cpu);
  const x1 = core.getX(1);
  const x2 = core.getX(2);
  switch (fid) {
    case PSCI.VERSION:
      yield* hv.event(cpu, 'psci', 'PSCI_VERSION');
      return PSCI_VERSION_1_1;
    case PSCI.CPU_SUSPEND_32:
    case PSCI.CPU_SUSPEND_64:
      // hvisor waits in wfi at EL2 and then handles the IRQ; a wfi may complete at once, and the model's does.
      yield* hv.event(cpu, 'psci', 'PSCI CPU_SUSPEND: wfi at EL2, then the pending interrupts');
      yield* hv.arch.handleIrq(hv, cpu);
      return 0n;
    case PSCI.CPU_OFF:
      hv.panic(cpu, 'PSCI CPU_OFF is todo!() in handle_psci_smc');
      return 0n;
    case PSCI.CPU_ON_32:
    case PSCI.CPU_ON_64:
      return yield* hv.frame(cpu, `psci_emulate_cpu_on(mpidr=${hex(x1)})`, cpuOn(hv, cpu, x1, x2));
    case PSCI.AFFINITY_INFO_32:
    case PSCI.AFFINITY_INFO_64: {
      yield* hv.event(cpu, 'psci', `PSCI AFFINITY_INFO(${x1})`);
      // hvisor indexes PerCpu with x1 directly, not through the MPIDR map.
      if (x1 >= BigInt(hv.board.ncpus)) {
        hv.panic(cpu, `PSCI AFFINITY_INFO: get_cpu_data(${x1}) is beyond the ${hv.board.ncpus} CPUs`);
        return 0n;
      }
      return hv.getCpuData(Number(x1)).archCpu.powerOn ? 0n : 1n;
    }
    case PSCI.MIGRATE_INFO_TYPE:
      yield* hv.event(cpu, 'psci', 'PSCI MIGRATE_INFO_TYPE');
      return MIGRATE_NOT_PRESENT;
    case PSCI.SYSTEM_OFF:
      yield* hv.frame(cpu, 'psci_emulate_system_off', systemOff(hv, cpu));
      return 0n;
    case PSCI.FEATURES: {
      yield* hv.event(cpu, 'psci', `PSCI_FEATURES(${hex(x1)})`);
      return FEATURES.has(Number(x1 & 0xffff_ffffn)) && x1 < 0x1_0000_0000n ? 0n : NOT_SUPPORTED;
    }
    default:
      hv.log(cpu, 'psci', `PSCI ${hex(fid)}: unsupported; hvisor warns and returns 0`);
      return 0n;
  }
}

/** CPU_ON under the target's ctrl_lock: set cpu_on_entry and power_on, send WAKEUP. */
function* cpuOn(hv: ArmHvisor, cpu: number, mpidr: bigint, entry: bigint): HvTask<bigint> {
  const target = hv.arch.mpidrToCpuid(mpidr);
  if (target < 0) {
    hv.panic(cpu, `PSCI CPU_ON: no CPU has MPIDR ${hex(mpidr)} (mpidr_to_cpuid)`);
    return 0n;
  }
  const pc = hv.getCpuData(target);
  yield* hv.frame(cpu, `ctrl_lock(${target}).lock()`, pc.ctrlLock.lock(cpu));
  try {
    yield* hv.event(cpu, 'psci', `PSCI CPU_ON(cpu=${target}, entry=${hex(entry)})`);
    if (pc.archCpu.powerOn) return ALREADY_ON;
    pc.cpuOnEntry = entry;
    pc.archCpu.powerOn = true;
    yield* hv.sendEvent(cpu, target, SGI_IPI_ID, IpiEvent.WAKEUP);
    return 0n;
  } finally {
    pc.ctrlLock.unlock(cpu);
  }
}

/** SYSTEM_OFF: the zone's other CPUs to idle, the zone removed; the root zone powers the machine off. */
function* systemOff(hv: ArmHvisor, cpu: number): HvTask {
  const zone = hv.zoneOf(cpu);
  if (!zone) {
    hv.panic(cpu, 'PSCI SYSTEM_OFF on a CPU without a zone (this_zone() unwraps None)');
    return;
  }
  yield* hv.event(cpu, 'zone-shutdown', `PSCI SYSTEM_OFF: zone ${zone.id} "${zone.name}"`);
  const isRoot = hv.isRootZone(cpu);
  for (const c of zone.cpuSet.iterExcept(cpu)) {
    hv.getCpuData(c).zone = undefined;
    yield* hv.sendEvent(cpu, c, SGI_IPI_ID, IpiEvent.SHUTDOWN);
  }
  const own = hv.getCpuData(cpu);
  own.zone = undefined;
  yield* hv.removeZone(cpu, zone.id);
  if (isRoot) {
    hv.powerOff(cpu, 'PSCI SYSTEM_OFF from the root zone: hvisor calls the firmware\'s SYSTEM_OFF');
    return;
  }
  yield* hv.frame(cpu, 'arch_cpu.idle()', hv.idle(cpu));
}
