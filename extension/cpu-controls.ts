// Per-CPU controls that VS Code's debug UI has no notion of: "Run Only This
// CPU" and "Freeze/Thaw CPU" in the Call Stack's context menu, the all/solo
// toggle on the debug toolbar, and a status bar item showing the mode. Each
// one is a custom request to the adapter, which owns the real state; the
// extension only mirrors it for menus and the status bar.

import * as vscode from 'vscode';
import { DEBUG_TYPE } from './configurations';
import {
  cpuOfThread, readFrozen, readMode, sendCustomRequest, type CustomArguments, type CustomRequestName, type RunMode, type RunState,
} from '../protocol/custom-requests';

/** The context key the toolbar's `when` clauses read. */
const MODE_CONTEXT_KEY = 'hvisor.runMode';

export class CpuControls implements vscode.Disposable {
  private readonly states = new Map<string, RunState>();
  private readonly statusItem: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.statusItem = vscode.window.createStatusBarItem('hvisor.runMode', vscode.StatusBarAlignment.Left, 10);
    this.statusItem.name = 'hvisor run mode';
    this.statusItem.command = 'hvisor.toggleRunMode';
    this.disposables.push(
      this.statusItem,
      vscode.commands.registerCommand('hvisor.runOnlyThisCpu', (arg: unknown) => this.runOnly(arg)),
      vscode.commands.registerCommand('hvisor.toggleFreeze', (arg: unknown) => this.toggleFreeze(arg)),
      vscode.commands.registerCommand('hvisor.runModeSolo', () => this.setMode('solo')),
      vscode.commands.registerCommand('hvisor.runModeAll', () => this.setMode('all')),
      vscode.commands.registerCommand('hvisor.toggleRunMode', () => this.setMode(this.current()?.state.mode === 'solo' ? 'all' : 'solo')),
      vscode.debug.onDidStartDebugSession((s) => this.onStart(s)),
      vscode.debug.onDidTerminateDebugSession((s) => this.onEnd(s)),
      vscode.debug.onDidChangeActiveDebugSession(() => this.render()),
    );
    this.render();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private current(): { session: vscode.DebugSession; state: RunState } | undefined {
    const session = vscode.debug.activeDebugSession;
    if (!session || session.type !== DEBUG_TYPE) return undefined;
    return { session, state: this.states.get(session.id) ?? { mode: 'all', frozen: [] } };
  }

  private onStart(session: vscode.DebugSession): void {
    if (session.type !== DEBUG_TYPE) return;
    const mode: RunMode = session.configuration.runMode === 'solo' ? 'solo' : 'all';
    this.update(session, { mode, frozen: [] });
  }

  private onEnd(session: vscode.DebugSession): void {
    this.states.delete(session.id);
    this.render();
  }

  private update(session: vscode.DebugSession, state: RunState): void {
    this.states.set(session.id, state);
    this.render();
  }

  private render(): void {
    const current = this.current();
    void vscode.commands.executeCommand('setContext', MODE_CONTEXT_KEY, current?.state.mode ?? 'all');
    if (!current) {
      this.statusItem.hide();
      return;
    }
    const { mode, frozen } = current.state;
    const frozenText = frozen.length ? ` · frozen: ${frozen.map((c) => `CPU ${c}`).join(', ')}` : '';
    this.statusItem.text = mode === 'solo' ? `$(debug-alt-small) hvisor: solo CPU${frozenText}` : `$(run-all) hvisor: all CPUs${frozenText}`;
    this.statusItem.tooltip = mode === 'solo'
      ? 'Continue and step run only the selected CPU. Click to run all CPUs that are not frozen.'
      : 'Continue and step run every CPU that is not frozen. Click to run only the selected CPU.';
    this.statusItem.show();
  }

  private async setMode(mode: RunMode): Promise<void> {
    const current = this.current();
    if (!current) return;
    const reply = await this.request(current.session, 'setRunMode', { mode });
    if (reply !== undefined) this.update(current.session, { ...current.state, mode: readMode(reply) ?? mode });
  }

  /** Solo mode, then a continue of that CPU alone; the other CPUs stay where they are. */
  private async runOnly(arg: unknown): Promise<void> {
    const target = this.target(arg);
    if (!target) return;
    const state = this.stateOf(target.session);
    const reply = await this.request(target.session, 'runOnlyCpu', { threadId: target.threadId });
    if (reply !== undefined) this.update(target.session, { ...state, mode: 'solo' });
    await this.sync(target.session);
  }

  private async toggleFreeze(arg: unknown): Promise<void> {
    const target = this.target(arg);
    if (!target) return;
    const cpu = cpuOfThread(target.threadId);
    await this.sync(target.session);
    const state = this.stateOf(target.session);
    const command = state.frozen.includes(cpu) ? 'thawCpu' : 'freezeCpu';
    const reply = await this.request(target.session, command, { threadId: target.threadId });
    const frozen = readFrozen(reply);
    if (frozen) this.update(target.session, { ...state, frozen });
  }

  private stateOf(session: vscode.DebugSession): RunState {
    return this.states.get(session.id) ?? { mode: 'all', frozen: [] };
  }

  /** Reads the adapter's state, which the launch configuration or another client may have changed. */
  private async sync(session: vscode.DebugSession): Promise<void> {
    try {
      const reply: unknown = await sendCustomRequest(session, 'getRunState', {});
      const mode = readMode(reply);
      const frozen = readFrozen(reply);
      if (mode && frozen) this.update(session, { mode, frozen });
    } catch {
      // Not launched yet: the mirror stays as it is.
    }
  }

  /** Sends a custom request; on failure shows the adapter's message and answers undefined. */
  private async request<K extends CustomRequestName>(session: vscode.DebugSession, command: K, args: CustomArguments<K>): Promise<unknown> {
    try {
      const reply: unknown = await sendCustomRequest(session, command, args);
      return reply ?? {};
    } catch (error) {
      void vscode.window.showErrorMessage(`hvisor: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /**
   * The CPU a Call Stack action is for: VS Code passes the thread id of the
   * row that was right-clicked; from the palette, the focused thread.
   */
  private target(arg: unknown): { session: vscode.DebugSession; threadId: number } | undefined {
    const item = vscode.debug.activeStackItem;
    const session = item?.session.type === DEBUG_TYPE ? item.session : this.current()?.session;
    if (!session) return undefined;
    if (typeof arg === 'number') return { session, threadId: arg };
    if (item && item.session === session) return { session, threadId: item.threadId };
    void vscode.window.showInformationMessage('hvisor: select a CPU in the Call Stack first.');
    return undefined;
  }
}
