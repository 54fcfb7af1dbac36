// hvisor-debug's headless runner. stdout carries the guest's UART bytes and
// nothing else; diagnostics, trace lines and the final CPU table go to stderr.
//
// Exit status: 0 power-off or quiescence (no CPU can make progress), 2 bad
// input, 3 instruction limit, 4 a stop where hvisor would panic (or, with
// --stop-on-panic, where the guest kernel panics).

import { closeSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { parseRunArguments, UsageError, USAGE, type RunArguments } from './arguments';
import { parseLaunch } from '../engine/hv/config/launch';
import { Engine, ImageError, LaunchError, type Arch, type StopReason, type TraceEvent, type UartSink } from '../engine/api';
import { formatCpuTable } from './cpu-table';
import { GuestInput } from './stdin';
import { runWithInput, type RunEnd } from './run-loop';
import { formatTraceLine } from '../engine/hv/trace';
import { DwarfReports } from '../engine/debug/dwarf-reports';
import { quickBootOptions } from './boot-options';
import { formatPanicStack, PanicStop } from './panic-stop';
import { symbolFileBeside, type SymbolFile } from '../engine/machine/loaders/kernel-symbols';

const EXIT = { ok: 0, badInput: 2, limit: 3, panic: 4 } as const;
/** Problems listed from a launch file and its zone configs; the first ones are the ones to fix. */
const MAX_ERRORS = 20;

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseRunArguments(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`hvisor-debug: ${e.message}\n${USAGE}`);
      return EXIT.badInput;
    }
    throw e;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }
  const out: number[] = [];
  const flushOut = (): void => {
    if (out.length) process.stdout.write(Uint8Array.from(out.splice(0)));
  };
  const panicStop = args.stopOnPanic ? new PanicStop() : undefined;
  const onUart = (b: number, cpu: number): void => {
    panicStop?.feed(b, cpu);
    out.push(b);
    if (out.length >= 4096) flushOut();
  };
  const traceLine = (e: TraceEvent): void => void process.stderr.write(`${formatTraceLine(e)}\n`);
  // Opened before the run, so a path that cannot be written is bad input, not a lost run.
  let statsFd: number | undefined;
  if (args.statsJson) {
    try {
      statsFd = openSync(args.statsJson, 'w');
    } catch (e) {
      process.stderr.write(`hvisor-debug: --stats-json ${args.statsJson}: ${fileProblem(e)}\n`);
      return EXIT.badInput;
    }
  }
  let engine: Engine;
  try {
    engine = args.launch !== undefined ? launchFromFile(args.launch, args.trace, onUart, traceLine) : launchQuick(args, onUart, args.trace ? traceLine : undefined);
  } catch (e) {
    if (e instanceof ImageError || e instanceof LaunchError || e instanceof RangeError) {
      process.stderr.write(`hvisor-debug: ${e.message}\n`);
      return EXIT.badInput;
    }
    throw e;
  }
  engine.scheduler.quantum = args.quantum;
  const dwarf = new DwarfReports(engine.images);
  for (const m of dwarf.news()) process.stderr.write(`hvisor-debug: ${m}\n`);
  panicStop?.arm(engine);
  const input = new GuestInput(process.stdin, (bytes) => engine.uartInput(bytes), (text) => void process.stderr.write(text));
  input.takeWhatIsThere();
  input.start();
  let ran: RunEnd;
  try {
    ran = await runWithInput(engine, args.maxInstructions, input, flushOut);
  } finally {
    input.stop();
  }
  const stop = panicStop && ran.kind !== 'quit' && ran.kind !== 'refused' ? panicStop.stopOf(ran) : ran;
  flushOut();
  if (stop.kind === 'refused') {
    process.stderr.write(`hvisor-debug: ${stop.reason}\n`);
    return EXIT.badInput;
  }
  const table = formatCpuTable(engine);
  for (const m of dwarf.news()) process.stderr.write(`hvisor-debug: ${m}\n`);
  process.stderr.write(`${describeStop(stop)}\n`);
  // At panic's entry (a stop by the symbols), where the kernel has not yet printed its own call trace.
  if (stop.kind === 'event' && stop.event.kind === 'guest-panic' && ran.kind === 'event') process.stderr.write(formatPanicStack(engine, stop.cpu));
  process.stderr.write(table);
  if (statsFd !== undefined) {
    const cpus = Array.from({ length: engine.cpuCount }, (_, id) => {
      const c = engine.cpu(id);
      return { id, instructions: c.instructions, pc: `0x${c.pc.toString(16)}`, state: c.state, privilege: c.privilege };
    });
    try {
      writeFileSync(statsFd, JSON.stringify({ stop: stop.kind, instructions: engine.totalInstructions(), cpus }, null, 2));
      closeSync(statsFd);
    } catch (e) {
      process.stderr.write(`hvisor-debug: --stats-json ${args.statsJson}: ${fileProblem(e)}\n`);
      return EXIT.badInput;
    }
  }
  switch (stop.kind) {
    case 'poweroff':
    case 'quiescent':
    case 'quit':
      return EXIT.ok;
    case 'limit':
      return EXIT.limit;
    case 'event':
      return stop.event.kind === 'guest-panic' ? EXIT.panic : EXIT.ok;
    case 'panic':
    case 'deadlock':
    case 'stuck':
      return EXIT.panic;
    default:
      return EXIT.ok;
  }
}

/** What went wrong opening a file, in a user's words. */
function fileProblem(e: unknown): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'ENOENT': return 'no such file or folder';
    case 'EISDIR': return 'is a folder';
    case 'EACCES': return 'permission denied';
    case 'ENOSPC': return 'no space left on the device';
    default: return (e as Error).message;
  }
}

/**
 * A file's bytes, or an Error saying in a user's words why not (without the
 * path, which the caller puts where the message needs it). A device or
 * folder is refused: /dev/zero would never end.
 */
function readRegularFile(path: string): Buffer {
  try {
    if (!statSync(path).isFile()) throw new Error('not a regular file');
    return readFileSync(path);
  } catch (e) {
    throw new Error(fileProblem(e));
  }
}

function launchQuick(args: RunArguments, onUart: UartSink, trace: ((e: TraceEvent) => void) | undefined): Engine {
  const path = args.bios ?? args.image;
  let bytes: Uint8Array;
  try {
    bytes = readRegularFile(path);
  } catch (e) {
    throw new LaunchError(`${path}: ${(e as Error).message}`);
  }
  if (args.bios !== undefined) return Engine.launchQuick({ arch: args.arch as Arch, bios: { path, bytes }, cpus: args.cpus, onUart, ...(trace ? { trace } : {}) });
  const symbols = quickSymbols(args, bytes);
  return Engine.launchQuick({ arch: args.arch as Arch, image: { path, bytes, ...(symbols ? { symbols } : {}) }, cpus: args.cpus, onUart, ...(trace ? { trace } : {}), boot: quickBootOptions(args, readRegularFile) });
}

/** --symbols FILE, else the symbol file beside a Linux Image. */
function quickSymbols(args: RunArguments, bytes: Uint8Array): SymbolFile | undefined {
  if (args.symbols === undefined) return symbolFileBeside(args.image, bytes, args.arch as Arch, readRegularFile);
  try {
    return { path: args.symbols, bytes: readRegularFile(args.symbols) };
  } catch (e) {
    throw new LaunchError(`--symbols ${args.symbols}: ${(e as Error).message}`);
  }
}

function launchFromFile(file: string, traceFlag: boolean, onUart: UartSink, traceLine: (e: TraceEvent) => void): Engine {
  let text: string;
  try {
    text = readRegularFile(file).toString('utf8');
  } catch (e) {
    throw new LaunchError(`${file}: ${(e as Error).message}`);
  }
  const { launch, errors } = parseLaunch(text, file, (path) => readRegularFile(path).toString('utf8'));
  if (!launch) {
    const shown = errors.slice(0, MAX_ERRORS).map((e) => e.toString());
    if (errors.length > MAX_ERRORS) shown.push(`... and ${errors.length - MAX_ERRORS} more problems`);
    throw new LaunchError(shown.join('\nhvisor-debug: '));
  }
  const trace = traceFlag || launch.trace ? { trace: traceLine } : {};
  return Engine.launch(launch, { onUart, readFile: readRegularFile, ...trace });
}

function describeStop(stop: StopReason | { readonly kind: 'quit' }): string {
  switch (stop.kind) {
    case 'quit': return 'stopped: quit (Ctrl-A x)';
    case 'poweroff': return `stopped: power-off by CPU ${stop.cpu} (${stop.reason})`;
    case 'panic': return `stopped: CPU ${stop.cpu}: ${stop.reason}`;
    case 'limit': return 'stopped: instruction limit reached';
    case 'quiescent': return `stopped: quiescent (${stop.reason ?? 'every CPU waits for an interrupt and none can arrive'})`;
    case 'breakpoint': return `stopped: breakpoint on CPU ${stop.cpu} at 0x${stop.pc.toString(16)}`;
    case 'deadlock': return `stopped: ${stop.reason}`;
    case 'stuck': return `stopped: ${stop.reason}`;
    case 'lock-wait': return `stopped: CPU ${stop.cpu} ${stop.reason}`;
    case 'event': return `stopped: CPU ${stop.cpu}: ${stop.event.kind}: ${stop.event.text}`;
    default: return `stopped: ${stop.kind}`;
  }
}

// A reader that goes away (`| head`) ends our output, not the run's exit status.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}
void main(process.argv.slice(2)).then((status) => (process.exitCode = status));
