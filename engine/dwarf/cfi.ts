// Call frame information from .debug_frame or .eh_frame: CIEs and FDEs,
// indexed by their headers on first use, and an FDE's instructions run to
// the table of CFA and register rules for each address range.

import { DwarfError, Reader } from './reader';

export type CfaRule =
  | { readonly kind: 'register'; readonly register: number; readonly offset: bigint }
  | { readonly kind: 'expression'; readonly expression: Uint8Array };

export type RegisterRule =
  | { readonly kind: 'undefined' }
  | { readonly kind: 'same' }
  /** Saved at CFA + offset. */
  | { readonly kind: 'offset'; readonly offset: bigint }
  /** The value is CFA + offset. */
  | { readonly kind: 'valOffset'; readonly offset: bigint }
  | { readonly kind: 'register'; readonly register: number }
  | { readonly kind: 'expression'; readonly expression: Uint8Array }
  | { readonly kind: 'valExpression'; readonly expression: Uint8Array };

export interface CfiRow {
  /** [start, end) of the addresses the row covers. */
  readonly start: bigint;
  readonly end: bigint;
  readonly cfa: CfaRule;
  /** Rules of the registers the CIE and FDE mention; a register not here keeps its value by the ABI's convention. */
  readonly registers: ReadonlyMap<number, RegisterRule>;
}

export interface Cie {
  readonly offset: number;
  readonly augmentation: string;
  readonly codeAlign: bigint;
  readonly dataAlign: bigint;
  readonly returnAddressRegister: number;
  readonly addressSize: number;
  /** DW_EH_PE encoding of FDE addresses ('R' augmentation). */
  readonly pointerEncoding: number;
  /** The augmentation data is present ('z'), so FDEs carry their own. */
  readonly hasAugmentationData: boolean;
  /** The frame belongs to a signal handler ('S'). */
  readonly signalFrame: boolean;
  readonly instructions: Uint8Array;
}

export interface Fde {
  readonly offset: number;
  readonly cie: Cie;
  readonly start: bigint;
  readonly end: bigint;
  readonly instructions: Uint8Array;
}

export type CfiSection = '.debug_frame' | '.eh_frame';

const DW_EH_PE = { absptr: 0x00, uleb128: 0x01, udata2: 0x02, udata4: 0x03, udata8: 0x04, sleb128: 0x09, sdata2: 0x0a, sdata4: 0x0b, sdata8: 0x0c, pcrel: 0x10, datarel: 0x30, indirect: 0x80, omit: 0xff } as const;

/** A pointer in one of .eh_frame's encodings, read at the reader's position of the section at `sectionAddress`. */
function readEncoded(r: Reader, encoding: number, addressSize: number, sectionAddress: bigint): bigint {
  if (encoding === DW_EH_PE.omit) return 0n;
  const fieldAddress = sectionAddress + BigInt(r.pos);
  let v: bigint;
  switch (encoding & 0x0f) {
    case DW_EH_PE.absptr:
      v = r.address(addressSize);
      break;
    case DW_EH_PE.uleb128:
      v = r.uleb();
      break;
    case DW_EH_PE.udata2:
      v = BigInt(r.u16());
      break;
    case DW_EH_PE.udata4:
      v = BigInt(r.u32());
      break;
    case DW_EH_PE.udata8:
      v = r.u64();
      break;
    case DW_EH_PE.sleb128:
      v = r.sleb();
      break;
    case DW_EH_PE.sdata2:
      v = BigInt(r.i16());
      break;
    case DW_EH_PE.sdata4:
      v = BigInt(r.i32());
      break;
    case DW_EH_PE.sdata8:
      v = r.i64();
      break;
    default:
      return r.fail(`unknown pointer encoding 0x${encoding.toString(16)}`);
  }
  const application = encoding & 0x70;
  if (application === DW_EH_PE.pcrel) v += fieldAddress;
  else if (application !== 0) r.fail(`pointer encoding 0x${encoding.toString(16)} is relative to a base this reader does not know`);
  if (encoding & DW_EH_PE.indirect) r.fail(`indirect pointer encoding 0x${encoding.toString(16)} needs the loaded image`);
  const mask = addressSize === 8 ? 0xffffffffffffffffn : 0xffffffffn;
  return v & mask;
}

export class CallFrameInfo {
  private index: Fde[] | undefined;
  private readonly cies = new Map<number, Cie>();
  private readonly rows = new Map<Fde, CfiRow[]>();
  /** Problems met while indexing, a line each. */
  readonly messages: string[] = [];

  constructor(
    private readonly bytes: Uint8Array,
    readonly section: CfiSection,
    /** The section's load address (.eh_frame's pc-relative pointers). */
    private readonly sectionAddress: bigint,
    private readonly addressSize: number,
  ) {}

  /** Every FDE, by address; built on first use by reading headers only. Malformed entries end the scan with a message. */
  fdes(): readonly Fde[] {
    if (this.index) return this.index;
    const fdes: Fde[] = [];
    const r = new Reader(this.bytes, this.section);
    const eh = this.section === '.eh_frame';
    try {
      while (!r.atEnd) {
        const offset = r.pos;
        const { length, dwarf64 } = r.initialLength();
        if (length === 0) {
          // .eh_frame ends with a zero terminator; .debug_frame has no such thing but may be padded.
          if (eh) break;
          continue;
        }
        const entry = r.sub(length);
        r.pos += length;
        const idPos = entry.pos;
        const id = dwarf64 ? entry.u64() : BigInt(entry.u32());
        const isCie = eh ? id === 0n : id === (dwarf64 ? 0xffffffffffffffffn : 0xffffffffn);
        if (isCie) continue;
        const cieOffset = eh ? idPos - Number(id) : Number(id);
        const cie = this.cieAt(cieOffset);
        const start = readEncoded(entry, cie.pointerEncoding, cie.addressSize, this.sectionAddress);
        const range = readEncoded(entry, cie.pointerEncoding & 0x0f, cie.addressSize, this.sectionAddress);
        if (cie.hasAugmentationData) entry.skip(entry.ulebn());
        fdes.push({ offset, cie, start, end: start + range, instructions: entry.block(entry.end - entry.pos) });
      }
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      this.messages.push(e.message);
    }
    fdes.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    this.index = fdes;
    return fdes;
  }

  private cieAt(offset: number): Cie {
    const known = this.cies.get(offset);
    if (known) return known;
    const eh = this.section === '.eh_frame';
    const r = new Reader(this.bytes, this.section, offset);
    const { length, dwarf64 } = r.initialLength();
    const entry = r.sub(length);
    const id = dwarf64 ? entry.u64() : BigInt(entry.u32());
    if (id !== (eh ? 0n : dwarf64 ? 0xffffffffffffffffn : 0xffffffffn)) entry.fail(`an FDE points at 0x${offset.toString(16)}, which is not a CIE`);
    const version = entry.u8();
    if (![1, 3, 4].includes(version)) entry.fail(`CIE at 0x${offset.toString(16)} has version ${version}`);
    const augmentation = entry.cstring();
    let addressSize = this.addressSize;
    if (version >= 4) {
      addressSize = entry.u8();
      entry.u8(); // segment selector size
    }
    const codeAlign = entry.uleb();
    const dataAlign = entry.sleb();
    const returnAddressRegister = version === 1 ? entry.u8() : entry.ulebn();
    let pointerEncoding = DW_EH_PE.absptr as number;
    let signalFrame = false;
    const hasAugmentationData = augmentation.startsWith('z');
    if (hasAugmentationData) {
      const data = entry.sub(entry.ulebn());
      entry.pos = data.end;
      for (const c of augmentation.slice(1)) {
        if (c === 'R') pointerEncoding = data.u8();
        else if (c === 'L') data.u8();
        else if (c === 'P') readEncoded(data, data.u8() & 0x7f, addressSize, this.sectionAddress);
        else if (c === 'S') signalFrame = true;
        else if (c !== 'B') break; // The augmentation data's length lets the rest be skipped.
      }
    } else if (augmentation !== '' && augmentation !== 'eh') {
      entry.fail(`CIE at 0x${offset.toString(16)} has augmentation "${augmentation}", which this reader does not know`);
    }
    const cie: Cie = { offset, augmentation, codeAlign, dataAlign, returnAddressRegister, addressSize, pointerEncoding, hasAugmentationData, signalFrame, instructions: entry.block(entry.end - entry.pos) };
    this.cies.set(offset, cie);
    return cie;
  }

  /** The FDE covering `pc`. */
  fdeFor(pc: bigint): Fde | undefined {
    const fdes = this.fdes();
    let lo = 0;
    let hi = fdes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (fdes[mid]!.start <= pc) lo = mid + 1;
      else hi = mid;
    }
    const f = fdes[lo - 1];
    return f && pc < f.end ? f : undefined;
  }

  /** The FDE's rule table, run from its CIE's initial instructions. Throws DwarfError when they are malformed. */
  table(fde: Fde): readonly CfiRow[] {
    let rows = this.rows.get(fde);
    if (!rows) {
      rows = runInstructions(fde, this.section, this.sectionAddress);
      this.rows.set(fde, rows);
    }
    return rows;
  }
}

interface State {
  cfa: CfaRule | undefined;
  registers: Map<number, RegisterRule>;
}

const copy = (s: State): State => ({ cfa: s.cfa, registers: new Map(s.registers) });

function runInstructions(fde: Fde, section: CfiSection, sectionAddress: bigint): CfiRow[] {
  const { cie } = fde;
  const rows: CfiRow[] = [];
  let state: State = { cfa: undefined, registers: new Map() };
  let location = fde.start;
  const stack: State[] = [];
  let initial: State | undefined;

  const close = (next: bigint): void => {
    if (next <= location) {
      if (next < location) throw new DwarfError(`${section}: FDE at 0x${fde.offset.toString(16)} moves its location backwards`);
      return;
    }
    if (!state.cfa) throw new DwarfError(`${section}: FDE at 0x${fde.offset.toString(16)} has no CFA rule at 0x${location.toString(16)}`);
    rows.push({ start: location, end: next, cfa: state.cfa, registers: new Map(state.registers) });
    location = next;
  };

  const run = (bytes: Uint8Array, inFde: boolean): void => {
    const r = new Reader(bytes, section);
    const offsetRule = (reg: number, factored: bigint): void => {
      state.registers.set(reg, { kind: 'offset', offset: factored * cie.dataAlign });
    };
    const restore = (reg: number): void => {
      const rule = initial?.registers.get(reg);
      if (rule) state.registers.set(reg, rule);
      else state.registers.delete(reg);
    };
    const cfaRegister = (): number => {
      if (state.cfa?.kind !== 'register') return r.fail(`a CFA offset change at 0x${location.toString(16)} with no register CFA rule`);
      return state.cfa.register;
    };
    while (!r.atEnd) {
      const op = r.u8();
      const high = op & 0xc0;
      const low = op & 0x3f;
      if (high === 0x40) {
        if (inFde) close(location + BigInt(low) * cie.codeAlign);
        continue;
      }
      if (high === 0x80) {
        offsetRule(low, r.uleb());
        continue;
      }
      if (high === 0xc0) {
        restore(low);
        continue;
      }
      const advance = (delta: bigint): void => {
        if (inFde) close(location + delta * cie.codeAlign);
      };
      switch (op) {
        case 0x00: // nop
          break;
        case 0x01: // set_loc
          if (inFde) close(readEncoded(r, cie.pointerEncoding, cie.addressSize, sectionAddress));
          else readEncoded(r, cie.pointerEncoding, cie.addressSize, sectionAddress);
          break;
        case 0x02:
          advance(BigInt(r.u8()));
          break;
        case 0x03:
          advance(BigInt(r.u16()));
          break;
        case 0x04:
          advance(BigInt(r.u32()));
          break;
        case 0x05: // offset_extended
          offsetRule(r.ulebn(), r.uleb());
          break;
        case 0x06: // restore_extended
          restore(r.ulebn());
          break;
        case 0x07:
          state.registers.set(r.ulebn(), { kind: 'undefined' });
          break;
        case 0x08:
          state.registers.set(r.ulebn(), { kind: 'same' });
          break;
        case 0x09: {
          const reg = r.ulebn();
          state.registers.set(reg, { kind: 'register', register: r.ulebn() });
          break;
        }
        case 0x0a: // remember_state
          stack.push(copy(state));
          break;
        case 0x0b: {
          // restore_state keeps the CFA rule of the current row (DWARF 5 6.4.2.4).
          const saved = stack.pop();
          if (!saved) return r.fail(`DW_CFA_restore_state with nothing remembered at 0x${location.toString(16)}`);
          state = { cfa: state.cfa, registers: saved.registers };
          break;
        }
        case 0x0c: {
          const register = r.ulebn();
          state.cfa = { kind: 'register', register, offset: r.uleb() };
          break;
        }
        case 0x0d:
          // gcc's riscv64 CIE sets the register alone, leaving the offset at 0.
          state.cfa = { kind: 'register', register: r.ulebn(), offset: state.cfa?.kind === 'register' ? state.cfa.offset : 0n };
          break;
        case 0x0e:
          state.cfa = { kind: 'register', register: cfaRegister(), offset: r.uleb() };
          break;
        case 0x0f:
          state.cfa = { kind: 'expression', expression: r.block(r.ulebn()) };
          break;
        case 0x10: {
          const reg = r.ulebn();
          state.registers.set(reg, { kind: 'expression', expression: r.block(r.ulebn()) });
          break;
        }
        case 0x11: // offset_extended_sf
          offsetRule(r.ulebn(), r.sleb());
          break;
        case 0x12: {
          const register = r.ulebn();
          state.cfa = { kind: 'register', register, offset: r.sleb() * cie.dataAlign };
          break;
        }
        case 0x13:
          state.cfa = { kind: 'register', register: cfaRegister(), offset: r.sleb() * cie.dataAlign };
          break;
        case 0x14: {
          const reg = r.ulebn();
          state.registers.set(reg, { kind: 'valOffset', offset: r.uleb() * cie.dataAlign });
          break;
        }
        case 0x15: {
          const reg = r.ulebn();
          state.registers.set(reg, { kind: 'valOffset', offset: r.sleb() * cie.dataAlign });
          break;
        }
        case 0x16: {
          const reg = r.ulebn();
          state.registers.set(reg, { kind: 'valExpression', expression: r.block(r.ulebn()) });
          break;
        }
        case 0x2d: // GNU_window_save, or AArch64's negate_ra_state: neither changes a rule this table holds
          break;
        case 0x2e: // GNU_args_size
          r.uleb();
          break;
        case 0x2f: // GNU_negative_offset_extended
          offsetRule(r.ulebn(), -r.uleb());
          break;
        default:
          r.fail(`unknown call frame instruction 0x${op.toString(16)} in the ${inFde ? 'FDE' : 'CIE'} at 0x${(inFde ? fde.offset : cie.offset).toString(16)}`);
      }
    }
  };

  run(cie.instructions, false);
  initial = copy(state);
  run(fde.instructions, true);
  close(fde.end);
  return rows;
}
