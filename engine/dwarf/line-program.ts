// .debug_line: a unit's line-number program (versions 2 to 5), run to the
// full table of rows, with the directory and file tables that name them.

import { DW_FORM, DW_LNCT, DW_LNE, DW_LNS } from './constants';
import { readAttribute, type AttrValue, type UnitShape } from './forms';
import { Reader } from './reader';

export interface LineRow {
  readonly address: bigint;
  /** Index into the program's file table (`LineTable.file`). */
  readonly file: number;
  readonly line: number;
  readonly column: number;
  readonly isStmt: boolean;
  /** The first address past a sequence; its other fields are not a location. */
  readonly endSequence: boolean;
  /** Where the compiler says the function's prologue ends. */
  readonly prologueEnd: boolean;
  /** Which block of several on one line the row belongs to (0: the only one). */
  readonly discriminator: number;
}

export interface LineTable {
  readonly version: number;
  readonly rows: readonly LineRow[];
  /** The path of file `index` (joined with its directory and the compilation directory when relative). */
  file(index: number): string | undefined;
}

export interface LineContext {
  readonly compDir: string | undefined;
  readonly addressSize: number;
  /** Resolves a string-class value of the v5 entry formats (strp, line_strp, strx). */
  string(v: AttrValue): string | undefined;
}

interface FileEntry {
  readonly path: string;
  readonly directory: number;
}

const isAbsolute = (p: string): boolean => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);
const join = (dir: string | undefined, p: string): string => {
  if (p === '') return dir ?? '';
  return !dir || isAbsolute(p) ? p : `${dir.replace(/\/$/, '')}/${p}`;
};

/**
 * Receives each row as the program emits it, without building a row object:
 * `address` is exact when `wide` is undefined; otherwise `wide` is the address.
 */
export type RowVisitor = (
  address: number, wide: bigint | undefined, file: number, line: number, column: number, isStmt: boolean, endSequence: boolean,
  prologueEnd: boolean, discriminator: number,
) => void;

/** Runs the program at `offset` of .debug_line to its full table. Throws DwarfError when it is malformed. */
export function parseLineProgram(bytes: Uint8Array, offset: number, context: LineContext): LineTable {
  const rows: LineRow[] = [];
  const program = runLineProgram(bytes, offset, context, (address, wide, file, line, column, isStmt, endSequence, prologueEnd, discriminator) => {
    rows.push({ address: wide ?? BigInt(address), file, line, column, isStmt, endSequence, prologueEnd, discriminator });
  });
  return { ...program, rows };
}

/** The paths of the file table of the program at `offset` of .debug_line, from its header alone. Throws DwarfError when it is malformed. */
export function lineProgramFiles(bytes: Uint8Array, offset: number, context: LineContext): string[] {
  const { file, fileCount } = runLineProgram(bytes, offset, context, undefined);
  const out: string[] = [];
  for (let i = 0; i < fileCount; i++) {
    const path = file(i);
    if (path !== undefined) out.push(path);
  }
  return out;
}

/**
 * Runs the program at `offset` of .debug_line, handing each row to `visit`
 * (without one, reads the header alone). Throws DwarfError when it is malformed.
 */
export function runLineProgram(bytes: Uint8Array, offset: number, context: LineContext, visit: RowVisitor | undefined): Omit<LineTable, 'rows'> & { fileCount: number } {
  const r = new Reader(bytes, '.debug_line', offset);
  const { length, dwarf64 } = r.initialLength();
  const unitEnd = r.pos + length;
  const body = new Reader(bytes, '.debug_line', r.pos, Math.min(unitEnd, bytes.length));
  if (unitEnd > bytes.length) r.fail(`the program at 0x${offset.toString(16)} claims 0x${length.toString(16)} bytes, past the section's end`);
  const version = body.u16();
  if (version < 2 || version > 5) body.fail(`the program at 0x${offset.toString(16)} has version ${version}, which is not 2 to 5`);
  let addressSize = context.addressSize;
  if (version >= 5) {
    addressSize = body.u8();
    body.u8(); // segment selector size
  }
  const headerLength = body.offset(dwarf64);
  const programStart = body.pos + headerLength;
  const minInstLength = body.u8();
  const maxOps = version >= 4 ? body.u8() : 1;
  const defaultIsStmt = body.u8() !== 0;
  const lineBase = body.i8();
  const lineRange = body.u8();
  const opcodeBase = body.u8();
  if (lineRange === 0) body.fail(`the program at 0x${offset.toString(16)} has line_range 0`);
  if (maxOps === 0) body.fail(`the program at 0x${offset.toString(16)} has maximum_operations_per_instruction 0`);
  const standardLengths: number[] = [];
  for (let i = 1; i < opcodeBase; i++) standardLengths.push(body.u8());

  const directories: string[] = [];
  const files: FileEntry[] = [];
  if (version >= 5) {
    const shape: UnitShape = { version, dwarf64, addressSize, offset: 0 };
    const entries = (what: string): Map<number, AttrValue>[] => {
      const formats: [number, number][] = [];
      const formatCount = body.u8();
      for (let i = 0; i < formatCount; i++) formats.push([body.ulebn(), body.ulebn()]);
      const count = body.ulebn();
      // Every entry takes at least a byte; a larger count is corrupt (and would spin on empty formats).
      if (count > body.end - body.pos || (count > 0 && formats.length === 0)) body.fail(`${what} table claims ${count} entries`);
      const list: Map<number, AttrValue>[] = [];
      for (let i = 0; i < count; i++) {
        const entry = new Map<number, AttrValue>();
        for (const [content, form] of formats) {
          if (form === DW_FORM.implicit_const) body.fail(`${what} entry format uses DW_FORM_implicit_const, which has no value here`);
          entry.set(content, readAttribute(body, { name: content, form }, shape));
        }
        list.push(entry);
      }
      return list;
    };
    const text = (e: Map<number, AttrValue>): string => {
      const v = e.get(DW_LNCT.path);
      return (v && context.string(v)) ?? '';
    };
    for (const e of entries('directory')) directories.push(text(e));
    for (const e of entries('file')) {
      const dir = e.get(DW_LNCT.directory_index);
      files.push({ path: text(e), directory: dir?.kind === 'constant' ? Number(dir.value) : 0 });
    }
  } else {
    // Directory 0 is the compilation directory; file 0 does not exist before version 5.
    directories.push(context.compDir ?? '');
    for (;;) {
      const dir = body.cstring();
      if (dir === '') break;
      directories.push(dir);
    }
    files.push({ path: '', directory: 0 });
    for (;;) {
      const path = body.cstring();
      if (path === '') break;
      const directory = body.ulebn();
      body.uleb();
      body.uleb();
      files.push({ path, directory });
    }
  }
  if (programStart > body.end) body.fail(`header_length runs past the program at 0x${offset.toString(16)}`);
  body.pos = programStart;

  // Resolved paths are computed once per file, when first asked for.
  const resolved = new Map<number, string | undefined>();
  const file = (index: number): string | undefined => {
    if (resolved.has(index)) return resolved.get(index);
    const f = files[index];
    let path: string | undefined;
    if (f && f.path !== '') {
      const dir = directories[f.directory];
      path = join(dir === undefined ? context.compDir : join(context.compDir, dir), f.path);
    }
    resolved.set(index, path);
    return path;
  };
  if (!visit) return { version, file, fileCount: files.length };

  // The address as a double while it is exactly one (the common case, and much cheaper than a BigInt
  // per step); `wide` holds it instead once it is not (a high-half kernel's addresses).
  let address = 0;
  let wide: bigint | undefined;
  let opIndex = 0;
  let fileIndex = 1;
  let line = 1;
  let column = 0;
  let isStmt = defaultIsStmt;
  // Both hold for the next row only.
  let prologueEnd = false;
  let discriminator = 0;
  const reset = (): void => {
    address = 0;
    wide = undefined;
    opIndex = 0;
    fileIndex = 1;
    line = 1;
    column = 0;
    isStmt = defaultIsStmt;
  };
  const emit = (endSequence: boolean): void => {
    visit(address, wide, fileIndex, line, column, isStmt, endSequence, prologueEnd, discriminator);
    prologueEnd = false;
    discriminator = 0;
  };
  const mask = addressSize === 8 ? 0xffffffffffffffffn : 0xffffffffn;
  const limit = addressSize === 8 ? Number.MAX_SAFE_INTEGER : 0xffffffff;
  const setAddress = (v: bigint): void => {
    if (v <= BigInt(limit)) {
      address = Number(v);
      wide = undefined;
    } else wide = v;
  };
  const addBytes = (n: number): void => {
    if (wide === undefined && address + n <= limit) address += n;
    else setAddress(((wide ?? BigInt(address)) + BigInt(n)) & mask);
  };
  const advance = (operationAdvance: number): void => {
    if (maxOps === 1) {
      addBytes(minInstLength * operationAdvance);
      return;
    }
    const total = opIndex + operationAdvance;
    addBytes(minInstLength * Math.floor(total / maxOps));
    opIndex = total % maxOps;
  };

  while (!body.atEnd) {
    const opcode = body.u8();
    if (opcode >= opcodeBase) {
      const adjusted = opcode - opcodeBase;
      advance(Math.floor(adjusted / lineRange));
      line += lineBase + (adjusted % lineRange);
      emit(false);
      continue;
    }
    switch (opcode) {
      case 0: {
        const len = body.ulebn();
        if (len === 0) body.fail(`an extended opcode at 0x${(body.pos - 2).toString(16)} has length 0`);
        const ext = body.sub(len);
        body.pos += len;
        const sub = ext.u8();
        if (sub === DW_LNE.end_sequence) {
          emit(true);
          reset();
        } else if (sub === DW_LNE.set_address) {
          setAddress(ext.address(len - 1));
          opIndex = 0;
        } else if (sub === DW_LNE.define_file) {
          const path = ext.cstring();
          files.push({ path, directory: ext.ulebn() });
        } else if (sub === DW_LNE.set_discriminator) {
          discriminator = ext.ulebn();
        }
        // Other extended opcodes (vendor ones) carry nothing a table row needs.
        break;
      }
      case DW_LNS.copy:
        emit(false);
        break;
      case DW_LNS.advance_pc:
        advance(body.ulebn());
        break;
      case DW_LNS.advance_line:
        line += body.slebn();
        break;
      case DW_LNS.set_file:
        fileIndex = body.ulebn();
        break;
      case DW_LNS.set_column:
        column = body.ulebn();
        break;
      case DW_LNS.negate_stmt:
        isStmt = !isStmt;
        break;
      case DW_LNS.const_add_pc:
        advance(Math.floor((255 - opcodeBase) / lineRange));
        break;
      case DW_LNS.fixed_advance_pc:
        addBytes(body.u16());
        opIndex = 0;
        break;
      case DW_LNS.set_prologue_end:
        prologueEnd = true;
        break;
      case DW_LNS.set_basic_block:
      case DW_LNS.set_epilogue_begin:
        break;
      default:
        // An opcode this reader does not know (set_isa included): the header says how many ULEB operands it takes.
        for (let i = 0; i < (standardLengths[opcode - 1] ?? 0); i++) body.uleb();
    }
  }
  return { version, file, fileCount: files.length };
}
