// End to end in a real VS Code in a real browser: the packaged .vsix in
// code-server 4.100.3, driven by playwright-core on Debian's Chromium. It
// installs code-server (and Chromium) when they are missing, so it passes on a
// fresh machine, and it always stops both, whatever happens.
//
// A user's session, once per architecture's sample (samples/riscv64-zones,
// samples/aarch64-zones): press F5, see 4 CPUs with their zones, set a
// breakpoint in root.S where CPU 1 starts and hit it, step CPU 1 and see only
// its pc move, and read PerCpu's cpu_on_entry. Each step leaves a screenshot
// in out/e2e/<sample>/.
//
// Then C at the source level, on samples/riscv64-c (root.c built with gcc -g
// -O0 by scripts/build-samples.mjs): a breakpoint set on a root.c line in the
// editor, F5, the stop on that line with its Locals, and F10 to the next line.
//
// Then the board UART as a terminal, on test/dap/fixtures/uart-echo (a guest
// that echoes what SBI getchar returns): F5, the UART's terminal opens named
// after its zone, and keys typed into it come back as the guest's echo.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { requireCommands } from '../../scripts/external-tools.mjs';
import { C_SAMPLES, ensureCSamples } from '../samples/c-samples';

/** The parts of scripts/code-server.mjs this test uses. */
interface CodeServerScript {
  ROOT: string;
  ensureCodeServer(): string;
  packageVsix(): string;
  installVsix(bin: string, vsix: string, extensionsDir: string, userDataDir: string): void;
  writeUserSettings(userDataDir: string, extra?: Record<string, unknown>): void;
  freePort(): Promise<number>;
  startCodeServer(options: { bin: string; port: number; folder: string; userDataDir: string; extensionsDir: string }): {
    url: string;
    ready: Promise<void>;
    stop(): Promise<void>;
    log(): string;
  };
}

const ROOT = resolve(process.cwd());
// Loaded at run time from node_modules: playwright-core cannot be bundled with the tests.
const { chromium } = createRequire(join(ROOT, 'package.json'))('playwright-core') as typeof import('playwright-core');
const CHROMIUM = '/usr/bin/chromium';
/** Installing code-server takes minutes on a fresh machine; the browser session itself is bounded far lower. */
const TEST_TIMEOUT_MS = 20 * 60_000;
const STEP_TIMEOUT_MS = 60_000;

const VIEWLET = 'div[id="workbench.view.debug"]';
const CALL_STACK = `${VIEWLET} .debug-call-stack`;
/** The debug toolbar, docked in the Run and Debug view's title (settings below). */
const toolbarButton = (page: Page, name: string): Locator => page.locator(`.action-label[aria-label^="${name}"]:visible`).first();
const VARIABLES = `${VIEWLET} .debug-variables`;

let shots = join(ROOT, 'out', 'e2e');
let shot = 0;
async function screenshot(page: Page, name: string): Promise<void> {
  shot += 1;
  await page.screenshot({ path: join(shots, `${String(shot).padStart(2, '0')}-${name}.png`) });
}

/** The 1-based line in root.S of the first instruction after `label:`. */
function lineAfterLabel(file: string, label: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.startsWith(`${label}:`));
  assert.ok(at >= 0, `${label}: not found in ${file}`);
  for (let i = at; i < lines.length; i++) {
    const code = lines[i].replace(/#.*/, '').replace(/^[\w.$]+:/, '').trim();
    if (code !== '') return i + 1;
  }
  throw new Error(`no instruction after ${label}:`);
}

/** Polls `probe` until it returns a value (not undefined), failing after STEP_TIMEOUT_MS. */
async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function threadRow(page: Page, cpu: number): Locator {
  return page.locator(`${CALL_STACK} .monaco-list-row`, { has: page.locator('.thread'), hasText: new RegExp(`CPU ${cpu}\\b`) });
}

/** Focuses a CPU: expands its thread and clicks its top frame, so Variables shows that CPU. */
async function selectCpu(page: Page, cpu: number): Promise<void> {
  const row = threadRow(page, cpu).first();
  await row.waitFor();
  // A click on a collapsed thread expands it; on an expanded one it would collapse it.
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await row.and(page.locator('[aria-expanded="true"]')).waitFor();
  const index = Number(await row.getAttribute('data-index'));
  const top = page.locator(`${CALL_STACK} .monaco-list-row[data-index="${index + 1}"]`).filter({ has: page.locator('.stack-frame') });
  await top.click();
}

function variableRow(page: Page, name: string): Locator {
  return page.locator(`${VARIABLES} .monaco-list-row`).filter({
    has: page.locator('.name, .scope', { hasText: new RegExp(`^\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*[:=]?\\s*$`) }),
  });
}

/** Expands a scope or variable in the Variables pane unless it is open. */
async function expand(page: Page, name: string): Promise<void> {
  const row = variableRow(page, name).first();
  await row.waitFor();
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await variableRow(page, name).and(page.locator('[aria-expanded="true"]')).first().waitFor();
}

async function readVariable(page: Page, name: string): Promise<string> {
  const row = variableRow(page, name).first();
  await row.waitFor();
  return ((await row.locator('.value').textContent()) ?? '').trim();
}

/** Expands `path[0] > path[1] > …` and reads the last one's value. */
async function readPath(page: Page, path: readonly string[]): Promise<string> {
  for (const name of path.slice(0, -1)) await expand(page, name);
  return readVariable(page, path[path.length - 1]);
}

/** Collapses every expanded row in Variables, so the next lookup does not see another scope's names. */
async function collapseVariables(page: Page): Promise<void> {
  const header = page.locator(`${VIEWLET} .pane:has(.debug-variables) .pane-header`);
  await header.hover();
  const collapse = header.locator('.action-label[aria-label^="Collapse All"]');
  if (await collapse.isVisible()) await collapse.click();
  // Back to the top, where the scopes are.
  const list = await page.locator(`${VARIABLES} .monaco-list`).first().boundingBox();
  if (list) {
    await page.mouse.move(list.x + list.width / 2, list.y + list.height / 2);
    await page.mouse.wheel(0, -10_000);
  }
}

/**
 * Reads a row the Variables pane may have scrolled out of view: the list only
 * renders visible rows, so it scrolls down until the row appears.
 */
async function readVariableScrolling(page: Page, name: string): Promise<string> {
  const list = page.locator(`${VARIABLES} .monaco-list`).first();
  const box = await list.boundingBox();
  if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  return waitUntil(`${name} in Variables`, async () => {
    const row = variableRow(page, name).first();
    const rowBox = (await row.count()) > 0 ? await row.boundingBox() : null;
    // Rendered is not enough: the row must lie inside the pane, so the screenshot shows it.
    if (rowBox && box && rowBox.y + rowBox.height <= box.y + box.height) {
      return ((await row.locator('.value').textContent()) ?? '').trim();
    }
    await page.mouse.wheel(0, 150);
    return undefined;
  });
}

/** A CPU's pc as the Variables pane shows it (Registers, after x0-x31). */
async function readPc(page: Page, cpu: number): Promise<string> {
  await selectCpu(page, cpu);
  await collapseVariables(page);
  await expand(page, 'Registers');
  return readVariableScrolling(page, 'pc');
}

for (const sample of ['riscv64-zones', 'aarch64-zones']) {
  test(`F5 on samples/${sample} in code-server: 4 CPUs, solo step, PerCpu, a .S breakpoint`, { timeout: TEST_TIMEOUT_MS }, () => session(sample));
}

test('F5 on samples/riscv64-c in code-server: a root.c breakpoint stops there with its Locals, F10 steps to the next line', { timeout: TEST_TIMEOUT_MS }, () => cSession());

test("F5 on an echoing guest in code-server: keys typed into the UART's terminal come back as its echo", { timeout: TEST_TIMEOUT_MS }, () => uartSession());

/** The 1-based line of the only line in `file` that contains `text`. */
function lineOf(file: string, text: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.flatMap((l, i) => (l.includes(text) ? [i + 1] : []));
  assert.equal(at.length, 1, `"${text}" is on exactly one line of ${file}`);
  return at[0]!;
}

/** A browser on code-server serving `folder`, with the packaged extension installed; `body` drives it. */
async function withWorkbench(folder: string, body: (page: Page) => Promise<void>): Promise<void> {
  const script = (await import(pathToFileURL(join(ROOT, 'scripts', 'code-server.mjs')).href)) as CodeServerScript;
  requireCommands('chromium');
  const bin = script.ensureCodeServer();
  // `npm test` builds first; a run of this file alone builds if nothing is there. It never
  // rebuilds under the other tests' feet, which run dist/debug-adapter.js concurrently.
  if (!existsSync(join(ROOT, 'dist', 'extension.js'))) {
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(built.status, 0, 'the build failed');
  }
  const vsix = script.packageVsix();
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  const scratch = mkdtempSync(join(ROOT, 'out', 'e2e-profile-'));
  const userDataDir = join(scratch, 'data');
  const extensionsDir = join(scratch, 'extensions');
  script.installVsix(bin, vsix, extensionsDir, userDataDir);
  // The DOM renderer puts the terminal's text in the page, where the UART test reads it.
  script.writeUserSettings(userDataDir, { 'debug.toolBarLocation': 'docked', 'workbench.editor.enablePreview': false, 'terminal.integrated.gpuAcceleration': 'off' });
  const port = await script.freePort();
  const server = script.startCodeServer({ bin, port, folder, userDataDir, extensionsDir });
  let browser: Browser | undefined;
  let page: Page | undefined;
  try {
    await server.ready;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await page.goto(server.url);
    await page.locator('.monaco-workbench').waitFor();
    await body(page);
  } catch (error) {
    if (page) {
      await screenshot(page, 'failure').catch(() => undefined);
      // The views' DOM, to see what a selector missed.
      const html = await page.locator(VIEWLET).innerHTML().catch(() => '');
      writeFileSync(join(shots, 'failure-debug-view.html'), html);
    }
    process.stderr.write(`code-server log:\n${server.log().slice(-4000)}\n`);
    throw error;
  } finally {
    await browser?.close().catch(() => undefined);
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The top frame's row of a CPU in the Call Stack (its thread expanded). */
function topFrameRow(page: Page, cpu: number): Locator {
  return threadRow(page, cpu).first().locator('xpath=following-sibling::div[1]');
}

async function cSession(): Promise<void> {
  ensureCSamples();
  const SAMPLE = C_SAMPLES.riscv64;
  const ROOT_C = join(SAMPLE, 'root.c');
  const increment = lineOf(ROOT_C, 'counter = counter + 1;');
  const unlock = lineOf(ROOT_C, 'spin_unlock(&counter_lock);');
  shots = join(ROOT, 'out', 'e2e', 'riscv64-c');
  shot = 0;
  await withWorkbench(SAMPLE, async (page) => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'root.c' }).waitFor();
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('root.c');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'root.c' }).first().waitFor();
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor();
    await page.locator('.tab.active', { hasText: 'root.c' }).waitFor();

    // The breakpoint on the counter's increment, set in the editor before the session starts.
    await editor.click({ position: { x: 400, y: 200 } });
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').fill(`:${increment}`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('F9');
    await page.locator('.monaco-editor .codicon-debug-breakpoint').first().waitFor();
    await screenshot(page, 'root-c-breakpoint-set');

    // F5: no debugger claims C files, so VS Code may ask which one; the launch file beside root.c is the -O0 one.
    await page.keyboard.press('Control+Shift+D');
    await page.locator(VIEWLET).waitFor();
    await editor.click({ position: { x: 400, y: 200 } });
    await page.keyboard.press('F5');
    // The debug toolbar shows while VS Code asks, so only a CPU in the Call Stack says the session runs.
    const quickPick = page.locator('.quick-input-widget:visible .quick-input-list .monaco-list-row', { hasText: /^hvisor/ });
    const first = await Promise.race([
      threadRow(page, 0).first().waitFor().then(() => 'debugging' as const),
      quickPick.first().waitFor().then(() => 'pick' as const),
    ]);
    if (first === 'pick') await quickPick.first().click();
    for (const cpu of [0, 1, 2]) await threadRow(page, cpu).first().waitFor();
    await screenshot(page, 'stopped-on-entry');

    // Continue: CPU 0 counts first and stops on the root.c line, which the editor marks as the current line.
    await toolbarButton(page, 'Continue').click();
    await page.locator(`${CALL_STACK} .monaco-list-row`, { has: page.locator('.thread'), hasText: /CPU 0\b.*breakpoint/i }).first().waitFor();
    await page.locator('.monaco-editor .codicon-debug-stackframe').first().waitFor();
    await page.locator('.tab.active', { hasText: 'root.c' }).waitFor();
    const atBreakpoint = await waitUntil(`CPU 0's top frame at root.c:${increment}`, async () => {
      const text = (await topFrameRow(page, 0).textContent()) ?? '';
      return new RegExp(`count.*root\\.c\\s*${increment}\\b`).test(text) ? text : undefined;
    });
    assert.match(atBreakpoint, /count/);
    await screenshot(page, 'root-c-breakpoint-hit');

    // Locals: count's first round on CPU 0, with me pointing at cpus[0].
    await selectCpu(page, 0);
    await collapseVariables(page);
    await expand(page, 'Locals');
    assert.equal(await readVariable(page, 'round'), '0');
    assert.match(await readVariable(page, 'me'), /^0x[0-9a-f]+ <cpus>$/);
    await screenshot(page, 'root-c-locals');

    // F10 steps CPU 0 over the increment: the Call Stack's line moves to the unlock.
    await editor.click({ position: { x: 400, y: 200 } });
    await page.keyboard.press('F10');
    const afterStep = await waitUntil(`CPU 0's top frame at root.c:${unlock} after F10`, async () => {
      const text = (await topFrameRow(page, 0).textContent()) ?? '';
      return new RegExp(`count.*root\\.c\\s*${unlock}\\b`).test(text) ? text : undefined;
    });
    assert.match(afterStep, /count/);
    await screenshot(page, 'root-c-after-f10');

    await toolbarButton(page, 'Stop').click();
    await threadRow(page, 0).waitFor({ state: 'detached' });
  });
}

async function uartSession(): Promise<void> {
  const FOLDER = join(ROOT, 'test', 'dap', 'fixtures', 'uart-echo');
  shots = join(ROOT, 'out', 'e2e', 'uart-echo');
  shot = 0;
  await withWorkbench(FOLDER, async (page) => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'echo.S' }).waitFor();
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('echo.S');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'echo.S' }).first().waitFor();
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor();
    await page.keyboard.press('Control+Shift+D');
    await page.locator(VIEWLET).waitFor();
    await editor.click({ position: { x: 400, y: 200 } });
    await page.keyboard.press('F5');
    const quickPick = page.locator('.quick-input-widget:visible .quick-input-list .monaco-list-row', { hasText: /hvisor/ });
    // The launch file does not stop on entry: the machine runs at once.
    const first = await Promise.race([
      toolbarButton(page, 'Pause').waitFor().then(() => 'debugging' as const),
      quickPick.first().waitFor().then(() => 'pick' as const),
    ]);
    if (first === 'pick') await quickPick.first().click();
    await toolbarButton(page, 'Pause').waitFor();

    // The terminal opens by itself at the guest's first output, named after the zone, and shows its prompt.
    const rows = page.locator('.terminal-wrapper.active .xterm-rows').first();
    await rows.waitFor();
    await page.locator('.panel', { hasText: 'hvisor UART — zone 0 (root-linux)' }).first().waitFor();
    await waitUntil("the guest's prompt in the UART terminal", async () => (/^> /.test(((await rows.textContent()) ?? '').trim() + ' ') ? true : undefined));
    await screenshot(page, 'uart-terminal-prompt');

    // Typed while the machine runs: the guest echoes each key.
    await page.locator('.terminal-wrapper.active .xterm').first().click();
    await page.keyboard.type('hello hvisor');
    const echoed = await waitUntil('the echo in the UART terminal', async () => {
      const text = (await rows.textContent()) ?? '';
      return text.includes('> hello hvisor') ? text : undefined;
    });
    assert.match(echoed, /> hello hvisor/);
    await screenshot(page, 'uart-terminal-echo');

    await toolbarButton(page, 'Stop').click();
    await toolbarButton(page, 'Pause').waitFor({ state: 'detached' });
  });
}

async function session(sample: string): Promise<void> {
  const SAMPLE = join(ROOT, 'samples', sample);
  shots = join(ROOT, 'out', 'e2e', sample);
  shot = 0;
  await withWorkbench(SAMPLE, async (page) => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'root.S' }).waitFor();
    await screenshot(page, 'workbench');

    // Open root.S; its language is the one the hvisor debugger claims, so F5 picks hvisor.
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('root.S');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'root.S' }).first().waitFor();
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor();
    await page.locator('.tab.active', { hasText: 'root.S' }).waitFor();
    await editor.click({ position: { x: 400, y: 200 } });
    await screenshot(page, 'root-S-open');

    // F5 with no .vscode/launch.json: the configuration comes from the sample's launch file.
    await page.keyboard.press('Control+Shift+D');
    await page.locator(VIEWLET).waitFor();
    // A wider side bar, so the CPUs' names and values are not cut off in the screenshots.
    const sideBar = await page.locator('.part.sidebar').boundingBox();
    if (sideBar) {
      await page.mouse.move(sideBar.x + sideBar.width + 1, sideBar.y + sideBar.height / 2);
      await page.mouse.down();
      await page.mouse.move(sideBar.x + sideBar.width + 300, sideBar.y + sideBar.height / 2, { steps: 5 });
      await page.mouse.up();
    }
    await editor.click({ position: { x: 400, y: 200 } });
    await page.keyboard.press('F5');
    const quickPick = page.locator('.quick-input-widget:visible .quick-input-list .monaco-list-row', { hasText: /hvisor/ });
    // Without a guess VS Code asks for the debugger; pick hvisor then.
    const first = await Promise.race([
      toolbarButton(page, 'Step Over').waitFor().then(() => 'debugging' as const),
      quickPick.first().waitFor().then(() => 'pick' as const),
    ]);
    if (first === 'pick') await quickPick.first().click();
    await toolbarButton(page, 'Step Over').waitFor();

    // The Call Stack lists every CPU with its zone.
    for (const cpu of [0, 1, 2, 3]) await threadRow(page, cpu).waitFor();
    const threads = await page.locator(`${CALL_STACK} .monaco-list-row .thread .name`).allTextContents();
    assert.equal(threads.length, 4, `threads: ${threads.join(' | ')}`);
    assert.match(threads.join('\n'), /CPU 0 · root/);
    assert.match(threads.join('\n'), /CPU 2 .*zone 1|CPU 2 .*parked/);
    await screenshot(page, 'call-stack-4-cpus');

    // A breakpoint where CPU 1 enters (root.S's cpu1_entry), then Continue: CPU 1 hits it.
    const line = lineAfterLabel(join(SAMPLE, 'root.S'), 'cpu1_entry');
    await editor.click({ position: { x: 400, y: 200 } });
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').fill(`:${line}`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('F9');
    await page.locator('.monaco-editor .codicon-debug-breakpoint').first().waitFor();
    await screenshot(page, 'breakpoint-set');
    await toolbarButton(page, 'Continue').click();
    await page.locator(`${CALL_STACK} .monaco-list-row`, { has: page.locator('.thread'), hasText: /CPU 1\b.*breakpoint/i }).first().waitFor();
    await page.locator('.monaco-editor .codicon-debug-stackframe').first().waitFor();
    const cpu1Text = (await threadRow(page, 1).textContent()) ?? '';
    assert.match(cpu1Text, /breakpoint/i, `CPU 1 should be the CPU that hit the breakpoint: ${cpu1Text}`);
    await screenshot(page, 'breakpoint-hit-cpu1');

    // The extension's per-CPU actions: freeze CPU 2 from the Call Stack's context menu, then thaw it.
    const freeze = async (): Promise<void> => {
      await threadRow(page, 2).first().click({ button: 'right' });
      // Monaco's menu acts on the focused item: hover focuses it, Enter runs it.
      await page.locator('.monaco-menu .action-label', { hasText: 'Freeze/Thaw CPU' }).hover();
      await page.keyboard.press('Enter');
      await page.locator('.monaco-menu').waitFor({ state: 'detached' });
    };
    await freeze();
    await threadRow(page, 2).filter({ hasText: /frozen/i }).first().waitFor();
    await page.locator('.statusbar-item', { hasText: 'frozen: CPU 2' }).waitFor();
    await screenshot(page, 'cpu2-frozen');
    await freeze();
    await threadRow(page, 2).filter({ hasText: /frozen/i }).waitFor({ state: 'detached' });
    // The toolbar toggle switches to solo and back; the status bar says which.
    await toolbarButton(page, 'Run Mode: All CPUs').click();
    await page.locator('.statusbar-item', { hasText: 'hvisor: solo CPU' }).waitFor();
    await screenshot(page, 'solo-mode');
    await toolbarButton(page, 'Run Mode: Solo CPU').click();
    await page.locator('.statusbar-item', { hasText: 'hvisor: all CPUs' }).waitFor();

    // Step CPU 1 over one line: its pc moves, CPU 0's does not.
    const cpu0Before = await readPc(page, 0);
    const cpu1Before = await readPc(page, 1);
    await screenshot(page, 'cpu1-selected-before-step');
    await toolbarButton(page, 'Step Over').click();
    await waitUntil('CPU 1 to stop after Step Over ("Paused on step" in the Call Stack)', async () => {
      const text = (await threadRow(page, 1).first().textContent()) ?? '';
      return /paused on step/i.test(text) ? text : undefined;
    });
    // The step is over when the Variables pane shows CPU 1 at a new pc.
    const cpu1After = await waitUntil('CPU 1 pc to move after Step Over', async () => {
      const pc = await readPc(page, 1);
      return pc !== cpu1Before ? pc : undefined;
    });
    assert.notEqual(cpu1After, cpu1Before, 'CPU 1 pc after Step Over');
    await screenshot(page, 'cpu1-after-step');
    const cpu0After = await readPc(page, 0);
    assert.equal(cpu0After, cpu0Before, 'CPU 0 pc must not move while CPU 1 steps');
    await screenshot(page, 'cpu0-unchanged');

    // CPU 1's PerCpu: hart_start set cpu_on_entry to cpu1_entry's address.
    await selectCpu(page, 1);
    await collapseVariables(page);
    const onEntry = await readPath(page, ['PerCpu', 'cpu_on_entry']);
    assert.match(onEntry, /^0x[0-9a-f]+/i, `cpu_on_entry is ${onEntry}`);
    assert.equal(onEntry.toLowerCase(), cpu1Before.toLowerCase(), 'hart_start made cpu1_entry (where the breakpoint hit) CPU 1\'s cpu_on_entry');
    await screenshot(page, 'percpu-cpu-on-entry');

    await toolbarButton(page, 'Stop').click();
    await threadRow(page, 0).waitFor({ state: 'detached' });
    await screenshot(page, 'stopped');
  });
}
