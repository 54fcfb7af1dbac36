// The Variables pane's tree for one CPU, built from one CpuDetails snapshot:
// PerCpu, Registers, Zone, Locks and Hypervisor, under hvisor's names; and
// the guest's C values (Locals, Globals) as the engine describes them.

import type { Arch, ArchCpuField, LockState, RegisterNode, RegisterValue } from '../engine/api';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { CpuDetails, CVariableView, ZoneSummary } from './engine-protocol';
import { guestReference, hex, physicalReference } from './memory-reference';
import { GUEST_ADDRESS_FIELDS } from '../engine/debug/cpu-context';
import { INVALID_ADDRESS } from '../engine/hv/consts';

export type VarValue =
  | { readonly kind: 'text'; readonly text: string }
  /** A number shown in hex or decimal as the client asks; `hexOnly` marks addresses, hex by default. */
  | { readonly kind: 'number'; readonly value: bigint; readonly hexOnly?: boolean };

export interface VarItem {
  readonly name: string;
  readonly value: VarValue;
  readonly type?: string;
  readonly children?: readonly VarItem[];
  readonly memoryReference?: string;
  /**
   * Set on registers and system registers (with their group): setVariable writes them, by `name`
   * where the item's own name is not the register's; `float` lanes also take a decimal value.
   */
  readonly register?: { readonly cpu: number; readonly group?: string; readonly name?: string; readonly float?: 32 | 64 };
  readonly evaluateName?: string;
  /** Children fetched on expansion: this zone's stage-2 leaves. */
  readonly stage2Of?: number;
}

export interface ScopeTree {
  readonly name: string;
  readonly presentationHint?: 'registers' | 'locals';
  readonly items: readonly VarItem[];
}

const text = (t: string): VarValue => ({ kind: 'text', text: t });
const num = (v: bigint | number): VarValue => ({ kind: 'number', value: BigInt(v) });
const addr = (v: bigint | number): VarValue => ({ kind: 'number', value: BigInt.asUintN(64, BigInt(v)), hexOnly: true });

/** `hexFormat` is the client's choice when it sent one; without it, addresses show in hex and counts in decimal. */
export function formatValue(v: VarValue, hexFormat: boolean | undefined): string {
  if (v.kind === 'text') return v.text;
  return (hexFormat ?? v.hexOnly) ? hex(v.value) : v.value.toString();
}

function lockText(l: LockState): string {
  const held = l.owner !== undefined ? `held by CPU ${l.owner}` : l.readers.length ? `read by CPU ${l.readers.join(', ')}` : 'free';
  const waiting = l.waiters.length ? `; waiters: ${l.waiters.map((w) => `CPU ${w.cpu} (${w.mode})`).join(', ')}` : '';
  return held + waiting;
}

function lockItem(l: LockState): VarItem {
  return {
    name: l.name, value: text(lockText(l)), type: l.kind === 'mutex' ? 'spin::Mutex' : 'spin::RwLock',
    children: [
      { name: 'owner', value: text(l.owner === undefined ? 'none' : `CPU ${l.owner}`) },
      { name: 'readers', value: text(l.readers.length ? l.readers.map((c) => `CPU ${c}`).join(', ') : 'none') },
      { name: 'waiters', value: text(l.waiters.length ? l.waiters.map((w) => `CPU ${w.cpu} (${w.mode})`).join(', ') : 'none') },
    ],
  };
}

/** ArchCpu fields holding a hypervisor address (physical); GUEST_ADDRESS_FIELDS hold guest addresses. */
const PHYSICAL_FIELDS = new Set(['stack_top']);

function archCpuField(cpu: number, f: ArchCpuField): VarItem {
  const v = f.value;
  if (typeof v === 'boolean') return { name: f.name, value: text(String(v)) };
  if (Array.isArray(v)) {
    const list = v as readonly bigint[];
    return { name: f.name, value: text(`[u64; ${list.length}]`), children: list.map((x, i) => ({ name: `[${i}]`, value: num(x) })) };
  }
  const n = v as bigint | number;
  if (PHYSICAL_FIELDS.has(f.name)) return { name: f.name, value: addr(n), memoryReference: physicalReference(n) };
  if (GUEST_ADDRESS_FIELDS.has(f.name)) return { name: f.name, value: addr(n), memoryReference: guestReference(cpu, BigInt(n)) };
  return { name: f.name, value: typeof n === 'number' ? num(n) : addr(n) };
}

/** The type column of a general register: riscv64 ABI names show their xN. */
function registerType(arch: Arch, name: string, index: number): string {
  if (name === 'pc') return 'pc';
  return arch === 'riscv64' ? `x${index}` : 'u64';
}

function addressOrInvalid(v: bigint): VarItem['value'] {
  return v === INVALID_ADDRESS ? text('INVALID_ADDRESS') : addr(v);
}

function zoneItems(z: ZoneSummary): VarItem[] {
  return [
    { name: 'id', value: num(z.id) },
    { name: 'name', value: text(JSON.stringify(z.name)) },
    { name: 'cpu_set', value: text(`[${z.cpus.join(', ')}]`) },
    { name: 'cpu_num', value: num(z.cpuNum) },
    {
      name: 'memory regions', value: text(`${z.memoryRegions.length} regions`),
      children: z.memoryRegions.map((r, i) => ({
        name: `[${i}]`, value: text(`gpa ${hex(r.start)}..${hex(r.start + r.size)} → hpa ${hex(r.hpa)} flags ${hex(r.flags)}`),
        memoryReference: physicalReference(r.hpa),
        children: [
          { name: 'start', value: addr(r.start) }, { name: 'size', value: addr(r.size) },
          { name: 'hpa', value: addr(r.hpa), memoryReference: physicalReference(r.hpa) }, { name: 'flags', value: addr(r.flags) },
        ],
      })),
    },
    { name: 'stage-2 mappings', value: text(`page table at ${hex(z.stage2Root)}`), memoryReference: physicalReference(z.stage2Root), stage2Of: z.id },
    { name: 'irqs', value: text(z.irqs.length ? `[${z.irqs.join(', ')}]` : '[]') },
    {
      name: 'mmio', value: text(`${z.mmio.length} regions`),
      children: z.mmio.map((m, i) => ({ name: `[${i}]`, value: text(`${hex(m.start)}..${hex(m.start + m.size)} ${m.handler}(${hex(m.arg)})`) })),
    },
    { name: 'is_err', value: text(String(z.isErr)) },
    lockItem(z.lock),
  ];
}

function registerNodeItem(cpu: number, n: RegisterNode): VarItem {
  return {
    name: n.name, value: text(n.text),
    ...(n.setName ? { register: { cpu, name: n.setName, ...(n.float ? { float: n.float } : {}) }, evaluateName: n.setName } : {}),
    ...(n.children ? { children: n.children.map((c) => registerNodeItem(cpu, c)) } : {}),
  };
}

/**
 * The scopes of a frame of `cpu`. A caller frame passes the registers call
 * frame information recovers for it: they show read-only, as they were in
 * that frame (only the innermost frame's are the CPU's to write).
 */
export function buildScopes(cpu: number, d: CpuDetails, frameRegisters?: readonly RegisterValue[]): ScopeTree[] {
  const p = d.perCpu;
  const a = p.archCpu;
  const zoneName = (id: number | undefined): string => {
    if (id === undefined) return 'None';
    const z = d.zoneNames.find((n) => n.id === id);
    return `Some(zone ${id}${z ? ` "${z.name}"` : ''})`;
  };
  const perCpu: VarItem[] = [
    { name: 'id', value: num(p.id), type: 'usize' },
    { name: 'cpu_on_entry', value: addressOrInvalid(p.cpuOnEntry), type: 'usize', ...(p.cpuOnEntry !== INVALID_ADDRESS ? { memoryReference: guestReference(cpu, p.cpuOnEntry) } : {}) },
    { name: 'dtb_ipa', value: addressOrInvalid(p.dtbIpa), type: 'usize', ...(p.dtbIpa !== INVALID_ADDRESS ? { memoryReference: guestReference(cpu, p.dtbIpa) } : {}) },
    {
      name: 'arch_cpu', value: text(`ArchCpu { cpuid: ${a.cpuid}, power_on: ${a.powerOn} }`), type: 'ArchCpu',
      children: a.fields.map((f) => archCpuField(cpu, f)),
    },
    { name: 'zone', value: text(zoneName(p.zone)), type: 'Option<Arc<RwLock<Zone>>>', ...(d.zone ? { children: zoneItems(d.zone) } : {}) },
    { name: 'ctrl_lock', value: text(lockText(p.ctrlLock)), type: 'spin::Mutex<()>', children: lockItem(p.ctrlLock).children! },
    { name: 'boot_cpu', value: text(String(p.bootCpu)), type: 'bool' },
  ];
  const registers: VarItem[] = frameRegisters
    ? frameRegisters.map((r) => ({
      name: r.name, value: addr(r.value), type: registerType(d.arch, r.name, d.registers.findIndex((c) => c.name === r.name)), memoryReference: guestReference(cpu, r.value),
    }))
    : d.registers.map((r, i) => ({
      name: r.name, value: addr(r.value), type: registerType(d.arch, r.name, i), register: { cpu }, evaluateName: r.name,
      memoryReference: guestReference(cpu, r.value),
    }));
  for (const g of d.systemRegisters) {
    registers.push({
      name: g.label, value: text(`${g.registers.length} registers`),
      children: g.registers.map((c) => ({ name: c.name, value: addr(c.value), evaluateName: c.name, register: { cpu, group: g.id } })),
    });
  }
  if (d.fpRegisters.length) {
    registers.push({ name: 'FP/SIMD registers', value: text(`${d.fpRegisters.length} registers`), children: d.fpRegisters.map((n) => registerNodeItem(cpu, n)) });
  }
  const h = d.hypervisor;
  const hypervisor: VarItem[] = [
    { name: 'zone_list', value: text(`[${h.zoneList.join(', ')}]`), children: d.zoneNames.map((z) => ({ name: `zone ${z.id}`, value: text(JSON.stringify(z.name)) })) },
    { name: 'entered_cpus', value: num(h.enteredCpus) },
    { name: 'master_cpu', value: num(h.masterCpu) },
    { name: 'stage-2 mode', value: text(h.stage2Mode) },
    {
      name: 'event queues', value: text(`${h.events.reduce((n, q) => n + q.length, 0)} queued`),
      children: h.events.map((q, i) => ({ name: `CPU ${i}`, value: text(q.length ? q.join(', ') : 'empty') })),
    },
  ];
  return [
    { name: 'PerCpu', presentationHint: 'locals', items: perCpu },
    { name: 'Registers', presentationHint: 'registers', items: registers },
    { name: 'Zone', items: d.zone ? zoneItems(d.zone) : [{ name: 'zone', value: text('None (this CPU belongs to no zone)') }] },
    { name: 'Locks', items: d.locks.map(lockItem) },
    { name: 'Hypervisor', items: hypervisor },
  ];
}

export function stage2Items(leaves: readonly { gpa: number; hpa: number; size: number; flags: number }[]): VarItem[] {
  return leaves.map((l, i) => ({
    name: `[${i}]`, value: text(`gpa ${hex(l.gpa)} → hpa ${hex(l.hpa)} size ${hex(l.size)} flags ${hex(l.flags)}`),
    memoryReference: physicalReference(l.hpa),
  }));
}

/** A C value as a DAP variable; `expand` turns its engine handle into a variables reference. */
export function cVariable(cpu: number, v: CVariableView, expand: (handle: number) => number): DebugProtocol.Variable {
  const out: DebugProtocol.Variable = { name: v.name, value: v.value, type: v.type, evaluateName: v.evaluateName, variablesReference: v.handle ? expand(v.handle) : 0 };
  if (v.namedChildren !== undefined) out.namedVariables = v.namedChildren;
  if (v.indexedChildren !== undefined) out.indexedVariables = v.indexedChildren;
  if (v.address !== undefined) out.memoryReference = guestReference(cpu, v.address);
  if (v.readOnly !== undefined) out.presentationHint = { attributes: ['readOnly'] };
  return out;
}
