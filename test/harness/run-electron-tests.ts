// The same in-VS-Code suite on desktop VS Code via @vscode/test-electron, for machines with a
// network (it downloads VS Code). Offline, use `npm run test:vscode` (code-server) instead.
import { runTests } from '@vscode/test-electron';
import { join } from 'node:path';
import { REPO } from './vscode';

runTests({
  extensionDevelopmentPath: REPO,
  extensionTestsPath: join(REPO, 'out/test/vscode/index.js'),
  launchArgs: [join(REPO, 'samples'), '--disable-extensions'],
}).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
