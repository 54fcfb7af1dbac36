// IEEE 754 binary32 and binary64 values and their bit patterns, the one
// conversion every layer shares (registers, DWARF typed values, C values).

/** The number the bits of a binary32 (`size` 4) or binary64 (`size` 8) hold; higher bits are ignored. */
export function floatOfBits(bits: bigint, size: 4 | 8): number {
  const view = new DataView(new ArrayBuffer(8));
  if (size === 4) {
    view.setUint32(0, Number(BigInt.asUintN(32, bits)));
    return view.getFloat32(0);
  }
  view.setBigUint64(0, BigInt.asUintN(64, bits));
  return view.getFloat64(0);
}

/** The bits of `x` as a binary32 (`size` 4, rounded to nearest) or binary64 (`size` 8). */
export function bitsOfFloat(x: number, size: 4 | 8): bigint {
  const view = new DataView(new ArrayBuffer(8));
  if (size === 4) {
    view.setFloat32(0, x);
    return BigInt(view.getUint32(0));
  }
  view.setFloat64(0, x);
  return view.getBigUint64(0);
}
