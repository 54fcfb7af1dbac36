// The VS Code side of hvisor-debug: registers the `hvisor` debug type, runs
// the debug adapter inline in the extension host (the engine itself runs in
// the adapter's worker thread, so the host never blocks), routes --trace
// output to an output channel, adds the per-CPU controls, and opens a
// terminal for each board UART.

import * as vscode from 'vscode';
import { HvisorDebugSession } from '../debug-adapter/session';
import { DEBUG_TYPE, HvisorConfigurationProvider } from './configurations';
import { CpuControls } from './cpu-controls';
import { UartTerminals } from './uart-terminals';
import { traceText } from '../protocol/trace-output';

class InlineAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  createDebugAdapterDescriptor(): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    return new vscode.DebugAdapterInlineImplementation(new HvisorDebugSession());
  }
}

export function activate(context: vscode.ExtensionContext): void {
  const trace = vscode.window.createOutputChannel('hvisor trace');
  const provider = new HvisorConfigurationProvider();
  context.subscriptions.push(
    trace,
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider, vscode.DebugConfigurationProviderTriggerKind.Initial),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new InlineAdapterFactory()),
    // Trace lines are too many for the Debug Console; the tracker sees them before the UI does.
    vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
      createDebugAdapterTracker(session) {
        if (session.configuration.trace === true) trace.appendLine(`--- ${session.name} ---`);
        return {
          onDidSendMessage(message: unknown) {
            const text = traceText(message);
            if (text !== undefined) trace.append(text);
          },
        };
      },
    }),
    vscode.commands.registerCommand('hvisor.showTrace', () => trace.show(true)),
    new CpuControls(),
    new UartTerminals(),
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
