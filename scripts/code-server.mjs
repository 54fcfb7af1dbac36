// Runs the extension in a real VS Code offline: packages the .vsix, installs
// code-server 4.100.3 into .cache/ when it is missing, installs the .vsix into
// it and serves a folder on 127.0.0.1. `npm start` runs this file; the
// end-to-end test imports the same functions.
//
//   node scripts/code-server.mjs [--port N] [FOLDER]   (default: samples/)

import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSamples } from './build-samples.mjs';
import { requireCommands } from './external-tools.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CODE_SERVER_VERSION = '4.100.3';
/** Newer code-server releases need Node 22; 4.100.3 is the last one for Node 20. */
const CACHE = join(ROOT, '.cache');
const INSTALL_DIR = join(CACHE, `code-server-${CODE_SERVER_VERSION}`);
export const CODE_SERVER_BIN = join(INSTALL_DIR, 'node_modules', '.bin', 'code-server');
/** @vscode/ripgrep's postinstall downloads rg from GitHub unless this cache entry exists. */
const RIPGREP_CACHE = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11', 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');

function log(message) {
  process.stderr.write(`[code-server] ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], cwd: ROOT, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
  return result;
}

/** Installs code-server into .cache/ unless it is there; returns its launcher. */
export function ensureCodeServer() {
  if (existsSync(CODE_SERVER_BIN)) return CODE_SERVER_BIN;
  // Its native modules build against Kerberos; its search is Debian's ripgrep.
  requireCommands('krb5-config', 'rg');
  if (!existsSync(RIPGREP_CACHE)) {
    // A tarball holding just `rg`, Debian's build standing in for the download.
    const stage = mkdtempSync(join(tmpdir(), 'rg-'));
    copyFileSync('/usr/bin/rg', join(stage, 'rg'));
    mkdirSync(dirname(RIPGREP_CACHE), { recursive: true });
    run('tar', ['-czf', RIPGREP_CACHE, '-C', stage, 'rg']);
    rmSync(stage, { recursive: true, force: true });
  }
  log(`installing code-server ${CODE_SERVER_VERSION} into ${INSTALL_DIR} (about a minute)`);
  mkdirSync(INSTALL_DIR, { recursive: true });
  // A package.json of its own, so npm does not walk up into this project's.
  writeFileSync(join(INSTALL_DIR, 'package.json'), '{ "name": "code-server-cache", "private": true }\n');
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', INSTALL_DIR, `code-server@${CODE_SERVER_VERSION}`], {
    // Root installs need unsafe-perm for code-server's postinstall, and node-pty's calls npx.
    env: { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
  });
  if (!existsSync(CODE_SERVER_BIN)) throw new Error(`code-server did not install: ${CODE_SERVER_BIN} is missing`);
  return CODE_SERVER_BIN;
}

/** Packages the built extension (dist/ must be current) and returns the .vsix path. */
export function packageVsix() {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const out = join(ROOT, 'out', `${manifest.name}-${manifest.version}.vsix`);
  mkdirSync(dirname(out), { recursive: true });
  // Everything the extension runs is bundled into dist/, so no node_modules go in.
  run(process.execPath, [join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--out', out]);
  return out;
}

/** Installs a .vsix into an extensions folder, replacing an older copy. */
export function installVsix(bin, vsix, extensionsDir, userDataDir) {
  run(bin, ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** User settings that keep first-run dialogs and tours off the window. */
export function writeUserSettings(userDataDir, extra = {}) {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  const settings = {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    // The samples live inside this repository; the prompt to open it would cover the Debug Console.
    'git.openRepositoryInParentFolders': 'never',
    ...extra,
  };
  writeFileSync(join(dir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

/** A port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts code-server on 127.0.0.1:port serving `folder`; resolves once it
 * listens. The child is its own process group, so stop() ends its workers too.
 */
export function startCodeServer({ bin, port, folder, userDataDir, extensionsDir, stdio = 'pipe' }) {
  const args = [
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    folder,
  ];
  const child = spawn(bin, args, { cwd: ROOT, detached: true, stdio: ['ignore', stdio, stdio] });
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
  let output = '';
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  /** Ends code-server and every process it started (extension host, engine workers); resolves when they are gone. */
  const stop = async () => {
    signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    // Its children may outlive it briefly; whatever is left of the group goes now.
    signalGroup('SIGKILL');
  };
  const ready = new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not listen within 60 s:\n${output}`)), 60_000);
    const onData = (chunk) => {
      output += chunk.toString();
      if (output.includes('HTTP server listening')) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code}:\n${output}`));
    });
    if (stdio !== 'pipe') {
      // Without pipes there is no log line to wait for; poll the port instead.
      const poll = async () => {
        for (;;) {
          try {
            const res = await fetch(`http://127.0.0.1:${port}/healthz`);
            if (res.ok) break;
          } catch {
            // Not up yet.
          }
          await new Promise((r) => setTimeout(r, 250));
        }
        clearTimeout(timer);
        resolveReady();
      };
      void poll();
    }
  });
  return { child, url, ready, stop, log: () => output };
}

/** The whole `npm start` job after the build. */
async function main() {
  const argv = process.argv.slice(2);
  let port = 8080;
  const portAt = argv.indexOf('--port');
  if (portAt >= 0) {
    port = Number(argv[portAt + 1]);
    argv.splice(portAt, 2);
  }
  const folder = resolve(ROOT, argv[0] ?? 'samples');
  // The C samples' images, unless setup built them and their sources have not changed since.
  for (const out of buildSamples()) log(`built ${out.slice(ROOT.length + 1)}`);
  const vsix = packageVsix();
  log(`packaged ${vsix}`);
  const bin = ensureCodeServer();
  const userDataDir = join(CACHE, 'code-server-data');
  const extensionsDir = join(CACHE, 'code-server-extensions');
  installVsix(bin, vsix, extensionsDir, userDataDir);
  writeUserSettings(userDataDir);
  const server = startCodeServer({ bin, port, folder, userDataDir, extensionsDir, stdio: 'inherit' });
  const stopAndExit = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stopAndExit);
  process.on('SIGTERM', stopAndExit);
  await server.ready;
  process.stdout.write(`\nhvisor-debug is installed in code-server ${CODE_SERVER_VERSION}. Open:\n\n  ${server.url}\n\nthen open riscv64-zones/root.S (assembly) or riscv64-c/root.c (C) and press F5. Ctrl+C stops the server.\n\n`);
  server.child.once('exit', (code) => process.exit(code ?? 0));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
