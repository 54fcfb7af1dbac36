// Starts the standalone adapter (dist/debug-adapter.js) under a DebugClient and
// launches the riscv64-zones sample, for the DAP tests.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

export const SAMPLE = resolve('samples/riscv64-zones');
export const AARCH64_SAMPLE = resolve('samples/aarch64-zones');

/** The sample's launch.json (riscv64-zones unless `sample` names another folder) as a VS Code launch configuration. */
export function sampleConfig(extra: Record<string, unknown> = {}, sample = SAMPLE): Record<string, unknown> {
  const launch = JSON.parse(readFileSync(`${sample}/launch.json`, 'utf8')) as Record<string, unknown>;
  return { type: 'hvisor', request: 'launch', name: 'test', cwd: sample, ...launch, ...extra };
}

export async function startClient(): Promise<DebugClient> {
  const dc = new DebugClient('node', resolve('dist/debug-adapter.js'), 'hvisor', {}, true);
  dc.defaultTimeout = 20_000;
  await dc.start();
  return dc;
}

/** Launch stopped on entry, with these exception filters set during configuration. */
export async function launchOnEntry(dc: DebugClient, extra: Record<string, unknown> = {}, filters: string[] = [], sample = SAMPLE): Promise<DebugProtocol.StoppedEvent> {
  const configured = dc.waitForEvent('initialized').then(async () => {
    await dc.setExceptionBreakpointsRequest({ filters });
    await dc.configurationDoneRequest();
  });
  const [, , stopped] = await Promise.all([configured, dc.launch(sampleConfig({ stopOnEntry: true, ...extra }, sample)), dc.waitForEvent('stopped')]);
  return stopped as DebugProtocol.StoppedEvent;
}

export async function threadNames(dc: DebugClient): Promise<string[]> {
  return (await dc.threadsRequest()).body.threads.map((t) => t.name);
}

/** Continue a thread and wait for the stop it causes. */
export async function continueTo(dc: DebugClient, threadId = 1): Promise<DebugProtocol.StoppedEvent> {
  const [, stop] = await Promise.all([dc.continueRequest({ threadId }), dc.waitForEvent('stopped')]);
  return stop as DebugProtocol.StoppedEvent;
}

/** Execute exactly one instruction (stepIn: a `next` by instruction runs a call until it returns). */
export async function stepInstruction(dc: DebugClient, threadId: number): Promise<DebugProtocol.StoppedEvent> {
  const [, stop] = await Promise.all([dc.stepInRequest({ threadId, granularity: 'instruction' }), dc.waitForEvent('stopped')]);
  return stop as DebugProtocol.StoppedEvent;
}

/** Every variable of a scope by name, expanding nothing. */
export async function scopeVariables(dc: DebugClient, threadId: number, scope: string): Promise<Map<string, DebugProtocol.Variable>> {
  const frames = (await dc.stackTraceRequest({ threadId })).body.stackFrames;
  const scopes = (await dc.scopesRequest({ frameId: frames[0]!.id })).body.scopes;
  const s = scopes.find((x) => x.name === scope);
  if (!s) throw new Error(`no scope ${scope}: ${scopes.map((x) => x.name).join(', ')}`);
  const vars = (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
  return new Map(vars.map((v) => [v.name, v]));
}

export async function children(dc: DebugClient, v: DebugProtocol.Variable): Promise<Map<string, DebugProtocol.Variable>> {
  const vars = (await dc.variablesRequest({ variablesReference: v.variablesReference })).body.variables;
  return new Map(vars.map((x) => [x.name, x]));
}

/** Collect stdout output events until the session terminates. */
export function collectOutput(dc: DebugClient): { text: () => string } {
  let text = '';
  dc.on('output', (e: DebugProtocol.OutputEvent) => {
    if (e.body.category === 'stdout') text += e.body.output;
  });
  return { text: () => text };
}
