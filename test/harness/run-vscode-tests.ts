// Runs the mocha suite in test/vscode inside the real extension host of code-server. The result
// comes back through the smoke-test hooks window.codeAutomationExit / codeAutomationLog; the exit
// code of this process is the suite's (non-zero when any test fails or nothing reports back).
import { join } from 'node:path';
import { format } from 'node:util';
import { launchChromium, REPO, startVsCode } from './vscode';

const TIMEOUT_MS = 8 * 60_000;
// Workbench chatter that says nothing about our extension (offline lookups, connection set-up).
const NOISE = /^(\[AgentHost|\[AccountPolicyGate|\[Service Worker|\[reconnection-grace-time|Resolving connection|Resolved connection|Creating a socket|Updating additional builtin)|ENOTFOUND/;

async function main(): Promise<number> {
  const t0 = Date.now();
  const server = await startVsCode();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let resolveExit: (code: number) => void = () => {};
    const exited = new Promise<number>((res) => (resolveExit = res));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const text = format(...args);
      if (NOISE.test(text)) return;
      (type === 'error' ? process.stderr : process.stdout).write(text.endsWith('\n') ? text : text + '\n');
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    const testsPath = `vscode-remote://127.0.0.1:${server.port}${join(REPO, 'out/test/vscode/index.js')}`;
    await page.goto(server.url(server.workspace, [['extensionTestsPath', testsPath]]));
    const code = await Promise.race([
      exited,
      new Promise<number>((res) =>
        setTimeout(() => {
          console.error(`[vscode-tests] no result within ${TIMEOUT_MS / 1000} s`);
          res(1);
        }, TIMEOUT_MS),
      ),
    ]);
    console.log(`[vscode-tests] extension host exited with code ${code} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return code;
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
