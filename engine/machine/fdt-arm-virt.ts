// A device tree for an aarch64 guest in the shape of QEMU `virt` (GICv3, EL2
// present, PSCI over SMC): the CPUs, the memory ranges, the GIC, the generic
// timer, the PL011 and the flash a board (or one hvisor zone) gives it. The
// defaults are the qemu-gicv3 board's (QEMU_GICV3_MAP).

import { DeviceTree, u64Cells } from './fdt';
import type { DtbRange } from './fdt-riscv-virt';
import { QEMU_GICV3_MAP as MAP } from './boards/qemu-gicv3-map';

export interface ArmVirtUartOptions {
  readonly base: number;
  readonly size: number;
  /** GIC INTID (an SPI). */
  readonly irq: number;
}

export interface ArmVirtGicOptions {
  readonly gicdBase: number;
  readonly gicdSize: number;
  readonly gicrBase: number;
  readonly gicrSize: number;
}

export interface ArmVirtFlashOptions {
  readonly base: number;
  readonly bankSize: number;
  readonly banks: number;
  /** Bytes per bus cycle. */
  readonly bankWidth: number;
}

export interface ArmVirtDtbOptions {
  /** MPIDR affinity values (Aff2..Aff0) of the CPUs to list, in order; each becomes cpu@<mpidr>. */
  readonly cpus: readonly number[];
  /** Each range becomes a memory@<base> node. */
  readonly memory: readonly DtbRange[];
  /** The PL011; false leaves it out. Default: QEMU virt's. */
  readonly uart?: ArmVirtUartOptions | false;
  readonly gic: ArmVirtGicOptions;
  /** The CFI flash banks, one reg entry each; absent leaves them out. */
  readonly flash?: ArmVirtFlashOptions;
  readonly model?: string;
  readonly bootargs?: string;
}

export const ARM_VIRT_DEFAULTS = {
  uart: { base: MAP.uart.base, size: MAP.uart.size, irq: MAP.uart.irq },
  gic: { gicdBase: MAP.gicd.base, gicdSize: MAP.gicd.size, gicrBase: MAP.gicr.base },
} as const;

/** QEMU virt's GIC with one redistributor frame per CPU. */
export function armVirtGic(cpuCount: number): ArmVirtGicOptions {
  return { ...ARM_VIRT_DEFAULTS.gic, gicrSize: cpuCount * MAP.gicr.frameSize };
}

/** The PSCI function ids QEMU lists (SMC64 where a 64-bit variant exists). */
export const ARM_VIRT_PSCI_FUNCTIONS = {
  cpu_suspend: 0xc4000001,
  cpu_off: 0x84000002,
  cpu_on: 0xc4000003,
  migrate: 0xc4000005,
} as const;

/** Level-high trigger in the GIC binding's third cell (what QEMU gives every device here). */
export const GIC_LEVEL_HIGH = 4;

/** A GIC `interrupts` triple for an INTID: <0 SPI-32 flags> or <1 PPI-16 flags>; SGIs have none. */
export function gicInterruptCells(intid: number, trigger: number): [number, number, number] {
  if (!Number.isInteger(intid) || intid < 16 || intid > 1019) throw new RangeError(`INTID ${intid} is neither a PPI nor an SPI`);
  return intid < 32 ? [1, intid - 16, trigger] : [0, intid - 32, trigger];
}

/** Generic-timer PPIs in the binding's order: secure phys, non-secure phys, virtual, hypervisor. */
const TIMER_INTIDS = [MAP.timer.securePpi, MAP.timer.physPpi, MAP.timer.virtPpi, MAP.timer.hypPpi] as const;
/** Affinity fields Aff2..Aff0, what a one-cell cpu reg holds. */
const MPIDR_AFF_MASK = 0xffffff;

const reg = (...ranges: [number | bigint, number | bigint][]): number[] => ranges.flatMap(([a, s]) => [...u64Cells(a), ...u64Cells(s)]);
const unit = (address: number | bigint): string => BigInt(address).toString(16);

function addCpus(tree: DeviceTree, mpidrs: readonly number[]): void {
  const cpus = tree.root.addNode('cpus');
  cpus.setU32('#address-cells', 1).setU32('#size-cells', 0);
  for (const mpidr of mpidrs) {
    if (!Number.isInteger(mpidr) || mpidr < 0 || mpidr > MPIDR_AFF_MASK) throw new RangeError(`MPIDR affinity ${mpidr} does not fit Aff2..Aff0`);
    const cpu = cpus.addNode(`cpu@${unit(mpidr)}`);
    cpu.setString('device_type', 'cpu').setString('compatible', MAP.cpuCompatible);
    cpu.setU32('reg', mpidr).setString('enable-method', 'psci');
  }
}

function addPsci(tree: DeviceTree): void {
  const psci = tree.root.addNode('psci');
  psci.setStrings('compatible', ['arm,psci-1.0', 'arm,psci-0.2', 'arm,psci']);
  // With EL2 given to the guest's hypervisor, PSCI goes to firmware (or hvisor) by SMC.
  psci.setString('method', 'smc');
  for (const [name, id] of Object.entries(ARM_VIRT_PSCI_FUNCTIONS)) psci.setU32(name, id);
}

function addGic(tree: DeviceTree, gic: ArmVirtGicOptions): number {
  const intc = tree.root.addNode(`intc@${unit(gic.gicdBase)}`);
  intc.setString('compatible', 'arm,gic-v3');
  intc.setU32('#interrupt-cells', 3).setEmpty('interrupt-controller');
  // No ITS child is modelled, so no child address space; dtc wants the property on a provider.
  intc.setU32('#address-cells', 0);
  intc.setCells('reg', reg([gic.gicdBase, gic.gicdSize], [gic.gicrBase, gic.gicrSize]));
  intc.setU32('#redistributor-regions', 1);
  intc.setCells('interrupts', gicInterruptCells(MAP.gicd.maintenancePpi, GIC_LEVEL_HIGH));
  return tree.phandle(intc);
}

function addTimer(tree: DeviceTree): void {
  const timer = tree.root.addNode('timer');
  timer.setStrings('compatible', ['arm,armv8-timer', 'arm,armv7-timer']);
  timer.setCells('interrupts', TIMER_INTIDS.flatMap((intid) => gicInterruptCells(intid, GIC_LEVEL_HIGH)));
  // The counter keeps running in every power state QEMU (and the model) has.
  timer.setEmpty('always-on');
}

/** The PL011 and its fixed 24 MHz clock; returns the UART's path. */
function addUart(tree: DeviceTree, uart: ArmVirtUartOptions): string {
  const clock = tree.root.addNode('apb-pclk');
  clock.setString('compatible', 'fixed-clock').setU32('#clock-cells', 0);
  clock.setU32('clock-frequency', MAP.uart.clockFrequency).setString('clock-output-names', 'clk24mhz');
  const clk = tree.phandle(clock);
  const pl011 = tree.root.addNode(`pl011@${unit(uart.base)}`);
  pl011.setStrings('compatible', ['arm,pl011', 'arm,primecell']);
  pl011.setCells('reg', reg([uart.base, uart.size]));
  pl011.setCells('interrupts', gicInterruptCells(uart.irq, GIC_LEVEL_HIGH));
  pl011.setCells('clocks', [clk, clk]).setStrings('clock-names', ['uartclk', 'apb_pclk']);
  return `/${pl011.name}`;
}

/** The banks as one cfi-flash node, as QEMU virt describes its two pflash devices. */
function addFlash(tree: DeviceTree, flash: ArmVirtFlashOptions): void {
  const node = tree.root.addNode(`flash@${unit(flash.base)}`);
  node.setU32('bank-width', flash.bankWidth);
  node.setCells('reg', reg(...Array.from({ length: flash.banks }, (_, i): [number, number] => [flash.base + i * flash.bankSize, flash.bankSize])));
  node.setString('compatible', 'cfi-flash');
}

/** Builds the tree; call toDtb() on the result for the blob. */
export function buildArmVirtDtb(options: ArmVirtDtbOptions): DeviceTree {
  const tree = new DeviceTree();
  const root = tree.root;
  root.setU32('#address-cells', 2).setU32('#size-cells', 2);
  root.setString('compatible', 'linux,dummy-virt');
  root.setString('model', options.model ?? 'linux,dummy-virt');
  if (options.cpus.length > 0) tree.bootCpuId = options.cpus[0]!;

  const chosen = root.addNode('chosen');
  addCpus(tree, options.cpus);
  addPsci(tree);
  for (const m of options.memory) {
    root.addNode(`memory@${unit(m.base)}`).setString('device_type', 'memory').setCells('reg', reg([m.base, m.size]));
  }
  root.setU32('interrupt-parent', addGic(tree, options.gic));
  addTimer(tree);
  if (options.flash) addFlash(tree, options.flash);
  if (options.uart !== false) chosen.setString('stdout-path', addUart(tree, options.uart ?? ARM_VIRT_DEFAULTS.uart));
  if (options.bootargs !== undefined) chosen.setString('bootargs', options.bootargs);
  return tree;
}
