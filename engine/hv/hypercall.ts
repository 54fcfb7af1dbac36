// hvisor's hypercalls (src/hypercall/mod.rs, reference §4): the codes, their
// arguments, results and permissions. Pointer arguments are root-zone IPAs,
// which are physical addresses because the root zone is identity-mapped.

import { hex } from '../hex';
import { CONFIG_MAGIC_VERSION, HvErrno, INVALID_ADDRESS, IpiEvent, MAX_WAIT_TIMES, SGI_IPI_ID } from './consts';
import { decodeZoneConfig, encodeZoneInfo, HV_ZONE_CONFIG_SIZE, ZONE_INFO_SIZE } from './config/binary';
import type { Hvisor } from './hvisor';
import { HvError, HvPanic } from './memory-set';
import type { HvTask } from './task';

export const HyperCallCode = {
  HvVirtioInit: 0, HvVirtioInjectIrq: 1, HvZoneStart: 2, HvZoneShutdown: 3, HvZoneList: 4, HvIvcInfo: 5,
  HvConfigCheck: 6, HvClearInjectIrq: 20, HvVirtioGetIrq: 86,
} as const;

const NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(HyperCallCode).map(([k, v]) => [v, k]));

export type HyperCallResult = { readonly value: bigint } | { readonly errno: number };

const ok = (value: bigint | number = 0n): HyperCallResult => ({ value: BigInt(value) });
const fail = (errno: number): HyperCallResult => ({ errno });

/** A zone-shutdown poll stands for this many iterations of hvisor's spin loop. */
const SPIN_ITERATIONS_PER_TURN = 1000;


export function* hypercall(hv: Hvisor, cpu: number, code: bigint, arg0: bigint, arg1: bigint): HvTask<HyperCallResult> {
  const name = NAMES[Number(code)] ?? `unknown hypercall ${code}`;
  yield* hv.event(cpu, 'hypercall', `${name}(${hex(arg0)}, ${hex(arg1)})`);
  const result = yield* dispatch(hv, cpu, Number(code), arg0, arg1);
  hv.log(cpu, 'hypercall', `${name} -> ${'errno' in result ? `-${errnoName(result.errno)}` : hex(result.value)}`);
  return result;
}

function errnoName(errno: number): string {
  return Object.entries(HvErrno).find(([, v]) => v === errno)?.[0] ?? String(errno);
}

function* dispatch(hv: Hvisor, cpu: number, code: number, arg0: bigint, arg1: bigint): HvTask<HyperCallResult> {
  const rootOnly = code === HyperCallCode.HvVirtioInit || code === HyperCallCode.HvVirtioInjectIrq || code === HyperCallCode.HvZoneStart || code === HyperCallCode.HvZoneShutdown;
  if (rootOnly && !hv.isRootZone(cpu)) return fail(HvErrno.EPERM);
  switch (code) {
    case HyperCallCode.HvVirtioInit:
    case HyperCallCode.HvVirtioInjectIrq:
      hv.log(cpu, 'beyond-hvisor', `${NAMES[code]}: the virtio bridge is not modelled yet; answering ENOSYS`);
      return fail(HvErrno.ENOSYS);
    case HyperCallCode.HvZoneStart:
      return yield* hv.frame(cpu, `hv_zone_start(config=${hex(arg0)})`, zoneStart(hv, cpu, Number(arg0), Number(arg1)));
    case HyperCallCode.HvZoneShutdown:
      return yield* hv.frame(cpu, `hv_zone_shutdown(${arg0})`, zoneShutdown(hv, cpu, Number(arg0)));
    case HyperCallCode.HvZoneList:
      return yield* hv.frame(cpu, 'hv_zone_list', zoneList(hv, cpu, Number(arg0), Number(arg1)));
    case HyperCallCode.HvConfigCheck:
      return writeGuest(hv, Number(arg0), u64(BigInt(CONFIG_MAGIC_VERSION))) ? ok() : fail(HvErrno.EFAULT);
    case HyperCallCode.HvIvcInfo:
      hv.log(cpu, 'hypercall', hv.arch.name === 'riscv64' ? 'HvIvcInfo: IVC is an aarch64 feature; riscv64 hvisor warns and returns 0' : 'HvIvcInfo: IVC is not modelled; answering 0');
      return ok();
    case HyperCallCode.HvClearInjectIrq:
      for (let target = 1; target < hv.board.ncpus; target++) {
        if (hv.getCpuData(target).archCpu.powerOn) yield* hv.sendEvent(cpu, target, SGI_IPI_ID, IpiEvent.CLEAR_INJECT_IRQ);
      }
      return ok();
    case HyperCallCode.HvVirtioGetIrq:
      return ok();
    default:
      hv.log(cpu, 'hypercall', `unknown hypercall code ${code}: hvisor warns and returns 0`);
      return ok();
  }
}

function u64(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
  return out;
}

/** Write to root-zone memory (IPA = PA); false when the range is not RAM. */
function writeGuest(hv: Hvisor, pa: number, bytes: Uint8Array): boolean {
  if (!hv.devices.memory.ram.contains(pa, bytes.length)) return false;
  hv.devices.memory.load(pa, bytes);
  return true;
}

function readGuest(hv: Hvisor, pa: number, length: number): Uint8Array | undefined {
  if (!hv.devices.memory.ram.contains(pa, length)) return undefined;
  return Uint8Array.from(hv.devices.memory.readBytes(pa, length) as number[]);
}

/** hv_zone_start (§4.2): create the zone, wake its boot CPU under its ctrl_lock, list it. */
function* zoneStart(hv: Hvisor, cpu: number, configPa: number, size: number): HvTask<HyperCallResult> {
  const arch = hv.arch.name;
  if (size !== HV_ZONE_CONFIG_SIZE[arch]) {
    hv.log(cpu, 'hypercall', `HvZoneStart: config size ${size} is not sizeof(HvZoneConfig) = ${HV_ZONE_CONFIG_SIZE[arch]} on ${arch}`);
    return fail(HvErrno.EINVAL);
  }
  const bytes = readGuest(hv, configPa, size);
  if (!bytes) return fail(HvErrno.EFAULT);
  const decoded = decodeZoneConfig(bytes, arch, `HvZoneConfig at ${hex(configPa)}`);
  const config = decoded.config;
  if (!config) {
    // hvisor takes the struct as it is; what the model cannot represent would make it misbehave.
    hv.panic(cpu, `HvZoneStart: ${decoded.errors.map((e) => e.toString()).join('; ')}`);
    return fail(HvErrno.EINVAL);
  }
  yield* hv.event(cpu, 'zone-start', `zone ${config.zoneId} "${config.name}" CPUs 0x${config.cpus.toString(16)} entry ${hex(config.entryPoint)}`);
  yield* hv.zoneListLock.read(cpu);
  let zone;
  try {
    zone = hv.zoneCreate(config);
  } catch (e) {
    if (e instanceof HvError) {
      hv.log(cpu, 'hypercall', `HvZoneStart: zone_create failed: ${e.message}`);
      return fail(e.errno);
    }
    if (e instanceof HvPanic) {
      hv.panic(cpu, `HvZoneStart: ${e.message}`);
      return fail(HvErrno.EINVAL);
    }
    throw e;
  } finally {
    hv.zoneListLock.unlockRead(cpu);
  }
  const boot = zone.cpuSet.firstCpu();
  if (boot === undefined) {
    hv.panic(cpu, `HvZoneStart: zone ${zone.id} has no CPUs (first_cpu() unwraps None)`);
    return fail(HvErrno.EINVAL);
  }
  const target = hv.getCpuData(boot);
  yield* hv.frame(cpu, `ctrl_lock(${boot}).lock()`, target.ctrlLock.lock(cpu));
  try {
    yield* hv.event(cpu, 'zone-start', `holding ctrl_lock(${boot}) to wake CPU ${boot}`);
    if (target.archCpu.powerOn) {
      hv.log(cpu, 'hypercall', `HvZoneStart: boot CPU ${boot} is already on; its PerCpu now names zone ${zone.id}, which is never listed (as in hvisor)`);
      return fail(HvErrno.EBUSY);
    }
    yield* hv.sendEvent(cpu, boot, SGI_IPI_ID, IpiEvent.WAKEUP);
    // hvisor lists the zone while it still holds the boot CPU's ctrl_lock.
    yield* hv.addZone(cpu, zone);
  } finally {
    target.ctrlLock.unlock(cpu);
  }
  hv.log(cpu, 'zone', `zone ${zone.id} "${zone.name}" started on CPUs ${zone.cpuSet.toArray().join(',')}`);
  return ok();
}

/** hv_zone_shutdown (§3.7): every CPU of the zone to idle, then the zone leaves the list. */
function* zoneShutdown(hv: Hvisor, cpu: number, id: number): HvTask<HyperCallResult> {
  if (id === 0) return fail(HvErrno.EINVAL);
  const zone = yield* hv.findZone(cpu, id);
  if (!zone) return fail(HvErrno.EINVAL);
  yield* hv.frame(cpu, `zone(${id}).write()`, zone.lock.write(cpu));
  try {
    yield* hv.event(cpu, 'zone-shutdown', `zone ${id} "${zone.name}": shutting down CPUs ${zone.cpuSet.toArray().join(',')}`);
    for (const c of zone.cpuSet.iter()) {
      const pc = hv.getCpuData(c);
      yield* hv.frame(cpu, `ctrl_lock(${c}).lock()`, pc.ctrlLock.lock(cpu));
      pc.cpuOnEntry = INVALID_ADDRESS;
      yield* hv.sendEvent(cpu, c, SGI_IPI_ID, IpiEvent.SHUTDOWN);
      pc.ctrlLock.unlock(cpu);
    }
    let checks = 0;
    for (;;) {
      let allOff = true;
      for (const c of zone.cpuSet.iter()) {
        const pc = hv.getCpuData(c);
        yield* pc.ctrlLock.lock(cpu);
        if (pc.archCpu.powerOn) allOff = false;
        pc.ctrlLock.unlock(cpu);
      }
      if (allOff) break;
      checks += SPIN_ITERATIONS_PER_TURN;
      if (checks > MAX_WAIT_TIMES) {
        hv.log(cpu, 'zone', `zone ${id}: CPUs still on after ${MAX_WAIT_TIMES} checks cannot be shut down; treating them as off (as hvisor does)`);
        break;
      }
      yield { kind: 'spin' };
    }
    for (const c of zone.cpuSet.iter()) {
      const pc = hv.getCpuData(c);
      yield* pc.ctrlLock.lock(cpu);
      pc.zone = undefined;
      pc.ctrlLock.unlock(cpu);
    }
    hv.irqchipReset(zone);
  } finally {
    zone.lock.unlockWrite(cpu);
  }
  yield* hv.removeZone(cpu, id);
  hv.log(cpu, 'zone', `zone ${id} "${zone.name}" shut down`);
  return ok();
}

/** hv_zone_list: ZoneInfo records for up to `count` zones, in ZONE_LIST order. */
function* zoneList(hv: Hvisor, cpu: number, pa: number, count: number): HvTask<HyperCallResult> {
  if (pa === 0) return fail(HvErrno.EINVAL);
  yield* hv.zoneListLock.read(cpu);
  const zones = hv.zoneList.slice(0, Math.max(0, count));
  hv.zoneListLock.unlockRead(cpu);
  const bytes = new Uint8Array(zones.length * ZONE_INFO_SIZE);
  zones.forEach((z, i) => bytes.set(encodeZoneInfo({ zoneId: z.id, cpus: z.cpuSet.bitmap, name: z.name, isErr: z.isErr }), i * ZONE_INFO_SIZE));
  if (!writeGuest(hv, pa, bytes)) return fail(HvErrno.EFAULT);
  return ok(zones.length);
}
