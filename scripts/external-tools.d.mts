// Types for scripts/external-tools.mjs, which plain Node scripts import too.

export interface ExternalFile {
  readonly path: string;
  readonly package: string;
  readonly use: string;
}
export interface ExternalCommand {
  readonly command: string;
  readonly package: string;
  readonly use: string;
  readonly needs?: readonly ExternalFile[];
}
export declare const EXTERNAL_FILES: Readonly<Record<string, ExternalFile>>;
export declare const EXTERNAL_COMMANDS: readonly ExternalCommand[];
export declare function packages(): string[];
export declare function missing(commands?: readonly string[]): string[];
export declare function requireCommands(...commands: string[]): void;
