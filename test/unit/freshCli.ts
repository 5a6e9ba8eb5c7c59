// The CLI for tests that spawn it: dist/cli.js when it is newer than the sources it depends on,
// otherwise a bundle of src/cli.ts made for this test run (dist may predate a change).
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The repository root: this file is bundled into test files at different depths under out/. */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const REPO = repoRoot();

function staleAgainst(file: string, paths: readonly string[]): boolean {
  const built = statSync(file).mtimeMs;
  const walk = (p: string): boolean => (statSync(p).isDirectory() ? readdirSync(p).some((f) => walk(join(p, f))) : statSync(p).mtimeMs > built);
  return paths.some((p) => existsSync(join(REPO, p)) && walk(join(REPO, p)));
}

/** Path of a CLI at least as new as `sources` (repository-relative files or folders). */
export async function freshCli(sources: readonly string[]): Promise<string> {
  const dist = join(REPO, 'dist/cli.js');
  if (existsSync(dist) && !staleAgainst(dist, sources)) return dist;
  const esbuild = await import('esbuild');
  const out = join(mkdtempSync(join(tmpdir(), 'rnn-unroll-cli-')), 'cli.js');
  await esbuild.build({
    entryPoints: [join(REPO, 'src/cli.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    mainFields: ['module', 'main'],
    external: ['vscode', 'node-fetch'],
    outfile: out,
    logLevel: 'error',
  });
  return out;
}
