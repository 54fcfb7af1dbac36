// The boot files of an --image run (--initrd, --append, --dtb), read for the engine.

import type { RunArguments } from './arguments';
import { LaunchError, type BootFile, type BootOptions } from '../engine/api';

/** Reads --initrd and --dtb with `read` (which throws an Error saying what is wrong); an unreadable file is a LaunchError naming the flag. */
export function quickBootOptions(args: RunArguments, read: (path: string) => Uint8Array): BootOptions {
  const file = (flag: string, path: string): BootFile => {
    try {
      return { path, bytes: read(path) };
    } catch (e) {
      throw new LaunchError(`${flag} ${path}: ${(e as Error).message}`);
    }
  };
  return {
    ...(args.initrd !== undefined ? { initrd: file('--initrd', args.initrd) } : {}),
    ...(args.append !== undefined ? { bootargs: args.append } : {}),
    ...(args.dtb !== undefined ? { dtb: file('--dtb', args.dtb) } : {}),
  };
}
