// SBI as hvisor emulates it for its guests (src/arch/riscv64/sbi.rs): a7 is
// the extension, a6 the function; extensions above 0xF return (a0 = error,
// a1 = value), legacy ones only a0.

import { IpiEvent, SGI_IPI_ID } from '../../consts';
import type { RiscvHvisor } from './arch';
import type { HvTask } from '../../task';
import { hypercall } from '../../hypercall';
import { UART_RBR_THR_DLL } from '../../../machine/devices/uart16550';

export const SbiEid = {
  SET_TIMER: 0x0, CONSOLE_PUTCHAR: 0x1, CONSOLE_GETCHAR: 0x2,
  BASE: 0x10, TIME: 0x54494d45, IPI: 0x735049, RFENCE: 0x52464e43, HSM: 0x48534d, SRST: 0x53525354, HVISOR: 0x114514,
} as const;

export const SbiError = {
  SUCCESS: 0, FAILED: -1, NOT_SUPPORTED: -2, INVALID_PARAM: -3, DENIED: -4, INVALID_ADDRESS: -5, ALREADY_AVAILABLE: -6,
} as const;

/** Extensions hvisor's `probe` reports (EXT_TABLE). */
const EXT_TABLE: readonly number[] = [SbiEid.BASE, SbiEid.TIME, SbiEid.HSM, SbiEid.IPI, SbiEid.RFENCE, SbiEid.HVISOR];
/**
 * Extensions the model adds, each said in the trace when probed: with SRST
 * probed, a guest's `poweroff` (Linux's sbi_srst_power_off) ends the run
 * instead of halting in a loop, which is what a debugging session wants.
 */
const MODEL_EXTENSIONS: readonly number[] = [SbiEid.SRST];

/**
 * What hvisor forwards to the firmware beneath it. The emulated board has no
 * M-mode firmware, so the model answers as OpenSBI 1.1 on QEMU virt does.
 */
const FIRMWARE = { implId: 1n, implVersion: 0x10001n, mvendorid: 0n, marchid: 0n, mimpid: 0n } as const;

const SPEC_VERSION_2_0 = 0x0200_0000n;

const EID_NAMES: Readonly<Record<number, string>> = {
  0x0: 'legacy set_timer', 0x1: 'legacy console_putchar', 0x2: 'legacy console_getchar', 0x10: 'BASE', 0x54494d45: 'TIME',
  0x735049: 'IPI', 0x52464e43: 'RFENCE', 0x48534d: 'HSM', 0x53525354: 'SRST', 0x114514: 'hvisor',
};

interface SbiRet {
  error: number;
  value: bigint;
}

const ok = (value: bigint = 0n): SbiRet => ({ error: SbiError.SUCCESS, value });
const err = (error: number): SbiRet => ({ error, value: 0n });

/** sbi_vs_handler: handle the ecall in a7/a6/a0.. and write the result registers. */
export function* sbiVsHandler(hv: RiscvHvisor, cpu: number): HvTask {
  const hart = hv.core(cpu).hart;
  const eid = Number(hart.getReg(17));
  const fid = Number(hart.getReg(16));
  const a0 = hart.getReg(10), a1 = hart.getReg(11), a2 = hart.getReg(12);
  if (eid <= 0xf) {
    const value = legacy(hv, cpu, eid, a0);
    if (!hv.stop) hart.setReg(10, value);
    return;
  }
  const name = EID_NAMES[eid] ?? `0x${eid.toString(16)}`;
  if (eid !== SbiEid.HVISOR) yield* hv.event(cpu, 'sbi', `${name} fid ${fid} (a0=0x${a0.toString(16)}, a1=0x${a1.toString(16)}, a2=0x${a2.toString(16)})`);
  const ret = yield* dispatch(hv, cpu, eid, fid, a0, a1, a2);
  if (hv.stop) return;
  hv.log(cpu, 'sbi', `${name} fid ${fid} -> error ${ret.error}, value 0x${ret.value.toString(16)}`);
  hart.setReg(10, BigInt.asUintN(64, BigInt(ret.error)));
  hart.setReg(11, BigInt.asUintN(64, ret.value));
}

function legacy(hv: RiscvHvisor, cpu: number, eid: number, a0: bigint): bigint {
  switch (eid) {
    case SbiEid.CONSOLE_PUTCHAR:
      // Forwarded to the firmware, whose console turns "\n" into "\r\n" and
      // writes the 8250's THR (always empty here).
      if ((a0 & 0xffn) === 0x0an) hv.arch.board.uart.write(UART_RBR_THR_DLL, 1, 0x0d);
      hv.arch.board.uart.write(UART_RBR_THR_DLL, 1, Number(a0 & 0xffn));
      return 0n; // the firmware's return value, which hvisor hands back in a0
    case SbiEid.CONSOLE_GETCHAR: {
      // The firmware reads the 8250 for the caller, which asks for a byte now.
      const byte = hv.arch.board.uart.takeInput();
      return BigInt.asUintN(64, byte === undefined ? -1n : BigInt(byte));
    }
    case SbiEid.SET_TIMER:
      setTimer(hv, cpu, a0);
      return 0n;
    default:
      hv.log(cpu, 'sbi', `unsupported legacy extension 0x${eid.toString(16)}`);
      return BigInt.asUintN(64, BigInt(SbiError.NOT_SUPPORTED));
  }
}

function* dispatch(hv: RiscvHvisor, cpu: number, eid: number, fid: number, a0: bigint, a1: bigint, a2: bigint): HvTask<SbiRet> {
  switch (eid) {
    case SbiEid.BASE: return base(hv, cpu, fid, a0);
    case SbiEid.TIME:
      if (fid !== 0) return err(SbiError.NOT_SUPPORTED);
      setTimer(hv, cpu, a0);
      return ok();
    case SbiEid.HSM: return yield* hv.frame(cpu, `sbi_hsm_hart_start(target=${a0})`, hsm(hv, cpu, fid, a0, a1, a2));
    case SbiEid.IPI: return fid === 0 ? yield* sendIpi(hv, cpu, a0, a1) : err(SbiError.NOT_SUPPORTED);
    case SbiEid.RFENCE: return rfence(hv, fid, a0, a1);
    case SbiEid.SRST: return systemReset(hv, cpu, fid, a0, a1);
    case SbiEid.HVISOR: {
      // The hvisor extension: a0 = code, a1/a2 = arguments; a0 = 0 / FAILED, a1 = value or -errno.
      const r = yield* hv.frame(cpu, 'hypercall', hypercall(hv, cpu, a0, a1, a2));
      return 'errno' in r ? { error: SbiError.FAILED, value: BigInt.asUintN(64, BigInt(-r.errno)) } : ok(r.value);
    }
    default:
      hv.log(cpu, 'sbi', `unsupported extension 0x${eid.toString(16)}`);
      return err(SbiError.NOT_SUPPORTED);
  }
}

function probe(hv: RiscvHvisor, cpu: number, eid: bigint): SbiRet {
  if (EXT_TABLE.includes(Number(eid))) return ok(eid);
  if (!MODEL_EXTENSIONS.includes(Number(eid))) return ok(0n);
  hv.log(cpu, 'beyond-hvisor', `probe of ${EID_NAMES[Number(eid)]}: hvisor would answer 0 (absent); the model offers it`);
  return ok(eid);
}

function base(hv: RiscvHvisor, cpu: number, fid: number, a0: bigint): SbiRet {
  switch (fid) {
    case 0: return ok(SPEC_VERSION_2_0);
    case 1: return ok(FIRMWARE.implId);
    case 2: return ok(FIRMWARE.implVersion);
    case 3: return probe(hv, cpu, a0);
    case 4: return ok(FIRMWARE.mvendorid);
    case 5: return ok(FIRMWARE.marchid);
    case 6: return ok(FIRMWARE.mimpid);
    default: return err(SbiError.NOT_SUPPORTED);
  }
}

/** With Sstc the guest's timer is vstimecmp. */
function setTimer(hv: RiscvHvisor, cpu: number, when: bigint): void {
  const core = hv.core(cpu);
  core.hart.vstimecmp = when;
  core.timerChanged();
}

function hartToCpu(hv: RiscvHvisor, hartId: bigint): number {
  return hv.arch.board.hartIdMap.findIndex((h) => BigInt(h) === hartId);
}

/** HSM: only hart_start; the target's ctrl_lock serialises the check of power_on and the WAKEUP. */
function* hsm(hv: RiscvHvisor, cpu: number, fid: number, a0: bigint, a1: bigint, a2: bigint): HvTask<SbiRet> {
  if (fid !== 0) return err(SbiError.NOT_SUPPORTED); // hart_stop, get_status, suspend
  const target = hartToCpu(hv, a0);
  if (target < 0) {
    hv.panic(cpu, `HSM hart_start of hart ${a0}, which the board does not have (hartid_to_cpuid unwraps None)`);
    return ok();
  }
  if (target === cpu) return err(SbiError.ALREADY_AVAILABLE);
  const pc = hv.getCpuData(target);
  yield* hv.frame(cpu, `ctrl_lock(${target}).lock()`, pc.ctrlLock.lock(cpu));
  try {
    yield* hv.event(cpu, 'sbi', `hart_start: holding ctrl_lock(${target})`);
    if (pc.archCpu.powerOn) return err(SbiError.FAILED);
    pc.cpuOnEntry = a1;
    pc.dtbIpa = a2;
    yield* hv.sendEvent(cpu, target, SGI_IPI_ID, IpiEvent.WAKEUP);
    return ok();
  } finally {
    pc.ctrlLock.unlock(cpu);
  }
}

function* sendIpi(hv: RiscvHvisor, cpu: number, mask: bigint, maskBase: bigint): HvTask<SbiRet> {
  for (let bit = 0n; bit < 64n; bit++) {
    if (((mask >> bit) & 1n) === 0n) continue;
    const target = hartToCpu(hv, maskBase + bit);
    if (target < 0) {
      hv.panic(cpu, `send_ipi to hart ${maskBase + bit}, which the board does not have (hartid_to_cpuid unwraps None)`);
      return ok();
    }
    yield* hv.sendEvent(cpu, target, SGI_IPI_ID, IpiEvent.SEND_IPI);
  }
  return ok();
}

/** Remote fences: every hart's TLB and translated code are coherent in the model, so flushing is enough. */
function rfence(hv: RiscvHvisor, fid: number, mask: bigint, maskBase: bigint): SbiRet {
  if (fid > 2) return err(SbiError.NOT_SUPPORTED);
  for (let bit = 0n; bit < 64n; bit++) {
    if (((mask >> bit) & 1n) === 0n) continue;
    const target = hartToCpu(hv, maskBase + bit);
    if (target >= 0) hv.core(target).translationChanged();
  }
  return ok();
}

/** hvisor answers SRST with NOT_SUPPORTED; the model powers the machine off instead. */
function systemReset(hv: RiscvHvisor, cpu: number, fid: number, type: bigint, reason: bigint): SbiRet {
  if (fid !== 0) return err(SbiError.NOT_SUPPORTED);
  const kind = type === 0n ? 'shutdown' : type === 1n ? 'cold reboot' : type === 2n ? 'warm reboot' : undefined;
  if (!kind) return err(SbiError.INVALID_PARAM);
  hv.log(cpu, 'beyond-hvisor', `SRST ${kind} (reason ${reason}): hvisor would answer NOT_SUPPORTED; the model powers off`);
  hv.powerOff(cpu, `guest requested system ${kind} through SBI SRST`);
  return ok();
}
