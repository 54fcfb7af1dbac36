// A device tree for a riscv guest in the shape of QEMU `virt`: the harts, the
// memory ranges and the devices a board (or one hvisor zone) gives it.

import { DeviceTree, type FdtNode, u64Cells } from './fdt';
import { QEMU_PLIC_MAP as MAP } from './boards/qemu-plic-map';

export interface DtbRange {
  readonly base: number | bigint;
  readonly size: number | bigint;
}

export interface RiscvVirtUartOptions {
  readonly base?: number;
  readonly size?: number;
  /** PLIC source number. */
  readonly irq?: number;
  readonly clockFrequency?: number;
}

export interface RiscvVirtPlicOptions {
  readonly base?: number;
  readonly size?: number;
  /** Highest source number (riscv,ndev). */
  readonly ndev?: number;
}

export interface RiscvVirtDtbOptions {
  /** Hart ids to describe, in order; each becomes cpu@<id>. */
  readonly harts: readonly number[];
  /** Each range becomes a memory@<base> node. */
  readonly memory: readonly DtbRange[];
  readonly isa?: string;
  /** mmu-type; null leaves the property out. Default "riscv,sv48". */
  readonly mmuType?: string | null;
  readonly timebaseFrequency?: number;
  /** The 16550; false leaves it out. Defaults are QEMU virt's. */
  readonly uart?: RiscvVirtUartOptions | false;
  /** The PLIC; false leaves it out. Defaults are QEMU virt's. */
  readonly plic?: RiscvVirtPlicOptions | false;
  /**
   * List only each hart's S-mode external interrupt (9) in the PLIC's
   * interrupts-extended, as QEMU does for a KVM (VS-mode) guest, so context i is
   * hart i's S-mode. The default lists M (11) then S (9) per hart, so the S
   * context of the i-th listed hart is 2i+1 — the numbering hvisor's virtual
   * PLIC expects.
   */
  readonly supervisorContextsOnly?: boolean;
  /** Add the ACLINT MSWI/MTIMER/SSWI nodes (for M-mode software on the full board). */
  readonly aclint?: boolean;
  readonly bootargs?: string;
  /** Entries for the memory reservation block. */
  readonly reservations?: readonly DtbRange[];
  readonly model?: string;
  readonly compatible?: string;
}

export const RISCV_VIRT_DEFAULTS = {
  isa: 'rv64imafdc_zicsr_zifencei',
  mmuType: 'riscv,sv48',
  timebaseFrequency: 10_000_000,
  uart: { base: MAP.uart.base, size: MAP.uart.size, irq: MAP.uart.irq, clockFrequency: MAP.uart.clockFrequency },
  // What QEMU virt's own tree says of its PLIC: 96 source slots, 0..95 (source 0 does not exist), and the window for its harts.
  plic: { base: MAP.plic.base, size: 0x600000, ndev: 0x5f },
} as const;

/** Interrupt numbers on a hart's local interrupt controller. */
const IRQ_S_SOFT = 1;
const IRQ_M_SOFT = 3;
const IRQ_M_TIMER = 7;
const IRQ_S_EXT = 9;
const IRQ_M_EXT = 11;

const reg = (...ranges: [number | bigint, number | bigint][]): number[] => ranges.flatMap(([a, s]) => [...u64Cells(a), ...u64Cells(s)]);
const unit = (address: number | bigint): string => BigInt(address).toString(16);

function addCpus(tree: DeviceTree, options: RiscvVirtDtbOptions): number[] {
  const cpus = tree.root.addNode('cpus');
  cpus.setU32('#address-cells', 1).setU32('#size-cells', 0);
  cpus.setU32('timebase-frequency', options.timebaseFrequency ?? RISCV_VIRT_DEFAULTS.timebaseFrequency);
  const mmuType = options.mmuType === undefined ? RISCV_VIRT_DEFAULTS.mmuType : options.mmuType;
  return options.harts.map((hart) => {
    const cpu = cpus.addNode(`cpu@${unit(hart)}`);
    cpu.setString('device_type', 'cpu').setU32('reg', hart).setString('status', 'okay').setString('compatible', 'riscv');
    cpu.setString('riscv,isa', options.isa ?? RISCV_VIRT_DEFAULTS.isa);
    if (mmuType !== null) cpu.setString('mmu-type', mmuType);
    const intc = cpu.addNode('interrupt-controller');
    intc.setU32('#interrupt-cells', 1).setEmpty('interrupt-controller').setString('compatible', 'riscv,cpu-intc');
    // dtc wants #address-cells on every interrupt provider (an interrupt-map could name it).
    intc.setU32('#address-cells', 0);
    return tree.phandle(intc);
  });
}

function addAclint(soc: FdtNode, intcs: readonly number[]): void {
  const a = MAP.aclint;
  const perHart = (irq: number): number[] => intcs.flatMap((p) => [p, irq]);
  const mswi = soc.addNode(`mswi@${unit(a.mswi.base)}`);
  mswi.setStrings('compatible', ['riscv,aclint-mswi']).setCells('reg', reg([a.mswi.base, a.mswi.size]));
  mswi.setCells('interrupts-extended', perHart(IRQ_M_SOFT)).setEmpty('interrupt-controller').setU32('#interrupt-cells', 0).setU32('#address-cells', 0);
  // Named after its first reg entry (mtime), which dtc checks.
  const mtimer = soc.addNode(`mtimer@${unit(a.mtimer.mtime)}`);
  mtimer.setStrings('compatible', ['riscv,aclint-mtimer']).setCells('reg', reg([a.mtimer.mtime, 0x8], [a.mtimer.base, a.mtimer.mtime - a.mtimer.base]));
  mtimer.setCells('interrupts-extended', perHart(IRQ_M_TIMER));
  const sswi = soc.addNode(`sswi@${unit(a.sswi.base)}`);
  sswi.setStrings('compatible', ['riscv,aclint-sswi']).setCells('reg', reg([a.sswi.base, a.sswi.size]));
  sswi.setCells('interrupts-extended', perHart(IRQ_S_SOFT)).setEmpty('interrupt-controller').setU32('#interrupt-cells', 0).setU32('#address-cells', 0);
}

/** Builds the tree; call toDtb() on the result for the blob. */
export function buildRiscvVirtDtb(options: RiscvVirtDtbOptions): DeviceTree {
  const tree = new DeviceTree();
  const root = tree.root;
  root.setU32('#address-cells', 2).setU32('#size-cells', 2);
  root.setString('compatible', options.compatible ?? 'riscv-virtio');
  root.setString('model', options.model ?? 'riscv-virtio,qemu');
  if (options.harts.length > 0) tree.bootCpuId = options.harts[0]!;
  for (const r of options.reservations ?? []) tree.reserve(r.base, r.size);

  const chosen = root.addNode('chosen');
  for (const m of options.memory) {
    const node = root.addNode(`memory@${unit(m.base)}`);
    node.setString('device_type', 'memory').setCells('reg', reg([m.base, m.size]));
  }
  const intcs = addCpus(tree, options);

  const soc = root.addNode('soc');
  soc.setU32('#address-cells', 2).setU32('#size-cells', 2).setString('compatible', 'simple-bus').setEmpty('ranges');

  let plicPhandle: number | undefined;
  if (options.plic !== false) {
    const p = { ...RISCV_VIRT_DEFAULTS.plic, ...options.plic };
    const plic = soc.addNode(`plic@${unit(p.base)}`);
    plic.setStrings('compatible', ['sifive,plic-1.0.0', 'riscv,plic0']);
    plic.setCells('reg', reg([p.base, p.size]));
    plic.setU32('riscv,ndev', p.ndev);
    const contexts = intcs.flatMap((intc) => (options.supervisorContextsOnly ? [intc, IRQ_S_EXT] : [intc, IRQ_M_EXT, intc, IRQ_S_EXT]));
    plic.setCells('interrupts-extended', contexts);
    plic.setEmpty('interrupt-controller').setU32('#interrupt-cells', 1).setU32('#address-cells', 0);
    plicPhandle = tree.phandle(plic);
  }

  if (options.uart !== false) {
    const u = { ...RISCV_VIRT_DEFAULTS.uart, ...options.uart };
    const serial = soc.addNode(`serial@${unit(u.base)}`);
    serial.setString('compatible', 'ns16550a').setCells('reg', reg([u.base, u.size]));
    serial.setU32('clock-frequency', u.clockFrequency);
    if (plicPhandle !== undefined) serial.setU32('interrupts', u.irq).setU32('interrupt-parent', plicPhandle);
    chosen.setString('stdout-path', `/soc/${serial.name}`);
  }

  if (options.aclint) addAclint(soc, intcs);
  if (options.bootargs !== undefined) chosen.setString('bootargs', options.bootargs);
  return tree;
}
