// gdb-multiarch as the oracle for a bare-metal C guest under qemu-system's
// gdbstub (-S -gdb): the guest runs from _start to each stop in turn (a
// temporary breakpoint on a location gdb understands: a function or
// file:line), and at each gdb's pc, backtrace, `info args` and `info locals`
// of every frame and the chosen `print`s are recorded, values read into trees.
import { spawn, spawnSync } from 'node:child_process';
import { requireCommands } from '../../scripts/external-tools.mjs';
import type { Arch } from '../../engine/api';
import { freePort } from './free-port';
import { parseGdbValue, type GdbValue } from './gdb-values';

export interface QemuBoard {
  readonly arch: Arch;
  readonly prefix: string;
  /** Where the engine's quick launch puts guest code: the ELF is linked there. */
  readonly text: string;
  readonly qemu: readonly string[];
}

export const QEMU_BOARDS: readonly QemuBoard[] = [
  { arch: 'riscv64', prefix: 'riscv64-linux-gnu', text: '0x80200000', qemu: ['qemu-system-riscv64', '-machine', 'virt', '-bios', 'none'] },
  { arch: 'aarch64', prefix: 'aarch64-linux-gnu', text: '0x40080000', qemu: ['qemu-system-aarch64', '-machine', 'virt', '-cpu', 'cortex-a57'] },
];

export interface GdbNamed {
  readonly name: string;
  /** The value as gdb prints it. */
  readonly text: string;
  readonly value: GdbValue;
}

export interface GdbFrame {
  readonly index: number;
  /** The frame's pc as the backtrace shows it; undefined for frame 0 at the start of a line. */
  readonly pc: bigint | undefined;
  readonly function: string;
  readonly file: string;
  readonly line: number;
  readonly args: readonly GdbNamed[];
  readonly locals: readonly GdbNamed[];
}

export interface GdbStop {
  readonly at: string;
  readonly pc: bigint;
  readonly frames: readonly GdbFrame[];
  readonly prints: readonly (GdbNamed & { readonly expression: string })[];
}

export interface StopRequest {
  /** A gdb location: `function` or `file.c:line`. */
  readonly at: string;
  readonly print: readonly string[];
}

const MARK = '@@';
const HEADER = /^#(\d+)\s+(?:(0x[0-9a-f]+) in )?(\S+) \(.*\) at (\S+):(\d+)$/;

function named(line: string, where: string): GdbNamed {
  const eq = line.indexOf(' = ');
  if (eq < 0) throw new Error(`gdb ${where}: '${line}' is not 'name = value'`);
  const text = line.slice(eq + 3);
  return { name: line.slice(0, eq), text, value: parseGdbValue(text) };
}

/** `frame apply all info args|locals` output: each frame header, then its variables. */
function perFrame(section: string, where: string): Map<number, GdbNamed[]> {
  const out = new Map<number, GdbNamed[]>();
  let current: GdbNamed[] | undefined;
  for (const line of section.split('\n')) {
    const h = HEADER.exec(line);
    if (h) out.set(Number(h[1]), (current = []));
    else if (line.trim() && line !== 'No arguments.' && line !== 'No locals.') {
      if (!current) throw new Error(`gdb ${where}: '${line}' before any frame header`);
      current.push(named(line, where));
    }
  }
  return out;
}

/** Runs `elf` under qemu-system with its gdbstub and records gdb's view at each stop, in order. */
export async function gdbStops(board: QemuBoard, elf: string, stops: readonly StopRequest[]): Promise<GdbStop[]> {
  requireCommands(board.qemu[0]!, 'gdb-multiarch');
  const p = await freePort();
  const qemu = spawn(board.qemu[0]!, [...board.qemu.slice(1), '-m', '512M', '-nographic', '-monitor', 'none', '-serial', 'none', '-kernel', elf, '-S', '-gdb', `tcp:127.0.0.1:${p}`], { stdio: 'ignore' });
  const commands = ['target remote 127.0.0.1:' + p, 'set $pc = _start', 'set print pretty off', 'set width 0', 'set height 0'];
  const echo = (s: string): string[] => ['echo ' + MARK + s + '\\n'];
  stops.forEach((stop, s) => {
    commands.push(`tbreak ${stop.at}`, 'continue', ...echo(`stop ${s}`), 'p/x $pc', ...echo('bt'), 'bt', ...echo('args'), 'frame apply all info args', ...echo('locals'), 'frame apply all info locals');
    stop.print.forEach((e, i) => commands.push(...echo(`print ${i}`), `print ${e}`));
  });
  commands.push(...echo('end'), 'kill');
  try {
    // qemu may not listen yet: retry while gdb cannot connect; once it has, one run is the answer (a stop never reached times out).
    let run = spawnSync('gdb-multiarch', ['--version'], { encoding: 'utf8' });
    for (let attempt = 0; attempt < 20; attempt++) {
      await new Promise((r) => setTimeout(r, 200));
      run = spawnSync('gdb-multiarch', ['-nx', '-batch', ...commands.flatMap((c) => ['-ex', c]), elf], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
      if (!/Connection refused|Connection timed out/.test(run.stderr)) break;
    }
    const out = run.stdout;
    if (!out.includes(`${MARK}stop ${stops.length - 1}`) || run.error) throw new Error(`gdb-multiarch on ${elf} did not reach the last stop (${stops.at(-1)?.at}): ${run.error?.message ?? ''}${run.stderr}`);
    let stopIndex = -1;
    const result: GdbStop[] = [];
    // Sections arrive in order: `stop s`, then that stop's bt, args, locals and prints.
    let current: { bt: string; args: string; locals: string; pc: string; prints: string[] } | undefined;
    const finish = (): void => {
      if (!current) return;
      const stop = stops[stopIndex]!;
      const args = perFrame(current.args, `info args at ${stop.at}`);
      const locals = perFrame(current.locals, `info locals at ${stop.at}`);
      const frames = current.bt.split('\n').flatMap((line) => {
        const h = HEADER.exec(line);
        if (!h) return [];
        const index = Number(h[1]);
        return [{ index, pc: h[2] ? BigInt(h[2]) : undefined, function: h[3]!, file: h[4]!, line: Number(h[5]), args: args.get(index) ?? [], locals: locals.get(index) ?? [] }];
      });
      const pc = /= (0x[0-9a-f]+)/.exec(current.pc);
      if (!pc || !frames.length) throw new Error(`gdb at ${stop.at}: no pc or backtrace in '${current.pc}${current.bt}'`);
      const prints = stop.print.map((expression, i) => {
        // An expression gdb cannot evaluate there (its error goes to stderr) prints nothing.
        const m = /^\$\d+ = (.*)$/m.exec(current!.prints[i] ?? '');
        return m ? { expression, name: expression, text: m[1]!, value: parseGdbValue(m[1]!) } : { expression, name: expression, text: '', value: { kind: 'missing' as const, text: '<error>' } };
      });
      result.push({ at: stop.at, pc: BigInt(pc[1]!), frames, prints });
    };
    // Sections share names across stops: walk them in order.
    for (const chunk of out.split(MARK).slice(1)) {
      const nl = chunk.indexOf('\n');
      const name = chunk.slice(0, nl);
      const body = chunk.slice(nl + 1);
      if (name.startsWith('stop ')) {
        finish();
        stopIndex = Number(name.slice(5));
        current = { bt: '', args: '', locals: '', pc: body, prints: [] };
      } else if (current && (name === 'bt' || name === 'args' || name === 'locals')) current[name] = body;
      else if (current && name.startsWith('print ')) current.prints[Number(name.slice(6))] = body;
    }
    finish();
    return result;
  } finally {
    qemu.kill('SIGKILL');
  }
}
