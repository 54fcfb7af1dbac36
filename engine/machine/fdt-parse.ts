// Reads a DTB (version 16 or 17 layout) back into a DeviceTree, checking every
// offset so a damaged file gives a message rather than garbage.

import {
  DeviceTree,
  FDT_BEGIN_NODE,
  FDT_END,
  FDT_END_NODE,
  FDT_HEADER_SIZE,
  FDT_MAGIC,
  FDT_NOP,
  FDT_PROP,
  type FdtNode,
} from './fdt';
import { hex, ImageError } from './loaders/image-error';

const decoder = new TextDecoder('utf-8');

export function parseDtb(bytes: Uint8Array, fileName: string): DeviceTree {
  const fail = (problem: string): never => {
    throw new ImageError(fileName, problem);
  };
  if (bytes.length < FDT_HEADER_SIZE) fail(`truncated device-tree header (${bytes.length} bytes, need ${FDT_HEADER_SIZE})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = (i: number): number => view.getUint32(4 * i);
  if (header(0) !== FDT_MAGIC) fail(`bad device-tree magic ${hex(header(0))}, expected ${hex(FDT_MAGIC)}`);
  const totalSize = header(1);
  const structOffset = header(2);
  const stringsOffset = header(3);
  const rsvOffset = header(4);
  const version = header(5);
  const lastCompatible = header(6);
  if (version < 16 || lastCompatible > 17) fail(`unsupported device-tree version ${version} (last compatible ${lastCompatible})`);
  if (totalSize > bytes.length) fail(`totalsize ${hex(totalSize)} runs past the end of the file (${hex(bytes.length)} bytes)`);
  const stringsSize = version >= 17 ? header(8) : totalSize - stringsOffset;
  const structSize = version >= 17 ? header(9) : totalSize - structOffset;
  const inside = (what: string, start: number, length: number): void => {
    if (start < FDT_HEADER_SIZE || start + length > totalSize) fail(`${what} (${hex(start)}-${hex(start + length)}) lies outside the blob (${hex(totalSize)} bytes)`);
  };
  inside('strings block', stringsOffset, stringsSize);
  inside('structure block', structOffset, structSize);
  if (structOffset % 4 !== 0) fail(`structure block offset ${hex(structOffset)} is not 4-byte aligned`);

  const tree = new DeviceTree();
  tree.bootCpuId = header(7);
  if (rsvOffset % 8 !== 0) fail(`memory reservation block offset ${hex(rsvOffset)} is not 8-byte aligned`);
  for (let o = rsvOffset; ; o += 16) {
    inside('memory reservation entry', o, 16);
    const address = view.getBigUint64(o);
    const size = view.getBigUint64(o + 8);
    if (address === 0n && size === 0n) break;
    tree.reservations.push({ address, size });
  }

  const structEnd = structOffset + structSize;
  let pos = structOffset;
  const word = (what: string): number => {
    if (pos + 4 > structEnd) fail(`structure block ends inside ${what} at ${hex(pos)}`);
    const v = view.getUint32(pos);
    pos += 4;
    return v;
  };
  const cString = (start: number, end: number, what: string): [string, number] => {
    let i = start;
    while (i < end && bytes[i] !== 0) i++;
    if (i >= end) fail(`${what} at ${hex(start)} is not NUL-terminated`);
    return [decoder.decode(bytes.subarray(start, i)), i + 1];
  };

  const stack: FdtNode[] = [];
  let sawRoot = false;
  for (;;) {
    const tokenAt = pos;
    const token = word('a token');
    if (token === FDT_NOP) continue;
    if (token === FDT_END) break;
    if (token === FDT_BEGIN_NODE) {
      const [name, next] = cString(pos, structEnd, 'node name');
      pos = (next + 3) & ~3;
      if (stack.length === 0) {
        if (sawRoot) fail(`second root node at ${hex(tokenAt)}`);
        sawRoot = true;
        stack.push(tree.root);
      } else stack.push(stack[stack.length - 1]!.addNode(name));
    } else if (token === FDT_END_NODE) {
      if (stack.length === 0) fail(`FDT_END_NODE without a node at ${hex(tokenAt)}`);
      stack.pop();
    } else if (token === FDT_PROP) {
      const node = stack[stack.length - 1] ?? fail(`property outside any node at ${hex(tokenAt)}`);
      const length = word('a property length');
      const nameOff = word('a property name offset');
      if (nameOff >= stringsSize) fail(`property name offset ${hex(nameOff)} at ${hex(tokenAt)} is beyond the strings block`);
      const [name] = cString(stringsOffset + nameOff, stringsOffset + stringsSize, 'property name');
      if (pos + length > structEnd) fail(`property ${name} at ${hex(tokenAt)} runs past the structure block`);
      node.setBytes(name, bytes.slice(pos, pos + length));
      pos = (pos + length + 3) & ~3;
    } else fail(`unknown token ${hex(token)} at ${hex(tokenAt)}`);
  }
  if (!sawRoot) fail('the structure block has no root node');
  if (stack.length !== 0) fail(`node ${stack[stack.length - 1]!.name || '/'} is not closed before FDT_END`);
  return tree;
}
