// The one build: esbuild bundles for the extension host, the engine worker, the CLI and the webview;
// with --tests also the unit tests, the in-VS-Code suite, the harnesses and the benchmarks.
// Flags: --watch, --production (minified, no source maps), --tests.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const root = new URL('..', import.meta.url).pathname;

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

// tfjs: esbuild would otherwise take each package's CommonJS `main` and drop the backend
// registration imports (DESIGN.md §5); node-fetch is only loaded when globalThis.fetch is missing.
const nodeCommon = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  mainFields: ['module', 'main'],
  external: ['vscode', 'node-fetch'],
};

const products = [
  { ...nodeCommon, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  { ...nodeCommon, entryPoints: { worker: 'src/engine/worker.ts', cli: 'src/cli.ts' }, outdir: 'dist' },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
  },
];

function filesUnder(dir, suffix) {
  let out = [];
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out = out.concat(filesUnder(p, suffix));
    else if (p.endsWith(suffix)) out.push(p);
  }
  return out;
}

if (args.has('--tests')) {
  // Tests keep node_modules external: they run from the repo, where node resolves them.
  const testCommon = { ...common, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', external: ['vscode'] };
  products.push(
    { ...testCommon, entryPoints: filesUnder('test/unit', '.test.ts'), outbase: '.', outdir: 'out' },
    { ...testCommon, entryPoints: filesUnder('test/vscode', '.ts'), outbase: '.', outdir: 'out' },
    { ...testCommon, entryPoints: filesUnder('test/harness', '.ts'), outbase: '.', outdir: 'out' },
    { ...testCommon, entryPoints: filesUnder('test/e2e', '.ts'), outbase: '.', outdir: 'out' },
    { ...testCommon, entryPoints: filesUnder('bench', '.ts'), outbase: '.', outdir: 'out' },
  );
}

function copyWasm() {
  mkdirSync(join(root, 'dist'), { recursive: true });
  const src = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  // Node's wasm backend runs SIMD without threads (DESIGN.md §5): the threaded build is never loaded.
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) cpSync(join(src, f), join(root, 'dist', f));
}

if (!watch && !args.has('--tests')) rmSync(join(root, 'dist'), { recursive: true, force: true });
if (args.has('--tests')) rmSync(join(root, 'out'), { recursive: true, force: true });
copyWasm();
// "Open Example" opens the seed model from the installed extension: the sample ships in dist.
mkdirSync(join(root, 'dist/examples'), { recursive: true });
cpSync(join(root, 'samples/seed_model.py'), join(root, 'dist/examples/seed_model.py'));
if (watch) {
  for (const p of products) await (await esbuild.context(p)).watch();
  console.log('[build] watching for changes');
} else {
  await Promise.all(products.map((p) => esbuild.build(p)));
}
