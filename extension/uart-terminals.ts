// Each board UART of an hvisor debug session is an integrated terminal, named
// after the zones that map it: the guest's output is written to it raw (the
// guest's own escape sequences, carriage returns and echo), and what the user
// types goes to the UART's receiver by the uartInput custom request, whether
// the machine runs or is paused (then it waits in the UART's backlog). A
// restart keeps the terminals; a new session replaces the ended one's.

import * as vscode from 'vscode';
import { DEBUG_TYPE } from './configurations';
import { sendCustomRequest } from '../protocol/custom-requests';
import { UARTS_EVENT, UART_OUTPUT_EVENT, readUartOutput, readUarts } from '../protocol/uart';

class UartTerminal implements vscode.Pseudoterminal {
  private readonly writes = new vscode.EventEmitter<string>();
  private readonly names = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.writes.event;
  readonly onDidChangeName = this.names.event;
  /** Output that came before VS Code opened the terminal. */
  private early: string[] | undefined = [];
  /** Guest output is UTF-8 text as a rule; a character split across events is decoded whole. */
  private readonly decoder = new TextDecoder('utf-8');
  readonly terminal: vscode.Terminal;
  session: vscode.DebugSession | undefined;
  closed = false;
  /** Brought into view at the guest's first output, after VS Code has opened the Debug Console for the new session. */
  private shown = false;

  constructor(session: vscode.DebugSession, readonly uart: number, name: string) {
    this.session = session;
    this.terminal = vscode.window.createTerminal({ name, pty: this, isTransient: true });
  }

  open(): void {
    for (const text of this.early ?? []) this.writes.fire(text);
    this.early = undefined;
  }

  close(): void {
    this.closed = true;
  }

  rename(name: string): void {
    this.names.fire(name);
  }

  output(bytes: Uint8Array): void {
    if (!this.shown) {
      this.shown = true;
      this.terminal.show(true);
    }
    this.show(this.decoder.decode(bytes, { stream: true }));
  }

  show(text: string): void {
    if (text === '') return;
    if (this.early) this.early.push(text);
    else this.writes.fire(text);
  }

  handleInput(data: string): void {
    const session = this.session;
    if (!session) return;
    const bytes = Buffer.from(data, 'utf8').toString('base64');
    void Promise.resolve(sendCustomRequest(session, 'uartInput', { uart: this.uart, data: bytes })).catch((e: unknown) => {
      this.show(`\r\n[hvisor: input not delivered: ${e instanceof Error ? e.message : String(e)}]\r\n`);
    });
  }

  dispose(): void {
    this.terminal.dispose();
    this.writes.dispose();
    this.names.dispose();
  }
}

export class UartTerminals implements vscode.Disposable {
  /** By session id, the terminals of its UARTs by index. */
  private readonly bySession = new Map<string, Map<number, UartTerminal>>();
  /** Terminals of sessions that ended, kept to read until the next session. */
  private ended: UartTerminal[] = [];
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.disposables = [
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => this.onEvent(e)),
      vscode.debug.onDidTerminateDebugSession((s) => this.onEnd(s)),
    ];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const t of [...this.ended, ...[...this.bySession.values()].flatMap((m) => [...m.values()])]) t.dispose();
  }

  private onEvent(e: vscode.DebugSessionCustomEvent): void {
    if (e.session.type !== DEBUG_TYPE) return;
    if (e.event === UARTS_EVENT) this.declare(e.session, readUarts(e.body) ?? []);
    else if (e.event === UART_OUTPUT_EVENT) {
      const out = readUartOutput(e.body);
      if (out) this.bySession.get(e.session.id)?.get(out.uart)?.output(out.bytes);
    }
  }

  private declare(session: vscode.DebugSession, uarts: readonly { uart: number; name: string }[]): void {
    for (const t of this.ended.splice(0)) t.dispose();
    let terminals = this.bySession.get(session.id);
    if (!terminals) this.bySession.set(session.id, (terminals = new Map()));
    for (const { uart, name } of uarts) {
      const known = terminals.get(uart);
      if (known && !known.closed) {
        // A restart: the same terminal goes on with the new machine.
        known.rename(name);
        known.show('\r\n[hvisor: restarted]\r\n');
        continue;
      }
      terminals.set(uart, new UartTerminal(session, uart, name));
    }
  }

  private onEnd(session: vscode.DebugSession): void {
    const terminals = this.bySession.get(session.id);
    if (!terminals) return;
    this.bySession.delete(session.id);
    for (const t of terminals.values()) {
      t.session = undefined;
      t.show('\r\n[hvisor: the debug session ended]\r\n');
      this.ended.push(t);
    }
  }
}
