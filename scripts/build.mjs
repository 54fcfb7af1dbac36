// Bundles the shipped entry points into dist/.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

await build({ ...common, entryPoints: ['cli/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } });
// The VS Code extension: `vscode` is provided by the extension host at run time.
await build({ ...common, entryPoints: ['extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] });
// The debug adapter: the engine worker it spawns, and its standalone stdio entry.
await build({ ...common, entryPoints: ['debug-adapter/engine-worker.ts'], outfile: 'dist/engine-worker.js' });
await build({ ...common, entryPoints: ['debug-adapter/main.ts'], outfile: 'dist/debug-adapter.js' });
