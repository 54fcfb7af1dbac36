// One zone of a launch file: a zone config path, or an object naming the
// config and the zone's Linux boot files (launch-attributes.ts). The root
// zone's object may leave out config to boot the board's built-in root zone.

import { didYouMean } from './did-you-mean';
import { describeJson, keyPath, type JsonReader } from './json-reader';
import { ZONE_ATTRIBUTES } from './launch-attributes';
import { resolveBeside } from './launch-paths';

/** A zone's Linux boot files; paths resolved against the launch file's folder. */
export interface ZoneBoot {
  readonly bootargs?: string;
  readonly initrd?: string;
  readonly dtb?: string;
}

export interface ZoneEntry {
  /** The zone config as written (resolved by the caller); absent for the built-in root zone. */
  readonly config?: string;
  readonly boot: ZoneBoot;
}

/** Reads `value` at `path`; undefined after reporting what is wrong. */
export function readZoneEntry(r: JsonReader, value: unknown, path: string, launchFile: string, configRequired: boolean): ZoneEntry | undefined {
  if (typeof value === 'string') return { config: value, boot: {} };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    r.error(path, `must be a zone config path or an object with ${ZONE_ATTRIBUTES.join(', ')}, not ${describeJson(value)}`);
    return undefined;
  }
  const obj = value as { readonly [key: string]: unknown };
  let ok = true;
  for (const key of Object.keys(obj)) {
    if (!(ZONE_ATTRIBUTES as readonly string[]).includes(key)) {
      r.error(keyPath(path, key), `unknown attribute${didYouMean(key, ZONE_ATTRIBUTES)}`);
      ok = false;
    }
  }
  const text = (key: (typeof ZONE_ATTRIBUTES)[number], required: boolean): string | undefined => {
    const v = r.field(obj, path, key, required);
    if (v === undefined) {
      if (required) ok = false;
      return undefined;
    }
    const s = r.string(v, keyPath(path, key));
    if (s === undefined) ok = false;
    else if (s === '' && key !== 'bootargs') {
      r.error(keyPath(path, key), 'must name a file, not ""');
      ok = false;
    }
    return s;
  };
  const config = text('config', configRequired);
  const bootargs = text('bootargs', false);
  const initrd = text('initrd', false);
  const dtb = text('dtb', false);
  if (!ok) return undefined;
  return {
    ...(config !== undefined ? { config } : {}),
    boot: {
      ...(bootargs !== undefined ? { bootargs } : {}),
      ...(initrd ? { initrd: resolveBeside(launchFile, initrd) } : {}),
      ...(dtb ? { dtb: resolveBeside(launchFile, dtb) } : {}),
    },
  };
}
