// A guest kernel's panic, caught where any CPU enters `panic`: the run stops
// there as a `guest-panic` event on that CPU, with the line the kernel is
// about to print ("Kernel panic - not syncing: ..."), its format filled from
// the call's arguments. It needs the kernel's symbols (System.map or vmlinux).

import type { Engine } from '../api';
import type { LoadedImage } from '../machine/loaders/image';
import type { StopReason } from '../sched/scheduler';
import type { Arch } from '../target/target';
import { kernelPrintf } from './kernel-printf';

/** The function every kernel panic goes through: `void panic(const char *fmt, ...)`. */
export const PANIC_FUNCTION = 'panic';
/** What the kernel prints before the message. */
export const PANIC_PREFIX = 'Kernel panic - not syncing: ';

/** The integer argument registers of a call, in order; further arguments are 8-byte stack slots from sp. */
const ARGUMENT_REGISTERS: Readonly<Record<Arch, readonly string[]>> = {
  riscv64: ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'],
  aarch64: ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7'],
};

/** The longest format or %s string read from guest memory. */
const MAX_STRING = 1024;

/** The symbol at a Linux Image's first byte, by the kernel's linker script. */
const IMAGE_START: Readonly<Record<Arch, string>> = { aarch64: '_text', riscv64: '_start' };

/**
 * Where `panic` starts (a function symbol), as breakpoint keys (the 64-bit
 * address as a signed number, as the cores compare pcs), with the images
 * whose symbols put it there: zones may run the same kernel.
 */
export function panicBreakpoints(e: Engine): ReadonlyMap<number, readonly LoadedImage[]> {
  const out = new Map<number, LoadedImage[]>();
  for (const image of e.images) {
    const s = image.symbols.find(PANIC_FUNCTION);
    if (s?.type !== 'func') continue;
    const key = Number(BigInt.asIntN(64, s.value));
    out.set(key, [...(out.get(key) ?? []), image]);
  }
  return out;
}

/**
 * Whether the CPU runs a kernel Image where its symbols say: `address`
 * translates to the byte of the image they put there. A kernel placed at
 * an offset (KASLR) has other code at its symbols' addresses.
 */
function kernelWhereSymbolsSay(e: Engine, cpu: number, address: bigint, image: LoadedImage): boolean {
  if (!image.framePointers) return true;
  const start = image.symbols.find(IMAGE_START[e.arch]);
  const first = image.extents[0];
  if (!start || !first) return false;
  return e.translate(cpu, Number(BigInt.asIntN(64, address)), 'execute') === first[0] + Number(address - BigInt.asUintN(64, start.value));
}

/** A NUL-terminated string at `address` of `cpu`'s virtual memory; undefined where it cannot be read. */
function readString(e: Engine, cpu: number, address: bigint): string | undefined {
  const bytes: number[] = [];
  const start = Number(BigInt.asIntN(64, address));
  for (let i = 0; i < MAX_STRING; i++) {
    const b = e.readVirtual(cpu, start + i, 1)[0];
    if (b === undefined) return bytes.length ? decode(bytes) : undefined;
    if (b === 0) break;
    bytes.push(b);
  }
  return decode(bytes);
}

const decode = (bytes: number[]): string => new TextDecoder().decode(Uint8Array.from(bytes));

/** The panic line of `cpu`, standing at the entry of `panic`: its format with the call's arguments. */
export function panicLine(e: Engine, cpu: number): string {
  const registers = ARGUMENT_REGISTERS[e.arch];
  const sp = BigInt.asUintN(64, e.target.stackPointer(cpu));
  const slot = (i: number): bigint | undefined => {
    if (i + 1 < registers.length) return e.readRegister(cpu, registers[i + 1]!);
    const bytes = e.readVirtual(cpu, Number(BigInt.asIntN(64, sp + BigInt(8 * (i + 1 - registers.length)))), 8);
    return bytes.every((b) => b !== undefined) ? bytes.reduceRight((v, b) => (v << 8n) | BigInt(b!), 0n) : undefined;
  };
  const format = readString(e, cpu, e.readRegister(cpu, registers[0]!) ?? 0n);
  if (format === undefined) return `${PANIC_PREFIX}(the format at ${registers[0]} cannot be read)`;
  const message = kernelPrintf(format, { slot, string: (a) => readString(e, cpu, a), symbol: (a) => e.symbolize(a) });
  return PANIC_PREFIX + message.replace(/\n$/, '');
}

/**
 * A stop at one of `panicAt`'s addresses as the `guest-panic` event it is,
 * or undefined where no kernel is where its symbols say (the run goes on);
 * any other stop as it is.
 */
export function asGuestPanic(e: Engine, stop: StopReason, panicAt: ReadonlyMap<number, readonly LoadedImage[]>): StopReason | undefined {
  const images = stop.kind === 'breakpoint' ? panicAt.get(stop.pc) : undefined;
  if (stop.kind !== 'breakpoint' || !images) return stop;
  const address = BigInt.asUintN(64, BigInt(stop.pc));
  if (!images.some((image) => kernelWhereSymbolsSay(e, stop.cpu, address, image))) return undefined;
  return { kind: 'event', cpu: stop.cpu, event: { kind: 'guest-panic', cpu: stop.cpu, text: panicLine(e, stop.cpu) } };
}
