// GICv3 register offsets, bit fields and the fixed values the model reports.

export const GICD_SIZE = 0x10000;
/** RD_base then SGI_base, 64 KiB each, per CPU. */
export const GICR_FRAME_SIZE = 0x20000;
export const GICR_SGI_OFFSET = 0x10000;
export const GIC_MAX_CPUS = 64;

/** INTIDs 0..1019 exist (SGIs 0-15, PPIs 16-31, SPIs 32-1019); 1020-1023 are special. */
export const GIC_NUM_INTIDS = 1020;
export const GIC_INTERNAL = 32;
export const INTID_SPURIOUS = 1023;
export const PPI_MAINTENANCE = 25;
export const PPI_VIRT_TIMER = 27;
export const PPI_PHYS_TIMER = 30;

/** Implemented priority bits and preemption bits, physical and virtual (5 each, as on QEMU's Cortex-A57/A72). */
export const PRI_BITS = 5;
export const PRE_BITS = 5;
/** BPR1 cannot go below this: group priority keeps PRE_BITS bits. */
export const BPR1_MIN = 8 - PRE_BITS;
export const BPR0_MIN = BPR1_MIN - 1;

// Distributor.
export const GICD_CTLR = 0x0000;
export const GICD_TYPER = 0x0004;
export const GICD_IIDR = 0x0008;
export const GICD_TYPER2 = 0x000c;
export const GICD_STATUSR = 0x0010;
export const GICD_IGROUPR = 0x0080;
export const GICD_ISENABLER = 0x0100;
export const GICD_ICENABLER = 0x0180;
export const GICD_ISPENDR = 0x0200;
export const GICD_ICPENDR = 0x0280;
export const GICD_ISACTIVER = 0x0300;
export const GICD_ICACTIVER = 0x0380;
export const GICD_IPRIORITYR = 0x0400;
export const GICD_ICFGR = 0x0c00;
export const GICD_IROUTER = 0x6000;
export const GIC_IDREGS = 0xffd0;
export const GIC_PIDR2 = 0xffe8;

export const GICD_CTLR_EN_GRP0 = 1 << 0;
export const GICD_CTLR_EN_GRP1 = 1 << 1;
export const GICD_CTLR_ARE = 1 << 4;
export const GICD_CTLR_DS = 1 << 6;

/** ARM as implementer, as QEMU's GIC reports it. */
export const GIC_IIDR = 0x0000043b;
/** PIDR4..7, PIDR0..3, CIDR0..3 from 0xFFD0; PIDR2 = 0x3B says GICv3. */
export const GICD_ID_BYTES = [0x44, 0, 0, 0, 0x92, 0xb4, 0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1] as const;
export const GICR_ID_BYTES = [0x44, 0, 0, 0, 0x93, 0xb4, 0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1] as const;

// Redistributor, RD_base.
export const GICR_CTLR = 0x0000;
export const GICR_IIDR = 0x0004;
export const GICR_TYPER = 0x0008;
export const GICR_STATUSR = 0x0010;
export const GICR_WAKER = 0x0014;
export const GICR_TYPER_LAST = 1 << 4;
export const GICR_WAKER_PROCESSOR_SLEEP = 1 << 1;
export const GICR_WAKER_CHILDREN_ASLEEP = 1 << 2;

// Redistributor, SGI_base (offsets within that frame).
export const GICR_IGROUPR0 = 0x0080;
export const GICR_ISENABLER0 = 0x0100;
export const GICR_ICENABLER0 = 0x0180;
export const GICR_ISPENDR0 = 0x0200;
export const GICR_ICPENDR0 = 0x0280;
export const GICR_ISACTIVER0 = 0x0300;
export const GICR_ICACTIVER0 = 0x0380;
export const GICR_IPRIORITYR0 = 0x0400;
export const GICR_ICFGR0 = 0x0c00;
export const GICR_ICFGR1 = 0x0c04;

// CPU interface.
export const ICC_CTLR_CBPR = 1 << 0;
export const ICC_CTLR_EOIMODE = 1 << 1;
/** PRIbits, IDbits = 16 bits, A3V: the read-only part of ICC_CTLR_EL1. */
export const ICC_CTLR_RO = ((PRI_BITS - 1) << 8) | (1 << 15);

// Virtual interface.
export const ICH_HCR_EN = 1 << 0;
export const ICH_HCR_UIE = 1 << 1;
export const ICH_HCR_LRENPIE = 1 << 2;
export const ICH_HCR_NPIE = 1 << 3;
export const ICH_HCR_VGRP0EIE = 1 << 4;
export const ICH_HCR_VGRP0DIE = 1 << 5;
export const ICH_HCR_VGRP1EIE = 1 << 6;
export const ICH_HCR_VGRP1DIE = 1 << 7;
export const ICH_HCR_EOICOUNT_SHIFT = 27;
/** En..VGrp1DIE, TC, TALL0, TALL1, TSEI, TDIR and EOIcount. */
export const ICH_HCR_WRITABLE = 0xf8007cff;

export const ICH_VMCR_VENG0 = 1 << 0;
export const ICH_VMCR_VENG1 = 1 << 1;
export const ICH_VMCR_VCBPR = 1 << 4;
export const ICH_VMCR_VEOIM = 1 << 9;
export const ICH_VMCR_VBPR1_SHIFT = 18;
export const ICH_VMCR_VBPR0_SHIFT = 21;
export const ICH_VMCR_VPMR_SHIFT = 24;
export const ICH_VMCR_WRITABLE = 0xfffc021f;

export const ICH_MISR_EOI = 1 << 0;
export const ICH_MISR_U = 1 << 1;
export const ICH_MISR_LRENP = 1 << 2;
export const ICH_MISR_NP = 1 << 3;
export const ICH_MISR_VGRP0E = 1 << 4;
export const ICH_MISR_VGRP0D = 1 << 5;
export const ICH_MISR_VGRP1E = 1 << 6;
export const ICH_MISR_VGRP1D = 1 << 7;

/** List register fields. */
export const LR_VINTID_MASK = 0xffffffffn;
export const LR_PINTID_SHIFT = 32n;
export const LR_PINTID_MASK = 0x1fffn;
export const LR_EOI = 1n << 41n;
export const LR_PRIORITY_SHIFT = 48n;
export const LR_GROUP = 1n << 60n;
export const LR_HW = 1n << 61n;
export const LR_STATE_SHIFT = 62n;
export const LR_STATE_PENDING = 1;
export const LR_STATE_ACTIVE = 2;
/** Bits an LR keeps: vINTID (16 implemented), pINTID, EOI, priority, group, HW, state. */
export const LR_WRITABLE = 0xf0ff_1fff_0000_ffffn;
export const DEFAULT_LIST_REGS = 4;
