// Where the third-party model fixtures live: ../shared/fixtures/models next to the repository (they
// are never copied into it). When they are absent, fixtures.test.ts fails once with a message that
// says so, unless RNN_UNROLL_NO_FIXTURES=1; the other files then register no fixture tests.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readModel } from '../../../src/models';
import { nodeFileSource } from '../../../src/models/nodeSource';
import type { TrainedModel } from '../../../src/models';

function findRepoRoot(): string {
  // Bundled tests run from out/test/unit/…; walk up to the package.json that names this extension.
  for (const start of [__dirname, process.cwd()]) {
    let dir = start;
    for (let i = 0; i < 8; i++) {
      const pkg = join(dir, 'package.json');
      if (existsSync(pkg) && /"name":\s*"rnn-unroll"/.test(readFileSync(pkg, 'utf8'))) return dir;
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return process.cwd();
}

export const repoRoot = findRepoRoot();
export const fixturesRoot = join(repoRoot, '..', 'shared', 'fixtures', 'models');
export const fixturesPresent = existsSync(join(fixturesRoot, 'README.md'));
export const fixturesOptional = process.env.RNN_UNROLL_NO_FIXTURES === '1';

export function fixturePath(rel: string): string {
  return join(fixturesRoot, rel);
}

export function fixtureBytes(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(rel)));
}

export async function loadFixture(rel: string): Promise<TrainedModel> {
  const p = fixturePath(rel);
  return readModel(rel.split('/').pop() as string, fixtureBytes(rel), nodeFileSource(dirname(p)));
}
