// hvisor's GICv3 emulation for zones (src/device/irqchip/gicv3/vgic.rs): the
// zone's GICD and per-CPU GICR windows trap, and each access is replayed on
// the physical GIC filtered to what the zone owns: its interrupts
// (irq_bitmap) and the redistributors of its CPUs. Also arch_irqchip_reset.

import { HvPanic } from '../../memory-set';
import { HV_OK, mmioRegionRegister, type HvResult, type MmioAccess } from '../../mmio';
import type { Zone } from '../../zone';
import type { Gicv3Config } from '../../config/zone-config';
import { GICR_SGI_BASE, MAINTENANCE_INTERRUPT, PER_GICR_SIZE, type HostGic } from './vgic-host';
import { SGI_IPI_ID } from '../../consts';

const GICD_CTLR = 0x0000;
const GICD_TYPER = 0x0004;
const GICD_IIDR = 0x0008;
const GICD_TYPER2 = 0x000c;
const GICD_IGROUPR = 0x0080;
const GICD_ISENABLER = 0x0100;
const GICD_ICENABLER = 0x0180;
const GICD_ISPENDR = 0x0200;
const GICD_ICPENDR = 0x0280;
const GICD_ISACTIVER = 0x0300;
const GICD_ICACTIVER = 0x0380;
const GICD_IPRIORITYR = 0x0400;
const GICD_ITARGETSR = 0x0800;
const GICD_ICFGR = 0x0c00;
const GICD_IGRPMODR = 0x0d00;
const GICD_IROUTER = 0x6000;
const GICDV3_PIDR4 = 0xffd0;
const GICDV3_CIDR_END = 0x10000;

const GICR_CTLR = 0x0000;
const GICR_IIDR = 0x0004;
const GICR_TYPER = 0x0008;
const GICR_STATUSR = 0x0010;
const GICR_WAKER = 0x0014;
const GICR_SETLPIR = 0x0040;
const GICR_CLRLPIR = 0x0048;
const GICR_PROPBASER = 0x0070;
const GICR_PENDBASER = 0x0078;
const GICR_INVLPIR = 0x00a0;
const GICR_INVALLR = 0x00b0;
const GICR_SYNCR = 0x00c0;
const GICR_TYPER_LAST = 1n << 4n;

/** reg_range(base, n, size).contains(reg). */
const inRange = (reg: number, base: number, n: number, size: number): boolean => reg >= base && reg < base + n * size;

const isSpi = (irq: number): boolean => irq > 31 && irq < 1020;

/**
 * vgicv3_dist_handler: the GICD access of a guest of `zone`, at its offset.
 * Unknown offsets are hvisor's todo!(): the CPU stops as a would-panic.
 */
export function vgicdHandler(hg: HostGic, zone: Zone, mmio: MmioAccess): HvResult {
  const reg = mmio.address;
  const base = hg.gicdBase;
  if (inRange(reg, GICD_IROUTER, 1024, 8)) return handleIrqOps(hg, zone, mmio, Math.floor((reg - GICD_IROUTER) / 8));
  if (inRange(reg, GICD_ITARGETSR, 1024, 1)) return handleIrqOps(hg, zone, mmio, reg - GICD_ITARGETSR);
  for (const bank of [GICD_ICENABLER, GICD_ISENABLER, GICD_ICPENDR, GICD_ISPENDR, GICD_ICACTIVER, GICD_ISACTIVER]) {
    if (inRange(reg, bank, 32, 4)) return restrictBitmaskAccess(hg, zone, mmio, (reg & 0x7f) >>> 2, 1, true, base);
  }
  if (inRange(reg, GICD_IGROUPR, 32, 4)) return restrictBitmaskAccess(hg, zone, mmio, (reg & 0x7f) >>> 2, 1, false, base);
  if (inRange(reg, GICD_ICFGR, 64, 4)) return restrictBitmaskAccess(hg, zone, mmio, (reg & 0xff) >>> 2, 2, false, base);
  if (inRange(reg, GICD_IPRIORITYR, 255, 4)) return restrictBitmaskAccess(hg, zone, mmio, (reg & 0x3ff) >>> 2, 8, false, base);
  if (inRange(reg, GICD_IGRPMODR, 32, 4)) {
    hg.host.log(`GICD_IGRPMODR is not supported in hvisor, reg = 0x${reg.toString(16)}`);
    return HV_OK;
  }
  // vgicv3_dist_misc_access: identification and control read through, writes are dropped.
  if ((reg >= GICDV3_PIDR4 && reg < GICDV3_CIDR_END) || reg === GICD_CTLR || reg === GICD_TYPER || reg === GICD_IIDR || reg === GICD_TYPER2) {
    if (!mmio.isWrite) hg.performAccess(base, mmio);
    return HV_OK;
  }
  hg.host.panic(`not yet implemented: vgicv3_dist_misc_access: MMIO.Address = 0x${reg.toString(16)}`);
  return HV_OK;
}

/** vgicv3_handle_irq_ops: IROUTER/ITARGETSR pass through for the zone's SPIs; other accesses leave the value as it was. */
function handleIrqOps(hg: HostGic, zone: Zone, mmio: MmioAccess, irq: number): HvResult {
  if (isSpi(irq) && zone.irqInZone(irq)) hg.performAccess(hg.gicdBase, mmio);
  return HV_OK;
}

/**
 * restrict_bitmask_access: only the fields of owned interrupts are read or
 * written. The mask is built for the 32-bit register holding the access, and
 * applied to the value as the access carries it (so a byte access to
 * IPRIORITYR is masked with the lane of the register's first interrupt, as in
 * hvisor). Set/clear ("poke") registers are written masked; the others are
 * read-modify-written, which hvisor guards with GICD_LOCK: here the two
 * accesses run without a step between them, so no other CPU can interleave.
 */
function restrictBitmaskAccess(hg: HostGic, zone: Zone, mmio: MmioAccess, regIndex: number, bitsPerIrq: number, isPoke: boolean, base: number): HvResult {
  const irqsPerReg = 32 / bitsPerIrq;
  const irqBits = (1n << BigInt(bitsPerIrq)) - 1n;
  const firstIrq = regIndex * irqsPerReg;
  let mask = 0n;
  for (let i = 0; i < irqsPerReg; i++) if (zone.irqInZone(firstIrq + i)) mask |= irqBits << BigInt(i * bitsPerIrq);
  if (!mmio.isWrite) {
    hg.performAccess(base, mmio);
    mmio.value &= mask;
    return HV_OK;
  }
  if (isPoke) {
    mmio.value &= mask;
    hg.performAccess(base, mmio);
    return HV_OK;
  }
  const value = mmio.value;
  mmio.isWrite = false;
  hg.performAccess(base, mmio);
  mmio.isWrite = true;
  mmio.value = (mmio.value & ~mask) | (value & mask);
  hg.performAccess(base, mmio);
  return HV_OK;
}

/**
 * vgicv3_redist_handler: an access to the GICR frame of `cpu` by a guest of
 * `zone`. SGI-frame state, STATUSR and WAKER only reach the redistributors of
 * the zone's own CPUs (hvisor unwraps the frame owner's zone there, so a CPU
 * without a zone panics); ICENABLER0 never disables SGI 7 or the maintenance
 * PPI; CTLR is written only on own CPUs; TYPER carries Last on the highest
 * MPIDR's frame. Offsets hvisor does not list are ignored.
 */
export function vgicrHandler(hg: HostGic, zone: Zone, mmio: MmioAccess, cpu: number): HvResult {
  const base = hg.gicrBase(cpu);
  const reg = mmio.address;
  const owner = hg.host.zoneOf(cpu);
  if (reg === GICR_CTLR) {
    if (owner === zone || !mmio.isWrite) hg.performAccess(base, mmio);
  } else if (reg === GICR_TYPER || reg === GICR_TYPER + 4) {
    hg.performAccess(base, mmio);
    const mpidr = hg.mpidrs[cpu]!;
    if (reg === GICR_TYPER && hg.mpidrs.every((m) => m <= mpidr)) mmio.value |= GICR_TYPER_LAST;
  } else if (reg === GICR_IIDR || (reg >= 0xffd0 && reg <= 0xfffc)) {
    hg.performAccess(base, mmio);
  } else if (reg === GICR_PENDBASER || reg === GICR_SETLPIR || reg === GICR_CLRLPIR || reg === GICR_INVALLR) {
    hg.performAccess(base, mmio);
  } else if (reg === GICR_PROPBASER) {
    // One physical property table for everyone; each zone sees its own value.
    const value = hg.propBaser(zone.id, mmio.isWrite ? mmio.value : undefined);
    if (!mmio.isWrite && value !== undefined) mmio.value = value;
  } else if (reg === GICR_SYNCR) {
    mmio.value = 0n;
  } else if (reg === GICR_INVLPIR) {
    // hvisor presumes an INVLPIR write enables that LPI.
    hg.enableOneLpi(Number(mmio.value & 0xffff_ffffn));
  } else if (isForwardedOnlyToOwnCpus(reg)) {
    if (!owner) {
      hg.host.panic(`vgicv3_redist_handler: CPU ${cpu} has no zone (get_cpu_data(${cpu}).zone unwrapped None) at GICR offset 0x${reg.toString(16)}`);
      return HV_OK;
    }
    if (owner === zone) {
      // Linux must not disable the maintenance interrupt or hvisor's IPI.
      if (reg === GICR_SGI_BASE + GICD_ICENABLER) mmio.value &= ~((1n << BigInt(MAINTENANCE_INTERRUPT)) | (1n << BigInt(SGI_IPI_ID)));
      hg.performAccess(base, mmio);
    }
  }
  return HV_OK;
}

function isForwardedOnlyToOwnCpus(reg: number): boolean {
  const sgi = reg - GICR_SGI_BASE;
  return reg === GICR_STATUSR || reg === GICR_WAKER
    || sgi === GICD_ISENABLER || sgi === GICD_ICENABLER || sgi === GICD_ISPENDR || sgi === GICD_ICPENDR
    || sgi === GICD_ISACTIVER || sgi === GICD_ICACTIVER
    || inRange(sgi, GICD_IPRIORITYR, 8, 4) || inRange(sgi, GICD_ICFGR, 2, 4);
}

/**
 * vgicv3_mmio_init: the zone's GICD window from its config and one GICR frame
 * per CPU of the board at the physical redistributor addresses. The ITS
 * window (vgicv3_its_handler) is not modelled. Throws HvPanic where hvisor
 * panics (a zero GICD or GICR base).
 */
export function registerVgicMmio(zone: Zone, hg: HostGic, config: Gicv3Config): void {
  if (config.gicdBase === 0 || config.gicrBase === 0) throw new HvPanic('vgicv3_mmio_init: gicd_base or gicr_base is null');
  mmioRegionRegister(zone, config.gicdBase, config.gicdSize, 'vgicv3_dist_handler', (access) => vgicdHandler(hg, zone, access), 0);
  hg.gicrBases.forEach((frame, cpu) => {
    mmioRegionRegister(zone, frame, PER_GICR_SIZE, 'vgicv3_redist_handler', (access, arg) => vgicrHandler(hg, zone, access, arg), cpu);
  });
}

/** arch_irqchip_reset for GICv3: disable and deactivate the zone's SPIs (irq_bitmap words 1..31). */
export function irqchipReset(hg: HostGic, zone: Zone): void {
  for (let word = 1; word < zone.irqBitmap.length; word++) {
    const mask = BigInt(zone.irqBitmap[word]!);
    hg.writePhys(hg.gicdBase + GICD_ICENABLER + word * 4, 4, mask);
    hg.writePhys(hg.gicdBase + GICD_ICACTIVER + word * 4, 4, mask);
  }
}
