// Webview frame times (issue 5, Benchmark): the real panel bundle (dist/webview.js with
// media/*.css) in Debian's Chromium through Playwright, fed a real engine trace for LSTM T=200,
// H=256, D=8. A temporary page reproduces the panel's body (taken from src/panel.ts at run time so
// it cannot drift) with `acquireVsCodeApi` stubbed; the host's messages are delivered with
// window.postMessage. Frame times are requestAnimationFrame deltas (target p95 ≤ 16 ms; at 60 Hz
// one frame is 16.7 ms, so that reads "no dropped frame"). Tier: drawing only — the trace is
// computed in Node before the page sees it, and the Jacobian norms (second tier) are not sent.
// `benchLensClick` measures lens click → gradient chart in a real VS Code (code-server).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { traceSpecFromLayer } from '../src/engine/fromLayer';
import { runJob } from '../src/engine/worker';
import { WEBVIEW_STRINGS, type Scene } from '../src/protocol';
import { DEFAULT_SCENE, initialParams, sceneFor } from '../src/scene';
import { kerasDefaults, type LayerSpec, type Trace } from '../src/spec';
import { quantile, type BenchRow } from './stats';

const REPO = join(__dirname, '../..');

/**
 * The code-server/Chromium harness, loaded from its own build (out/test/harness, made by
 * `node .ci/build.mjs --tests`) rather than bundled here: it finds the repo from its own
 * __dirname, which would point elsewhere inside this bundle.
 */
function harness(): typeof import('../test/harness/vscode') {
  const file = join(REPO, 'out/test/harness/vscode.js');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`node .ci/build.mjs --tests\` first`);
  return createRequire(__filename)(file) as typeof import('../test/harness/vscode');
}
const T = 200;
const H = 256;
const D = 8;
const VERSION = 1;
/** Fastest playback speed the panel offers (controls.ts SPEEDS). */
const SPEED = '32';
/** Dispatches of the trace message: the first is cold (first chart, JIT), the rest warm. */
const TRACE_RUNS = 6;

/** A sample of times as a row: median and p90 in the columns, p95 and max in the note. */
function row(name: string, samples: number[], extra = ''): BenchRow {
  const sorted = [...samples].sort((a, b) => a - b);
  const p95 = quantile(sorted, 0.95);
  const note = `p95 ${p95.toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms, n=${samples.length}${extra ? `; ${extra}` : ''}`;
  return { name, median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), unit: 'ms', note };
}

function lstmScene(): Scene {
  const spec: LayerSpec = {
    framework: 'keras',
    kind: 'lstm',
    className: 'LSTM',
    units: H,
    unitsText: String(H),
    inputDim: D,
    timesteps: T,
    ...kerasDefaults('lstm'),
    returnSequences: true,
    bidirectional: null,
    inTimeDistributed: false,
    head: null,
    range: { line: 0, character: 0, endLine: 0, endCharacter: 4 },
    symbolic: [],
  };
  const params = { ...initialParams(spec, DEFAULT_SCENE), timesteps: T, units: H, inputDim: D };
  const fill = (m: string, ...args: (string | number)[]) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
  return sceneFor(spec, 'bench.py:1', params, VERSION, fill);
}

async function engineTrace(scene: Scene): Promise<Trace> {
  const spec = { ...traceSpecFromLayer(scene.spec, scene.params), units: H, inputDim: D, timesteps: T };
  const r = await runJob({ kind: 'trace', spec, seed: 1, weights: null, input: null, loss: null, recurrentScale: null }, () => false);
  if (r.kind !== 'trace') throw new Error(`engine answered ${r.kind}`);
  return r.trace;
}

/** Float64Arrays do not survive page.evaluate's JSON: send their bytes as base64 and rebuild them in the page. */
function pack(value: unknown): unknown {
  if (value instanceof Float64Array) return { __f64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (Array.isArray(value)) return value.map(pack);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pack(v)]));
  return value;
}

/** The panel's `<main id="app">…</main>`, as src/panel.ts writes it. */
function panelBody(): string {
  const source = readFileSync(join(REPO, 'src/panel.ts'), 'utf8');
  const m = /<main id="app"[\s\S]*?<\/main>/.exec(source);
  if (!m) throw new Error('src/panel.ts: no <main id="app"> markup found');
  return m[0];
}

/** VS Code's Dark Modern colours for the variables the stylesheets read (the webview gets them from VS Code). */
const THEME_VARS = `
  --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: monospace;
  --vscode-foreground: #cccccc; --vscode-descriptionForeground: #9d9d9d; --vscode-sideBar-background: #181818;
  --vscode-editor-background: #1f1f1f; --vscode-editorWidget-background: #202020; --vscode-panel-border: #2b2b2b;
  --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #026ec1;
  --vscode-button-secondaryBackground: #313131; --vscode-button-secondaryForeground: #cccccc; --vscode-focusBorder: #0078d4;
  --vscode-input-background: #313131; --vscode-input-foreground: #cccccc; --vscode-input-border: #3c3c3c;
  --vscode-charts-green: #89d185; --vscode-charts-blue: #3794ff; --vscode-charts-purple: #b180d7; --vscode-charts-red: #f14c4c;
  --vscode-charts-orange: #d18616; --vscode-charts-yellow: #cca700; --vscode-editorWarning-foreground: #cca700;
  --vscode-errorForeground: #f85149;`;

function pageHtml(): string {
  const asset = (...p: string[]) => pathToFileURL(join(REPO, ...p)).href;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<link href="${asset('media', 'panel.css')}" rel="stylesheet">
<link href="${asset('media', 'charts.css')}" rel="stylesheet">
<style>:root {${THEME_VARS} }</style>
<title>RNN Unroll bench</title>
</head>
<body>
${panelBody()}
<script src="${asset('dist', 'webview.js')}"></script>
</body>
</html>`;
}

/** What the page's stubbed VS Code API received, for waiting on `ready` / `rendered` and catching errors. */
type Posted = { type: string; message?: string }[];

async function waitPosted(page: Page, type: string): Promise<void> {
  await page.waitForFunction((t) => ((window as unknown as { __posted: Posted }).__posted ?? []).some((m) => m.type === t), type, { timeout: 30_000 });
}

async function postedErrors(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __posted: Posted }).__posted.filter((m) => m.type === 'error').map((m) => String(m.message)));
}

/** Loads the panel page with the scene shown and the trace stored (rebuilt) in the page, not yet sent. */
async function openPanel(browser: Browser, dir: string, scene: Scene, trace: Trace): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 520, height: 1000 } });
  await page.addInitScript(() => {
    const posted: unknown[] = [];
    const w = window as unknown as { __posted: unknown[]; acquireVsCodeApi: () => unknown };
    w.__posted = posted;
    w.acquireVsCodeApi = () => ({
      postMessage(m: unknown) {
        posted.push(m);
      },
      getState() {
        return undefined;
      },
      setState() {},
    });
  });
  const file = join(dir, 'panel.html');
  writeFileSync(file, pageHtml());
  await page.goto(pathToFileURL(file).href);
  await waitPosted(page, 'ready');
  const strings = Object.fromEntries(WEBVIEW_STRINGS.map((s) => [s, s]));
  await page.evaluate(
    ({ strings, scene, packed }) => {
      const unpack = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(unpack);
        if (v === null || typeof v !== 'object') return v;
        const o = v as Record<string, unknown>;
        if (typeof o.__f64 === 'string') {
          const bin = atob(o.__f64);
          const bytes = new Uint8Array(bin.length);
          for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
          return new Float64Array(bytes.buffer);
        }
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unpack(x)]));
      };
      (window as unknown as { __trace: unknown }).__trace = unpack(packed);
      window.postMessage({ type: 'strings', strings }, '*');
      window.postMessage({ type: 'show', scene }, '*');
    },
    { strings, scene, packed: pack(trace) },
  );
  await waitPosted(page, 'rendered');
  return page;
}

/** Time from posting the `trace` message to two animation frames after the panel handled it. */
async function traceToFrame(page: Page): Promise<number> {
  return page.evaluate(async (version) => {
    const trace = (window as unknown as { __trace: unknown }).__trace;
    const done = new Promise<void>((res) => {
      // Added after the panel's own listener, so it runs once the panel has handled the message.
      window.addEventListener('message', () => requestAnimationFrame(() => requestAnimationFrame(() => res())), { once: true });
    });
    const t0 = performance.now();
    window.postMessage({ type: 'trace', version, trace }, '*');
    await done;
    return performance.now() - t0;
  }, VERSION);
}

/** rAF timestamps from pressing Play until the phase reads "BPTT reached step 1", with the phase at each frame. */
async function playFrames(page: Page): Promise<{ t: number; phase: string }[]> {
  await page.locator('.playback select').selectOption(SPEED);
  return page.evaluate(
    () =>
      new Promise<{ t: number; phase: string }[]>((res, rej) => {
        const phase = document.querySelector('.playback .phase')!;
        const frames: { t: number; phase: string }[] = [];
        const deadline = performance.now() + 60_000;
        const frame = (t: number) => {
          const text = phase.textContent ?? '';
          frames.push({ t, phase: text.startsWith('BPTT') ? 'backward' : text.startsWith('forward') ? 'forward' : 'other' });
          if (text === 'BPTT reached step 1') res(frames);
          else if (t > deadline) rej(new Error(`playback did not finish: ${text}`));
          else requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
        (document.querySelector('.playback button.primary') as HTMLButtonElement).click();
      }),
  );
}

/** Moves the scrubber to every position 1…2T, one per frame: rAF deltas and the synchronous redraw time. */
async function seekFrames(page: Page): Promise<{ deltas: number[]; work: number[] }> {
  return page.evaluate(
    (max) =>
      new Promise<{ deltas: number[]; work: number[] }>((res) => {
        const scrub = document.querySelector('.playback input[type=range]') as HTMLInputElement;
        const deltas: number[] = [];
        const work: number[] = [];
        let position = 0;
        let last = -1;
        const frame = (t: number) => {
          if (last >= 0) deltas.push(t - last);
          last = t;
          if (position === max) return res({ deltas, work });
          position++;
          scrub.value = String(position);
          const w0 = performance.now();
          scrub.dispatchEvent(new Event('input', { bubbles: true }));
          work.push(performance.now() - w0);
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
    2 * T,
  );
}

export async function benchWebview(): Promise<BenchRow[]> {
  const scene = lstmScene();
  const trace = await engineTrace(scene);
  const dir = mkdtempSync(join(tmpdir(), 'rnn-unroll-bench-webview-'));
  const browser = await harness().launchChromium();
  const label = `LSTM T=${T} H=${H}`;
  try {
    const page = await openPanel(browser, dir, scene, trace);
    const first: number[] = [];
    for (let i = 0; i < TRACE_RUNS; i++) first.push(await traceToFrame(page));
    const rows: BenchRow[] = [
      row(`webview first frame after trace, cold (${label})`, first.slice(0, 1), 'first trace message: charts and heatmaps drawn for the first time'),
      row(`webview first frame after trace, warm (${label})`, first.slice(1), 'the same trace message again'),
    ];
    const frames = await playFrames(page);
    const deltas = (phase: string) => frames.slice(1).flatMap((f, i) => (f.phase === phase && frames[i].phase === phase ? [f.t - frames[i].t] : []));
    rows.push(row(`webview play forward, rAF delta (${label}, ${SPEED} steps/s)`, deltas('forward'), 'target p95 ≤ 16 ms (one 60 Hz frame = 16.7)'));
    rows.push(row(`webview play BPTT, rAF delta (${label}, ${SPEED} steps/s)`, deltas('backward'), 'target p95 ≤ 16 ms (one 60 Hz frame = 16.7)'));
    const seek = await seekFrames(page);
    rows.push(row(`webview seek every frame, rAF delta (${label})`, seek.deltas, `redraw at each of the ${2 * T} positions`));
    rows.push(row(`webview seek every frame, redraw JS time (${label})`, seek.work, 'synchronous input handler: graph highlight, heatmaps, chart progress'));
    // What was measured, for a person to look at: BENCH_SCREENSHOT=/tmp/panel.png.
    if (process.env.BENCH_SCREENSHOT) await page.screenshot({ path: process.env.BENCH_SCREENSHOT, fullPage: true });
    const errors = await postedErrors(page);
    if (errors.length) throw new Error(`the webview reported errors: ${errors.join('; ')}`);
    return rows;
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- Lens click → gradient chart, in a real VS Code ----

function panelFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
}

async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active[aria-label^="${name}"]`).waitFor();
}

/** The gradient chart of a newly drawn trace: LSTM charts carry ‖∂L/∂c_t‖ (series s1), GRU charts do not. */
const CHART_OF = {
  lstm: '#gradients g.series-group.s1',
  gru: '#gradients svg.gradient-chart:not(:has(g.series-group.s1)) g.series-group.s0',
} as const;

/**
 * Lens click → the gradient chart of the clicked layer in the webview. Cold: the first click after
 * the window loaded (the view, its webview and the engine worker start). Warm: later clicks,
 * alternating LSTM and GRU layers of the same file so the chart that must appear differs from the
 * one on screen (an LSTM chart has a ‖∂L/∂c_t‖ line, a GRU chart none). Timed from the driver, so
 * Playwright's click and polling (some tens of ms) are included.
 */
export async function benchLensClick(): Promise<BenchRow[]> {
  const { startVsCode, launchChromium, waitForWorkbench } = harness();
  const server = await startVsCode();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.setDefaultTimeout(60_000);
    await page.goto(server.url(join(REPO, 'samples')));
    await waitForWorkbench(page);
    await openFile(page, 'lstm_gru.py');
    /** Milliseconds from the click to the scene's heading (the `show` message drawn) and to its chart (the trace drawn). */
    const clickToChart = async (layer: string, kind: keyof typeof CHART_OF): Promise<{ heading: number; chart: number }> => {
      const lens = page.locator('.codelens-decoration a', { hasText: `Unroll ${layer}` }).first();
      await lens.waitFor();
      const t0 = Date.now();
      await lens.click();
      await panelFrame(page).locator('#heading', { hasText: layer }).waitFor();
      const heading = Date.now() - t0;
      await panelFrame(page).locator(CHART_OF[kind]).first().waitFor({ state: 'attached' });
      return { heading, chart: Date.now() - t0 };
    };
    const cold = await clickToChart('LSTM(64)', 'lstm');
    const warm: { heading: number; chart: number }[] = [];
    for (const [layer, kind] of [
      ['GRU(16)', 'gru'],
      ['LSTM(32)', 'lstm'],
      ['GRU(16)', 'gru'],
      ['LSTM(64)', 'lstm'],
      ['GRU(16)', 'gru'],
      ['LSTM(32)', 'lstm'],
    ] as const) {
      warm.push(await clickToChart(layer, kind));
    }
    return [
      { ...row('lens click → gradient chart, cold (first click after load)', [cold.chart], 'target ≤ 1500 ms; samples/lstm_gru.py, T=20'), peer: 'lens click → heading, cold' },
      row('lens click → heading, cold', [cold.heading], 'the view, its webview and the scene drawn; no trace yet'),
      { ...row('lens click → gradient chart, warm', warm.map((w) => w.chart), 'target ≤ 300 ms; other layers of the same file'), peer: 'lens click → heading, warm' },
      row('lens click → heading, warm', warm.map((w) => w.heading), 'the scene drawn; no trace yet'),
    ];
  } finally {
    await browser.close();
    await server.stop();
  }
}
