// One CPU's state as the expression language sees it: its registers (general,
// FP/SIMD lanes, CSRs or system registers), its PerCpu and ArchCpu fields
// under the names the Variables pane shows, the images' symbols, and memory
// through the CPU's own translation.

import type { Engine } from '../api';
import { declaresVariable, programScope, type ProgramScope } from './c/scope';
import type { EvalContext, SymbolInfo } from './evaluate';
import { valueFrame, type ValueFrame } from './c/value-frame';

/** ArchCpu fields that hold a guest address (the Variables pane offers them as memory references too). */
export const GUEST_ADDRESS_FIELDS: ReadonlySet<string> = new Set(['sepc', 'elr_el2']);

/** PerCpu fields that hold guest addresses (hex by default, offered as memory references). */
const ADDRESS_FIELDS = new Set(['cpu_on_entry', 'dtb_ipa', ...[...GUEST_ADDRESS_FIELDS].map((f) => `arch_cpu.${f}`)]);

/** Every PerCpu and ArchCpu field name of `cpu` that evaluates to a number. */
export function fieldNames(engine: Engine, cpu: number): string[] {
  const p = engine.perCpu(cpu);
  const arch = p.archCpu.fields.filter((f) => !Array.isArray(f.value)).map((f) => `arch_cpu.${f.name}`);
  return ['id', 'cpu_on_entry', 'dtb_ipa', 'boot_cpu', ...(p.zone !== undefined ? ['zone'] : []), 'arch_cpu.cpuid', 'arch_cpu.power_on', ...arch];
}

function field(engine: Engine, cpu: number, name: string): bigint | undefined {
  const p = engine.perCpu(cpu);
  switch (name) {
    case 'id': return BigInt(p.id);
    case 'cpu_on_entry': return p.cpuOnEntry;
    case 'dtb_ipa': return p.dtbIpa;
    case 'boot_cpu': return p.bootCpu ? 1n : 0n;
    case 'zone': return p.zone === undefined ? undefined : BigInt(p.zone);
    case 'arch_cpu.cpuid': return BigInt(p.archCpu.cpuid);
    case 'arch_cpu.power_on': return p.archCpu.powerOn ? 1n : 0n;
  }
  if (!name.startsWith('arch_cpu.')) return undefined;
  // An element of an array field: arch_cpu.x[10].
  const element = /^arch_cpu\.(\w+)\[(\d+)\]$/.exec(name);
  if (element) {
    const list = p.archCpu.fields.find((x) => x.name === element[1])?.value;
    return Array.isArray(list) ? (list as readonly bigint[])[Number(element[2])] : undefined;
  }
  const f = p.archCpu.fields.find((x) => `arch_cpu.${x.name}` === name);
  if (!f || Array.isArray(f.value)) return undefined;
  const v = f.value as bigint | number | boolean;
  return typeof v === 'boolean' ? (v ? 1n : 0n) : BigInt(v);
}

export function systemRegister(engine: Engine, cpu: number, name: string): { group: string; name: string; value: bigint } | undefined {
  const n = name.toLowerCase();
  for (const group of engine.systemRegisters(cpu)) {
    const reg = group.registers.find((r) => r.name.toLowerCase() === n);
    if (reg) return { group: group.id, name: reg.name, value: reg.value };
  }
  return undefined;
}

/**
 * The expression context of `cpu`'s innermost frame: its C variables (looked
 * up only when an expression names one) where the pc has DWARF.
 */
export function cpuContext(engine: Engine, cpu: number): EvalContext {
  let program: ProgramScope | undefined | null = null;
  const base = machineContext(engine, cpu);
  return Object.defineProperty(base, 'program', {
    get: () => {
      if (program === null) {
        const frame = valueFrame(engine, cpu, engine.guestFrames(cpu, 1).frames, 0);
        program = frame && programScope(frame);
      }
      return program;
    },
  });
}

/**
 * The expression context of one guest frame: its C variables, and in a caller
 * frame the general registers the unwinder recovered for it (registers it
 * does not recover have no value there; CSRs and system registers are the CPU's).
 */
export function frameContext(engine: Engine, cpu: number, frame: ValueFrame, program: ProgramScope | undefined): EvalContext {
  const base = machineContext(engine, cpu);
  if (frame.index === 0) return { ...base, ...(program ? { program } : {}) };
  const general = new Set(engine.registers(cpu).map((r) => r.name));
  const dwarfNumber = (name: string): number => engine.target.dwarfRegisters.indexOf(name);
  const register = (name: string): bigint | undefined => {
    const n = name.toLowerCase();
    if (n === 'pc') return frame.pc;
    const number = dwarfNumber(n);
    if (number >= 0) return frame.register(number);
    return general.has(n) ? undefined : base.register(n);
  };
  return {
    ...base,
    register,
    setRegister(name, value) {
      const number = dwarfNumber(name.toLowerCase());
      if (number < 0) return `${name} cannot be written in a caller frame: only the general registers its callees saved can`;
      return frame.setRegister(number, value);
    },
    ...(program ? { program } : {}),
  };
}

/** Whether a condition or log message may name `name`: some image's DWARF declares a variable by it. */
export function declaredInProgram(engine: Engine, name: string): boolean {
  return engine.images.some((i) => i.debugInfo !== undefined && declaresVariable(i.debugInfo, name));
}

/** The CPU's registers, fields, symbols and memory; a symbol of type object is data (a hover shows the memory there). */
function machineContext(engine: Engine, cpu: number): EvalContext {
  const register = (name: string): bigint | undefined => {
    const n = name.toLowerCase();
    return engine.readRegister(cpu, n) ?? systemRegister(engine, cpu, n)?.value;
  };
  return {
    cpu,
    register,
    setRegister(name, value) {
      const sys = engine.readRegister(cpu, name.toLowerCase()) === undefined ? systemRegister(engine, cpu, name) : undefined;
      try {
        if (sys) engine.setSystemRegister(cpu, sys.group, sys.name, value);
        else engine.setRegister(cpu, name.toLowerCase(), value);
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
      return undefined;
    },
    field(name) {
      const value = field(engine, cpu, name);
      return value === undefined ? undefined : { value, address: ADDRESS_FIELDS.has(name) };
    },
    symbol(name): SymbolInfo | undefined {
      const s = engine.findSymbol(name);
      if (!s) return undefined;
      const address = BigInt.asUintN(64, s.value);
      return { address, size: s.size, data: s.type === 'object' };
    },
    read(address, width) {
      const bytes = engine.readVirtual(cpu, Number(BigInt.asIntN(64, address)), width);
      if (bytes.some((b) => b === undefined)) return undefined;
      let v = 0n;
      for (let i = width - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
      return v;
    },
  };
}
