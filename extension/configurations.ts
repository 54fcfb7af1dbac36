// Launch configurations for the `hvisor` debug type. A workspace holds launch
// files in the CLI's format (samples/riscv64-zones/launch.json, or beside it
// launch-NAME.json); F5 without a .vscode/launch.json turns one of them into a
// debug configuration, and the "Add Configuration" and Run view drop-downs
// offer every one of them.

import * as vscode from 'vscode';
import { LAUNCH_ATTRIBUTES } from '../engine/hv/config/launch-attributes';

export const DEBUG_TYPE = 'hvisor';

/** Folders that never hold a user's launch files but can hold thousands of JSON files. */
const EXCLUDE = '{**/node_modules/**,**/.vscode/**,**/.git/**,**/.cache/**,**/dist/**,**/out/**}';

interface LaunchFile {
  readonly uri: vscode.Uri;
  readonly attributes: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A launch file names an arch and images; other JSON (zone configs, tsconfig) does not. Only launch attributes are copied. */
function asLaunchAttributes(value: unknown): Record<string, unknown> | undefined {
  if (!isRecord(value) || typeof value.arch !== 'string' || !Array.isArray(value.images)) return undefined;
  const attributes: Record<string, unknown> = {};
  for (const key of LAUNCH_ATTRIBUTES) if (key in value) attributes[key] = value[key];
  return attributes;
}

async function readLaunchFile(uri: vscode.Uri): Promise<LaunchFile | undefined> {
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    const attributes = asLaunchAttributes(JSON.parse(new TextDecoder().decode(bytes)));
    return attributes ? { uri, attributes } : undefined;
  } catch {
    // Unreadable or not JSON: not a launch file.
    return undefined;
  }
}

/** Launch files under `folder` (or the whole workspace), sorted by path. */
export async function findLaunchFiles(folder: vscode.WorkspaceFolder | undefined, token?: vscode.CancellationToken): Promise<LaunchFile[]> {
  const include = folder ? new vscode.RelativePattern(folder, '**/launch*.json') : '**/launch*.json';
  const uris = await vscode.workspace.findFiles(include, EXCLUDE, 200, token);
  const files = await Promise.all(uris.map(readLaunchFile));
  return files.filter((f): f is LaunchFile => f !== undefined).sort((a, b) => a.uri.fsPath.localeCompare(b.uri.fsPath));
}

function folderOf(uri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(uri, '..');
}

/** A debug configuration that boots `file`; its relative paths resolve against the file's folder through `cwd`. */
export function configurationFor(file: LaunchFile): vscode.DebugConfiguration {
  const dir = folderOf(file.uri);
  const label = vscode.workspace.asRelativePath(dir, false);
  const base = file.uri.path.split('/').pop();
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: `hvisor: ${label === dir.fsPath ? dir.path.split('/').pop() : label}${base === 'launch.json' ? '' : ` (${base})`}`,
    ...file.attributes,
    stopOnEntry: file.attributes.stopOnEntry ?? true,
    cwd: dir.fsPath,
  };
}

/** The launch files in the nearest folder at or above the active editor's file. */
function nearestToActiveEditor(files: readonly LaunchFile[]): LaunchFile[] {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (!active) return [];
  const enclosing = files.filter((file) => active.path.startsWith(folderOf(file.uri).path + '/'));
  const deepest = Math.max(...enclosing.map((file) => folderOf(file.uri).path.length));
  return enclosing.filter((file) => folderOf(file.uri).path.length === deepest);
}

export class HvisorConfigurationProvider implements vscode.DebugConfigurationProvider {
  /** Both for a new launch.json (Initial) and for the Run view's drop-down (Dynamic). */
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined, token?: vscode.CancellationToken): Promise<vscode.DebugConfiguration[]> {
    const files = await findLaunchFiles(folder, token);
    return files.map(configurationFor);
  }

  /** F5 without a launch.json arrives here as an empty configuration. */
  async resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration, token?: vscode.CancellationToken): Promise<vscode.DebugConfiguration | undefined> {
    if (config.type && config.request) return config;
    const files = await findLaunchFiles(folder, token);
    if (files.length === 0) {
      void vscode.window.showErrorMessage('hvisor: no launch file found. Add one (e.g. samples/riscv64-zones/launch.json) or a .vscode/launch.json configuration of type "hvisor".');
      return undefined;
    }
    const nearest = nearestToActiveEditor(files);
    const candidates = nearest.length > 0 ? nearest : files;
    const picked = candidates.length === 1 ? candidates[0] : await pickLaunchFile(candidates);
    return picked ? configurationFor(picked) : undefined;
  }

  /** Relative paths in a hand-written configuration mean the workspace folder. */
  resolveDebugConfigurationWithSubstitutedVariables(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration {
    if (typeof config.cwd !== 'string' && folder) config.cwd = folder.uri.fsPath;
    return config;
  }
}

async function pickLaunchFile(files: readonly LaunchFile[]): Promise<LaunchFile | undefined> {
  const items = files.map((file) => ({
    label: vscode.workspace.asRelativePath(file.uri, false),
    description: `${String(file.attributes.arch)}, ${String(file.attributes.cpus ?? 4)} CPUs`,
    file,
  }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Which launch file should hvisor boot?' });
  return picked?.file;
}
