// Types for scripts/build-coremark.mjs, which plain Node scripts import too.

export type CoremarkArch = 'riscv64' | 'aarch64';
export type CoremarkRun = 'performance' | 'validation';
export declare const COREMARK_ARCHES: Readonly<Record<CoremarkArch, { readonly codeFlags: readonly string[] }>>;
export declare const RUNS: Readonly<Record<CoremarkRun, string>>;
export declare function buildCoremark(options: { arch: CoremarkArch; iterations: number; run?: CoremarkRun }): string;
