// Command-line arguments of `hvisor-debug run`.

export const USAGE = `usage: hvisor-debug run --arch riscv64|aarch64 --image FILE [--cpus N] [options]
       hvisor-debug run --arch aarch64 --bios FILE [--cpus N] [options]
       hvisor-debug run LAUNCH.json [options]

  LAUNCH.json            a launch file: the board, the root zone, the other zones' configs
                         and the images (see samples/*-zones/launch.json)

  --arch ARCH            the board: riscv64 (hvisor's qemu-plic) or aarch64 (qemu-gicv3)
  --image FILE           an ELF (loaded by its headers), a raw binary or assembly source
                         (.S/.s), loaded at 0x80200000 (riscv64) or 0x40080000 (aarch64);
                         a Linux Image moves up to where its header asks (arm64: text_offset
                         past a 2 MiB boundary, riscv64: 2 MiB aligned), with its image_size
                         kept free: 0x40200000 or 0x80200000 for Debian's kernels
  --bios FILE            firmware (aarch64: U-Boot's u-boot.bin) in flash bank 0 at 0x0, run from
                         there with the device tree at 0x40000000, as QEMU virt's -bios
  --cpus N               CPUs on the board, 1 to 64 (default 1); a launch file gives its own
  --symbols FILE         a raw image's symbols: the kernel's System.map or vmlinux (default:
                         System.map, else vmlinux, beside a Linux Image)

boot options of --image runs, as QEMU's (the guest has 256 MiB of RAM; the device tree
takes its top 2 MiB):
  --initrd FILE          an initrd, loaded 128 MiB into RAM (aarch64: 0x48000000) or 128 MiB
                         past the image's start (riscv64: 0x88200000 for a Linux Image), so
                         up to about 124 MiB; /chosen names it (linux,initrd-start/-end)
  --append ARGS          the kernel command line, /chosen's bootargs
  --dtb FILE             a device tree blob used instead of the generated one; --initrd and
                         --append are written into its /chosen

options:
  --max-instructions N   stop after N instructions over all CPUs (exit status 3)
  --trace                hypervisor events on stderr, each with the CPU's instruction count
  --quantum N            instructions per CPU per scheduling round (default 10000)
  --stats-json FILE      write the per-CPU instruction counts and states as JSON
  --stop-on-panic        end the run when a guest kernel panics (exit status 4): at \`panic\`
                         when the image has symbols, else at the end of the kernel's panic message

stdin is the guest's UART input, read while the guest runs; stdout is its UART output.
A terminal is in raw mode: keys go to the guest as typed (Ctrl-C too). Ctrl-A x quits
(exit status 0), Ctrl-A Ctrl-A sends Ctrl-A, Ctrl-A h lists these. When no CPU can make
progress, the run waits for input until stdin ends. More than 16 MiB of input is refused.
exit status: 0 power-off, or no CPU can make progress; 2 bad input; 3 the instruction
limit; 4 where hvisor would panic, or its CPUs deadlock, or (--stop-on-panic) the guest kernel panics
`;

export class UsageError extends Error {}

export interface RunArguments {
  readonly help: boolean;
  /** A launch file, instead of --arch/--image. */
  readonly launch: string | undefined;
  readonly arch: string;
  readonly image: string;
  /** Firmware for the boot flash, instead of --image. */
  readonly bios: string | undefined;
  readonly cpus: number;
  readonly maxInstructions: number | undefined;
  readonly trace: boolean;
  readonly quantum: number;
  readonly statsJson: string | undefined;
  readonly initrd?: string;
  readonly append?: string;
  readonly dtb?: string;
  /** A raw image's symbol file, named by --symbols. */
  readonly symbols: string | undefined;
  readonly stopOnPanic: boolean;
}

function integer(flag: string, text: string | undefined, min: number, max: number): number {
  if (text === undefined) throw new UsageError(`${flag} needs a value`);
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max}, not "${text}"`);
  return n;
}

export function parseRunArguments(argv: readonly string[]): RunArguments {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') return { help: true, launch: undefined, arch: '', image: '', cpus: 1, maxInstructions: undefined, trace: false, quantum: 0, statsJson: undefined, bios: undefined, symbols: undefined, stopOnPanic: false };
  if (argv[0] !== 'run') throw new UsageError(`unknown command "${argv[0]}"`);
  let arch: string | undefined;
  let image: string | undefined;
  let bios: string | undefined;
  let cpus: number | undefined;
  let maxInstructions: number | undefined;
  let trace = false;
  let quantum = 10_000;
  let statsJson: string | undefined;
  let launch: string | undefined;
  const boot: { initrd?: string; append?: string; dtb?: string } = {};
  let symbols: string | undefined;
  let stopOnPanic = false;
  for (let i = 1; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--arch': arch = value(); break;
      case '--image': image = value(); break;
      case '--bios': bios = value(); break;
      case '--cpus': cpus = integer(flag, argv[++i], 1, 64); break;
      case '--max-instructions': maxInstructions = integer(flag, argv[++i], 1, Number.MAX_SAFE_INTEGER); break;
      case '--trace': trace = true; break;
      case '--quantum': quantum = integer(flag, argv[++i], 1, 1_000_000_000); break;
      case '--stats-json': statsJson = value(); break;
      case '--initrd': boot.initrd = value(); break;
      case '--append': boot.append = value(); break;
      case '--dtb': boot.dtb = value(); break;
      case '--symbols': symbols = value(); break;
      case '--stop-on-panic': stopOnPanic = true; break;
      default:
        if (flag.startsWith('-') || launch !== undefined) throw new UsageError(`unknown option "${flag}"`);
        launch = flag;
    }
  }
  if (launch !== undefined) {
    if (arch !== undefined || image !== undefined || bios !== undefined) throw new UsageError('give either a launch file or --arch and --image, not both');
    if (cpus !== undefined) throw new UsageError(`--cpus is for --image runs; ${launch} gives the CPU count in its cpus attribute`);
    const bootFlag = Object.keys(boot)[0];
    if (bootFlag !== undefined) throw new UsageError(`--${bootFlag} is for --image runs; a launch file gives each zone's ${bootFlag === 'append' ? 'bootargs' : bootFlag} in its rootZone or zones entry`);
    if (symbols !== undefined) throw new UsageError(`--symbols is for --image runs; ${launch} names an image's symbols in its symbols attribute`);
    return { help: false, launch, arch: '', image: '', bios: undefined, cpus: 1, maxInstructions, trace, quantum, statsJson, symbols, stopOnPanic };
  }
  if (arch === undefined) throw new UsageError('--arch is required');
  if (arch !== 'riscv64' && arch !== 'aarch64') throw new UsageError(`unknown arch "${arch}" (supported: riscv64, aarch64)`);
  if (bios !== undefined) {
    if (image !== undefined) throw new UsageError('give --bios or --image, not both');
    const imageFlag = [...Object.keys(boot), ...(symbols !== undefined ? ['symbols'] : [])][0];
    if (imageFlag !== undefined) throw new UsageError(`--${imageFlag} is for --image runs; firmware (--bios) loads what it boots itself`);
    return { help: false, launch: undefined, arch, image: '', bios, cpus: cpus ?? 1, maxInstructions, trace, quantum, statsJson, symbols, stopOnPanic };
  }
  if (image === undefined) throw new UsageError('--image is required');
  return { help: false, launch: undefined, arch, image, bios, cpus: cpus ?? 1, maxInstructions, trace, quantum, statsJson, symbols, stopOnPanic, ...boot };
}
