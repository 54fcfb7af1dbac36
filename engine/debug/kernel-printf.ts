// A kernel printf format with its arguments, as the kernel's vsnprintf would
// print it: the integer, character and string conversions, and %p with
// the extensions that name a symbol (%pS, %ps, %pB); any other %p extension
// prints the pointer in hex, since its meaning lives in the kernel.

/** Where the arguments come from: the i-th 64-bit argument slot, and a string in guest memory. */
export interface PrintfArguments {
  slot(i: number): bigint | undefined;
  string(address: bigint): string | undefined;
  symbol(address: bigint): string | undefined;
}

const SPEC = /%([-+ 0#]*)(\*|\d+)?(?:\.(\*|\d+))?(hh|h|ll|l|z|t|j|L)?([diouxXcsp%])/y;
/** The bits of each length modifier (the kernel is LP64: long, size_t and ptrdiff_t are 64). */
const BITS: Readonly<Record<string, number>> = { hh: 8, h: 16, '': 32, l: 64, ll: 64, z: 64, t: 64, j: 64, L: 64 };

/** `format` with its conversions filled from `args`; an argument that cannot be read shows as `?`. */
export function kernelPrintf(format: string, args: PrintfArguments): string {
  let out = '';
  let next = 0;
  const take = (): bigint | undefined => args.slot(next++);
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    SPEC.lastIndex = i;
    const m = SPEC.exec(format);
    if (!m) {
      out += c;
      i++;
      continue;
    }
    i = SPEC.lastIndex;
    const [, flags = '', widthText, precisionText, length = '', conversion] = m;
    if (conversion === '%') {
      out += '%';
      continue;
    }
    const width = widthText === '*' ? Number(BigInt.asIntN(32, take() ?? 0n)) : widthText === undefined ? 0 : Number(widthText);
    const precision = precisionText === '*' ? Number(BigInt.asIntN(32, take() ?? 0n)) : precisionText === undefined ? undefined : Number(precisionText);
    const value = take();
    let text: string;
    if (conversion === 'p') {
      // The kernel's extensions follow %p as letters and digits.
      const ext = /^[A-Za-z0-9]*/.exec(format.slice(i))![0];
      i += ext.length;
      text = value === undefined ? '?' : (/^[SsB]/.test(ext) ? args.symbol(value) : undefined) ?? `0x${value.toString(16)}`;
    } else if (value === undefined) text = '?';
    else if (conversion === 's') {
      const s = value === 0n ? '(null)' : args.string(value) ?? '(efault)';
      text = precision === undefined ? s : s.slice(0, precision);
    } else if (conversion === 'c') text = String.fromCharCode(Number(value & 0xffn));
    else text = integer(value, conversion!, BITS[length]!, flags, precision);
    const pad = width - text.length;
    if (pad > 0) {
      if (flags.includes('-')) text += ' '.repeat(pad);
      else if (flags.includes('0') && precision === undefined && 'diouxX'.includes(conversion!)) {
        const sign = /^[-+ ]|^0[xX]/.exec(text)?.[0] ?? '';
        text = sign + '0'.repeat(pad) + text.slice(sign.length);
      } else text = ' '.repeat(pad) + text;
    }
    out += text;
  }
  return out;
}

function integer(raw: bigint, conversion: string, bits: number, flags: string, precision: number | undefined): string {
  const signed = conversion === 'd' || conversion === 'i';
  const v = signed ? BigInt.asIntN(bits, raw) : BigInt.asUintN(bits, raw);
  const magnitude = v < 0n ? -v : v;
  const radix = conversion === 'o' ? 8 : conversion === 'x' || conversion === 'X' ? 16 : 10;
  let digits = magnitude.toString(radix);
  if (conversion === 'X') digits = digits.toUpperCase();
  if (precision !== undefined) digits = precision === 0 && magnitude === 0n ? '' : digits.padStart(precision, '0');
  let prefix = '';
  if (flags.includes('#') && magnitude !== 0n) prefix = conversion === 'o' ? '0' : conversion === 'x' ? '0x' : conversion === 'X' ? '0X' : '';
  const sign = v < 0n ? '-' : signed && flags.includes('+') ? '+' : signed && flags.includes(' ') ? ' ' : '';
  return sign + prefix + digits;
}
