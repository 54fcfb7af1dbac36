// hvisor's virtual PLIC (src/device/irqchip/plic/{mod.rs,vplic.rs}): one per
// zone, emulating the whole PLIC window for the zone's guest. Interrupts the
// board lets through (HW_IRQS) that the zone owns are "hw": their priority,
// enables, thresholds and completions are also written to the physical PLIC.
// A context's line is the guest's VSEIP on the CPU behind that context.

import { HV_OK, type HvResult, type MmioAccess, type MmioHandler, mmioRegionRegister } from '../../mmio';
import type { Zone } from '../../zone';
import { IRQ } from '../../../isa/riscv64/csr';
import type { Riscv64Core } from '../../../isa/riscv64/core';
import { QEMU_PLIC_MAP } from '../../../machine/boards/qemu-plic-map';

/** BOARD_PLIC_INTERRUPTS_NUM on qemu-plic: sources 1..1023 (0 does not exist). */
export const PLIC_INTERRUPTS_NUM = 1023;
/** HW_IRQS on qemu-plic: the only sources routed to a zone through the physical PLIC. */
export const QEMU_PLIC_HW_IRQS: readonly number[] = QEMU_PLIC_MAP.hwIrqs;
/** Contexts per hart: M-mode (even) and S-mode (odd). */
export const CONTEXTS_PER_HART = 2;

const PRIORITY_END = 0x0ffc;
const PENDING_BASE = 0x1000;
const PENDING_END = 0x107c;
const ENABLE_BASE = 0x2000;
const ENABLE_STRIDE = 0x80;
const THRESHOLD_BASE = 0x200000;
const CLAIM_BASE = 0x200004;
const CONTEXT_STRIDE = 0x1000;

/** 32-bit register access to the board's PLIC, offsets from its base. */
export interface PhysicalPlicPort {
  read(offset: number): number;
  write(offset: number, value: number): void;
}

/** What the vPLIC needs from the model. */
export interface VplicHost {
  /** The CPU running the hypervisor code that touches the vPLIC (this_cpu_id). */
  currentCpu(): number;
  /** Set or clear hvip.VSEIP on `cpu`; only ever called for the current CPU (see setHartVseip). */
  setVseip(cpu: number, level: boolean): void;
  /** send_event(cpu, 0, IPI_EVENT_UPDATE_HART_LINE). */
  sendUpdateHartLine(cpu: number): void;
  readonly physical: PhysicalPlicPort;
  /** hvisor's error!/warn! lines from the vPLIC. */
  log(text: string): void;
  /** Where hvisor would panic (an index out of range in its bit vectors). */
  panic(reason: string): void;
}

/** hvisor's Plic helper over the physical PLIC's registers. */
export class HostPlic {
  constructor(private readonly port: PhysicalPlicPort) {}

  setPriority(irq: number, priority: number): void {
    this.port.write(4 * irq, priority >>> 0);
  }

  /** Read-modify-write of the one enable word holding `irq`. */
  setEnableNum(context: number, irq: number, enable: boolean): void {
    const offset = ENABLE_BASE + ENABLE_STRIDE * context + 4 * (irq >>> 5);
    const bit = 1 << (irq & 31);
    const word = this.port.read(offset);
    this.port.write(offset, (enable ? word | bit : word & ~bit) >>> 0);
  }

  setThreshold(context: number, threshold: number): void {
    this.port.write(THRESHOLD_BASE + CONTEXT_STRIDE * context, threshold >>> 0);
  }

  claim(context: number): number {
    return this.port.read(CLAIM_BASE + CONTEXT_STRIDE * context) >>> 0;
  }

  complete(context: number, irq: number): void {
    this.port.write(CLAIM_BASE + CONTEXT_STRIDE * context, irq >>> 0);
  }
}

/** hvip.VSEIP on a hart, then let the core re-evaluate its interrupts. */
export function setHartVseip(core: Riscv64Core, level: boolean): void {
  const bit = 1n << BigInt(IRQ.VSEI);
  core.hart.hvip = level ? core.hart.hvip | bit : core.hart.hvip & ~bit;
  core.interruptsChanged();
}

/** The physical S-context hvisor owns on a CPU (SEI handling claims from it). */
export const physicalSContext = (cpu: number): number => cpu * CONTEXTS_PER_HART + 1;

export interface VplicContextSnapshot {
  readonly vcontext: number;
  readonly mode: 'M' | 'S';
  /** The CPU behind the context and its physical context. */
  readonly cpu: number;
  readonly pcontext: number;
  readonly enables: readonly number[];
  readonly threshold: number;
  /** What a claim would return now (0 = nothing). */
  readonly next: number;
  /** Whether the context has a deliverable interrupt (S contexts only drive a line). */
  readonly line: boolean;
}

export interface VplicSnapshot {
  readonly zoneId: number;
  readonly numContexts: number;
  /** priorities[irq] for irq 0..1023 (hvisor stores the full 32-bit value). */
  readonly priorities: readonly number[];
  readonly pending: readonly number[];
  readonly active: readonly number[];
  readonly hw: readonly number[];
  readonly contexts: readonly VplicContextSnapshot[];
}

/** A bit vector over interrupt ids 0..PLIC_INTERRUPTS_NUM. */
class IrqBits {
  readonly words = new Uint32Array((PLIC_INTERRUPTS_NUM + 1 + 31) >>> 5);
  get(irq: number): boolean {
    return ((this.words[irq >>> 5]! >>> (irq & 31)) & 1) === 1;
  }
  set(irq: number, on: boolean): void {
    const bit = 1 << (irq & 31);
    this.words[irq >>> 5] = on ? this.words[irq >>> 5]! | bit : this.words[irq >>> 5]! & ~bit;
  }
  ids(): number[] {
    const out: number[] = [];
    for (let irq = 0; irq <= PLIC_INTERRUPTS_NUM; irq++) if (this.get(irq)) out.push(irq);
    return out;
  }
}

export class VirtualPlic {
  readonly maxInterrupts = PLIC_INTERRUPTS_NUM;
  readonly numContexts: number;
  private readonly hw = new IrqBits();
  private readonly active = new IrqBits();
  private readonly pending = new IrqBits();
  private readonly priority = new Uint32Array(PLIC_INTERRUPTS_NUM + 1);
  private readonly enable: IrqBits[];
  private readonly threshold: Uint32Array;
  private readonly hostPlic: HostPlic;
  /** The MMIO handler to register over the PLIC window (vplic_handler); arg unused. */
  readonly handler: MmioHandler = (access) => this.handle(access);

  /** Sized like hvisor's: cpu_num * 2 contexts. The hw set starts empty (see forZone). */
  constructor(readonly zone: Zone, private readonly host: VplicHost) {
    this.numContexts = zone.cpuNum * CONTEXTS_PER_HART;
    this.enable = Array.from({ length: this.numContexts }, () => new IrqBits());
    this.threshold = new Uint32Array(this.numContexts);
    this.hostPlic = new HostPlic(host.physical);
  }

  /** vplic_init then irq_bitmap_init: the zone's owned interrupts that the board routes are hw. */
  static forZone(zone: Zone, host: VplicHost, hwIrqs: readonly number[] = QEMU_PLIC_HW_IRQS): VirtualPlic {
    const v = new VirtualPlic(zone, host);
    for (const irq of hwIrqs) if (zone.irqInZone(irq)) v.setHw(irq, true);
    return v;
  }

  setHw(irq: number, hw: boolean): void {
    this.hw.set(irq, hw);
  }

  isHw(irq: number): boolean {
    return this.hw.get(irq);
  }

  /** vcontext → physical S-context of the CPU at that index of the zone's cpu_set. */
  vcontextToPcontext(vcontext: number): number {
    const cpus = this.zone.cpuSet.toArray();
    const cpu = cpus[Math.floor(vcontext / CONTEXTS_PER_HART)];
    return cpu === undefined ? -1 : physicalSContext(cpu);
  }

  /** The S vcontext of `cpu`: 2 × its index in the cpu_set + 1 (index 0 if absent, as hvisor's loop leaves it). */
  vcontextOf(cpu: number): number {
    const index = Math.max(0, this.zone.cpuSet.toArray().indexOf(cpu));
    return index * CONTEXTS_PER_HART + 1;
  }

  /**
   * inject_irq on the current CPU: a mismatching hw flag is refused (logged);
   * an already pending interrupt changes nothing. A hw interrupt updates the
   * current CPU's line; a virtual one every S context it could be delivered to.
   */
  injectIrq(irq: number, hw: boolean): void {
    if (!this.inRange(irq, 'inject_irq')) return;
    if (hw !== this.hw.get(irq)) {
      this.host.log(`vPLIC inject_irq ${irq}: hw=${hw} does not match the vPLIC's hw bit; interrupt dropped`);
      return;
    }
    if (this.pending.get(irq)) return;
    this.pending.set(irq, true);
    if (this.hw.get(irq)) {
      this.updateLine(this.vcontextOf(this.host.currentCpu()));
      return;
    }
    for (let ctx = 1; ctx < this.numContexts; ctx += CONTEXTS_PER_HART) {
      if (this.enable[ctx]!.get(irq) && this.priority[irq]! > this.threshold[ctx]!) this.updateLine(ctx);
    }
  }

  /** The receiving side of UPDATE_HART_LINE: recompute `cpu`'s own S context. */
  updateHartLine(cpu: number): void {
    this.updateLine(this.vcontextOf(cpu));
  }

  /** vplic_get_next_pending: highest priority wins, lowest id on ties, and only above the threshold. */
  nextPending(vcontext: number): number {
    const enable = this.enable[vcontext];
    if (!enable) return 0;
    let maxPriority = 0;
    let next = 0;
    for (let irq = 1; irq <= this.maxInterrupts; irq++) {
      if (this.pending.get(irq) && !this.active.get(irq) && enable.get(irq) && this.priority[irq]! > maxPriority) {
        maxPriority = this.priority[irq]!;
        next = irq;
      }
    }
    return maxPriority > this.threshold[vcontext]! ? next : 0;
  }

  /** vplic_emul_access: the 32-bit value a read returns (writes return 0). */
  emulAccess(offset: number, size: number, value: bigint, isWrite: boolean): number {
    if (size !== 4 || (offset & 3) !== 0) return this.reject(`only aligned word accesses are allowed (offset 0x${offset.toString(16)}, size ${size})`);
    if (offset <= PRIORITY_END) return this.priorityAccess(offset >>> 2, value, isWrite);
    if (offset >= PENDING_BASE && offset <= PENDING_END) {
      if (isWrite) return this.reject('pending is read-only');
      return this.readWord(this.pending, (offset - PENDING_BASE) >>> 2);
    }
    if (offset >= ENABLE_BASE && offset < ENABLE_BASE + ENABLE_STRIDE * this.numContexts) {
      const ctx = Math.floor((offset - ENABLE_BASE) / ENABLE_STRIDE);
      if (!this.isSContext(ctx)) return 0;
      return this.enableAccess(ctx, ((offset - ENABLE_BASE) % ENABLE_STRIDE) >>> 2, value, isWrite);
    }
    if (offset >= THRESHOLD_BASE && (offset - THRESHOLD_BASE) % CONTEXT_STRIDE === 0) {
      const ctx = (offset - THRESHOLD_BASE) / CONTEXT_STRIDE;
      if (!this.isSContext(ctx)) return 0;
      return this.thresholdAccess(ctx, value, isWrite);
    }
    if (offset >= CLAIM_BASE && (offset - CLAIM_BASE) % CONTEXT_STRIDE === 0) {
      const ctx = (offset - CLAIM_BASE) / CONTEXT_STRIDE;
      if (!this.isSContext(ctx)) return 0;
      return isWrite ? this.complete(ctx, value) : this.claim(ctx);
    }
    return this.reject(`undefined PLIC offset 0x${offset.toString(16)}`);
  }

  snapshot(): VplicSnapshot {
    const contexts: VplicContextSnapshot[] = [];
    for (let ctx = 0; ctx < this.numContexts; ctx++) {
      const mode = ctx % CONTEXTS_PER_HART === 1 ? 'S' : 'M';
      const pcontext = this.vcontextToPcontext(ctx);
      const next = this.nextPending(ctx);
      contexts.push({
        vcontext: ctx,
        mode,
        cpu: pcontext < 0 ? -1 : Math.floor(pcontext / CONTEXTS_PER_HART),
        pcontext,
        enables: this.enable[ctx]!.ids(),
        threshold: this.threshold[ctx]!,
        next,
        line: mode === 'S' && next !== 0,
      });
    }
    return {
      zoneId: this.zone.id,
      numContexts: this.numContexts,
      priorities: Array.from(this.priority),
      pending: this.pending.ids(),
      active: this.active.ids(),
      hw: this.hw.ids(),
      contexts,
    };
  }

  // ---- register groups ------------------------------------------------------------

  private handle(access: MmioAccess): HvResult {
    // hvisor's handler always succeeds: rejected accesses are logged and read as 0.
    const result = this.emulAccess(access.address, access.size, access.value, access.isWrite);
    if (!access.isWrite) access.value = BigInt(result >>> 0);
    return HV_OK;
  }

  private priorityAccess(irq: number, value: bigint, isWrite: boolean): number {
    if (irq === 0 || irq > this.maxInterrupts) return this.reject(`invalid interrupt id ${irq} in the priority range`);
    if (!isWrite) return this.priority[irq]!;
    const priority = Number(BigInt.asUintN(32, value));
    this.priority[irq] = priority;
    if (this.hw.get(irq)) {
      this.hostPlic.setPriority(irq, priority);
      return 0;
    }
    for (let ctx = 1; ctx < this.numContexts; ctx += CONTEXTS_PER_HART) {
      if (this.enable[ctx]!.get(irq)) this.updateLine(ctx);
    }
    return 0;
  }

  /** One enable word: each changed bit is applied on its own, hw ones to the physical context. */
  private enableAccess(ctx: number, word: number, value: bigint, isWrite: boolean): number {
    const enable = this.enable[ctx]!;
    if (!isWrite) return this.readWord(enable, word);
    const first = word * 32;
    const last = Math.min(first + 31, this.maxInterrupts);
    for (let irq = first; irq <= last; irq++) {
      const on = ((value >> BigInt(irq - first)) & 1n) === 1n;
      if (enable.get(irq) === on) continue;
      enable.set(irq, on);
      if (this.hw.get(irq)) this.hostPlic.setEnableNum(this.vcontextToPcontext(ctx), irq, on);
      else this.updateLine(ctx);
    }
    return 0;
  }

  /** The threshold is mirrored for every zone, hw interrupts or not. */
  private thresholdAccess(ctx: number, value: bigint, isWrite: boolean): number {
    if (!isWrite) return this.threshold[ctx]!;
    const threshold = Number(BigInt.asUintN(32, value));
    this.threshold[ctx] = threshold;
    this.hostPlic.setThreshold(this.vcontextToPcontext(ctx), threshold);
    this.updateLine(ctx);
    return 0;
  }

  /** A claim with nothing deliverable returns 0 and, as in hvisor, marks id 0 active. */
  private claim(ctx: number): number {
    const irq = this.nextPending(ctx);
    this.pending.set(irq, false);
    this.active.set(irq, true);
    this.updateLine(ctx);
    return irq;
  }

  private complete(ctx: number, value: bigint): number {
    if (value > BigInt(this.maxInterrupts)) {
      this.host.panic(`vPLIC complete of interrupt ${value} indexes past the vPLIC's ${this.maxInterrupts + 1}-entry bit vectors`);
      return 0;
    }
    const irq = Number(value);
    if (this.hw.get(irq)) this.hostPlic.complete(this.vcontextToPcontext(ctx), irq);
    this.active.set(irq, false);
    this.updateLine(ctx);
    return 0;
  }

  // ---- helpers ------------------------------------------------------------------

  /** vplic_update_hart_line: set VSEIP directly on the current CPU, else ask the owner CPU to. */
  private updateLine(vcontext: number): void {
    const pcontext = this.vcontextToPcontext(vcontext);
    if (pcontext < 0) {
      this.host.panic(`vPLIC context ${vcontext} has no CPU in zone ${this.zone.id}'s cpu_set`);
      return;
    }
    const cpu = Math.floor(pcontext / CONTEXTS_PER_HART);
    if (cpu === this.host.currentCpu()) this.host.setVseip(cpu, this.nextPending(vcontext) !== 0);
    else this.host.sendUpdateHartLine(cpu);
  }

  private isSContext(ctx: number): boolean {
    if (ctx < this.numContexts && ctx % CONTEXTS_PER_HART === 1) return true;
    this.reject(`invalid context id ${ctx} (only the zone's S-mode contexts exist)`);
    return false;
  }

  private readWord(bits: IrqBits, word: number): number {
    const first = word * 32;
    const last = Math.min(first + 31, this.maxInterrupts);
    let out = 0;
    for (let irq = first; irq <= last; irq++) if (bits.get(irq)) out |= 1 << (irq - first);
    return out >>> 0;
  }

  private inRange(irq: number, what: string): boolean {
    if (Number.isInteger(irq) && irq >= 0 && irq <= this.maxInterrupts) return true;
    this.host.panic(`vPLIC ${what} of interrupt ${irq} indexes past the vPLIC's ${this.maxInterrupts + 1}-entry bit vectors`);
    return false;
  }

  private reject(message: string): number {
    this.host.log(`vPLIC: ${message}`);
    return 0;
  }
}

/** Register the vPLIC over the zone's PLIC window (vplic_mmio_init). */
export function registerVplicMmio(zone: Zone, vplic: VirtualPlic, plicBase: number, plicSize: number): void {
  mmioRegionRegister(zone, plicBase, plicSize, 'vplic_handler', vplic.handler, 0);
}

/**
 * The PLIC part of arch_irqchip_reset at zone shutdown: owned HW_IRQS get
 * physical priority 0 and are disabled in each of the zone's physical S
 * contexts; those contexts' thresholds go to 0, their CPUs' event queues are
 * cleared, and the zone's vPLIC is dropped from the map. Returns the reason
 * hvisor would panic (no vPLIC for the zone), else undefined.
 */
export function plicIrqchipReset(
  zone: Zone,
  physical: PhysicalPlicPort,
  clearEvents: (cpu: number) => void,
  vplics: Map<number, VirtualPlic>,
  hwIrqs: readonly number[] = QEMU_PLIC_HW_IRQS,
): string | undefined {
  if (!vplics.has(zone.id)) return `zone ${zone.id} has no VirtualPLIC`;
  const host = new HostPlic(physical);
  const cpus = zone.cpuSet.toArray();
  for (const irq of zone.irqs()) {
    if (!hwIrqs.includes(irq)) continue;
    host.setPriority(irq, 0);
    for (const cpu of cpus) host.setEnableNum(physicalSContext(cpu), irq, false);
  }
  for (const cpu of cpus) {
    host.setThreshold(physicalSContext(cpu), 0);
    clearEvents(cpu);
  }
  vplics.delete(zone.id);
  return undefined;
}
