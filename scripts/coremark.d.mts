// Types for scripts/coremark.mjs, which plain Node scripts import too.

import type { CoremarkArch } from './build-coremark.mjs';

export declare function qemuCommand(arch: CoremarkArch, elf: string, options?: { el2?: boolean }): { command: string; args: string[] };
export declare function qemuGuestOutput(arch: CoremarkArch, stdout: string): string | undefined;
export declare function untimedReport(out: string): string[];
