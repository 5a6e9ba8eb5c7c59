// End to end, as a user: a real VS Code (code-server) in Debian's Chromium. Open the panel empty,
// open the seed model, read and click its lens, read the drawing inside the webview, then use
// the palette's "Unroll Layer at Cursor" on another file. Screenshots go to test/e2e/screenshots/.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { launchChromium, REPO, startVsCode, waitForWorkbench } from '../harness/vscode';

const SHOTS = join(REPO, 'test/e2e/screenshots');
const SAMPLES = join(REPO, 'samples');

interface Step {
  name: string;
  run: () => Promise<void>;
}

async function runPalette(page: Page, command: string): Promise<void> {
  // The palette lists commands when it opens: while the extension host is still starting, reopen it.
  const deadline = Date.now() + 60_000;
  for (;;) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${command}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first();
    try {
      await row.waitFor({ timeout: 3000 });
      await row.click();
      return;
    } catch (e) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw e;
    }
  }
}

async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor();
}

async function goToLine(page: Page, line: number): Promise<void> {
  // The quick input of a file just opened may still be closing when Ctrl+G comes: check the
  // status bar's cursor position and try again if the jump was lost.
  const status = page.locator('.statusbar-item', { hasText: new RegExp(`^Ln ${line}, Col`) }).first();
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}`);
    await page.keyboard.press('Enter');
    try {
      await status.waitFor({ timeout: 3000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

function panel(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
}

function lineOf(file: string, needle: string): number {
  const idx = readFileSync(join(SAMPLES, file), 'utf8').split('\n').findIndex((l) => l.includes(needle));
  assert.ok(idx >= 0, `${needle} not in ${file}`);
  return idx + 1;
}

/** Waits until `count()` equals `n` (d3's exit transitions keep leaving nodes for a moment). */
async function countSettles(count: () => Promise<number>, n: number, timeoutMs = 5000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let c = await count();
  while (c !== n && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    c = await count();
  }
  return c;
}

async function main(): Promise<number> {
  mkdirSync(SHOTS, { recursive: true });
  const t0 = Date.now();
  const server = await startVsCode();
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  page.setDefaultTimeout(45_000);
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
  let failed = 0;
  let passed = 0;
  const colors: string[] = [];

  const steps: Step[] = [
    {
      name: 'workbench loads with the samples folder',
      run: async () => {
        await page.goto(server.url(server.workspace));
        await waitForWorkbench(page);
      },
    },
    {
      name: 'Open Panel shows the friendly empty state',
      run: async () => {
        await runPalette(page, 'RNN Unroll: Open Panel');
        const title = panel(page).locator('#empty-title');
        await title.waitFor();
        assert.match(await title.innerText(), /No recurrent layer chosen yet/);
        assert.match(await panel(page).locator('#empty-body').innerText(), /Unroll Layer at Cursor/);
        const csp = (await panel(page).locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
        assert.match(csp, /default-src 'none'/);
        assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]{16,}'/);
        assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline|\*;/, 'no eval, no inline code, no wildcard source');
        await shot('01-empty-panel');
      },
    },
    {
      name: 'the seed model shows its lens text, and only on the real layer',
      run: async () => {
        await openFile(page, 'seed_model.py');
        const lens = page.locator('.codelens-decoration a', { hasText: 'Unroll SimpleRNN(128)' });
        await lens.waitFor();
        assert.match(await lens.innerText(), /▶ Unroll SimpleRNN\(128\) · many-to-many · \(batch, T, 128\)/);
        const all = await page.locator('.codelens-decoration a').allInnerTexts();
        assert.deepEqual(
          all.filter((t) => t.includes('Unroll')).sort(),
          ['▶ Unroll SimpleRNN(128) · many-to-many · (batch, T, 128)', '▶ Unroll RNNLayer · SimpleRNN(128) → TimeDistributed(Dense(39))'].sort(),
          'a layer lens and a model lens; none on the docstring or the commented-out layer',
        );
        await shot('02-seed-lens');
      },
    },
    {
      name: 'clicking the lens draws the layer in the webview SVG',
      run: async () => {
        await page.locator('.codelens-decoration a', { hasText: 'Unroll SimpleRNN(128)' }).click();
        const heading = panel(page).locator('#heading');
        await heading.waitFor();
        await panel(page).locator('#heading', { hasText: 'SimpleRNN(128)' }).waitFor();
        const svgText = await panel(page).locator('svg.unrolled').textContent();
        assert.ok(svgText?.includes('SimpleRNN'), 'the layer name is drawn inside the SVG');
        const T = await panel(page).locator('svg.unrolled g.node.cell').count();
        assert.equal(T, 8, 'default T = 8 cells');
        assert.equal(await panel(page).locator('svg.unrolled g.node.output').count(), 8, 'return_sequences=True: one output per step');
        await panel(page).locator('#captions li', { hasText: 'output (batch, 8, 128) — many-to-many' }).waitFor();
        await shot('03-seed-unrolled');
      },
    },
    {
      name: 'Play runs the forward pass, then BPTT back to step 1, with the gradient chart drawn',
      run: async () => {
        const p = panel(page);
        await p.locator('#gradients svg').first().waitFor();
        await p.locator('.playback select').selectOption('32');
        await p.locator('.playback button.primary').click();
        await p.locator('.playback .phase', { hasText: 'BPTT reached step 1' }).waitFor({ timeout: 20_000 });
        const strips = await p.locator('#heatmaps canvas').count();
        assert.ok(strips >= 1, 'heatmap canvas drawn');
        assert.equal(await p.locator('svg.unrolled g.edge.gradient').count(), 7, 'the T−1 arrows between cells carry the gradient back');
        await shot('04-seed-bptt-done');
      },
    },
    {
      name: 'Export SVG writes a standalone SVG file through the save dialog',
      run: async () => {
        const out = join(mkdtempSync(join(tmpdir(), 'rnn-export-')), 'seed.svg');
        await panel(page).locator('.playback button', { hasText: 'SVG' }).click();
        // code-server's save dialog is a quick input titled by the extension.
        await page.locator('.quick-input-widget', { hasText: 'Export the unrolled picture' }).waitFor();
        const input = page.locator('.quick-input-widget input');
        // The dialog fills in its default path (our suggested name) a moment after it opens.
        await page.waitForFunction(() => (document.querySelector('.quick-input-widget input') as HTMLInputElement | null)?.value.endsWith('.svg'));
        assert.match(await input.inputValue(), /SimpleRNN_128_?\.svg$/, 'the suggested file name comes from the layer');
        await input.fill(out);
        await page.waitForTimeout(300);
        await page.keyboard.press('Enter');
        const deadline = Date.now() + 15_000;
        while (!existsSync(out) && Date.now() < deadline) await page.waitForTimeout(200);
        const svg = readFileSync(out, 'utf8');
        assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
        assert.match(svg, /SimpleRNN/);
        assert.ok(svg.trimEnd().endsWith('</svg>'));
        assert.doesNotMatch(svg, /var\(--vscode/, 'theme variables are resolved to colours');
      },
    },
    {
      name: 'editing return_sequences and clicking the lens again changes the picture and the caption',
      run: async () => {
        // Type over `True` at the end of `…return_sequences=True)`, as a user would.
        await goToLine(page, lineOf('seed_model.py', 'layers.SimpleRNN(128'));
        await page.keyboard.press('End');
        await page.keyboard.press('ArrowLeft');
        await page.keyboard.press('Control+Shift+ArrowLeft');
        await page.keyboard.type('False');
        const lens = page.locator('.codelens-decoration a', { hasText: 'Unroll SimpleRNN(128) · many-to-one' });
        await lens.waitFor();
        await lens.click();
        await panel(page).locator('#captions li', { hasText: 'output (batch, 128) — many-to-one' }).waitFor();
        assert.equal(await countSettles(() => panel(page).locator('svg.unrolled g.node.output').count(), 1), 1, 'return_sequences=False: only y_T');
        await shot('05-seed-many-to-one');
        await page.keyboard.press('Control+Z'); // leave the sample as it was
      },
    },
    {
      name: 'clicking a cell opens the cell zoom with that step’s real values',
      run: async () => {
        const p = panel(page);
        await p.locator('svg.unrolled g.node.cell[data-step="3"]').first().click();
        const dialog = p.locator('.cellzoom[role="dialog"]');
        await dialog.waitFor();
        const h = await dialog.locator('g.cellzoom-node.vector[data-id="h"]').getAttribute('data-values');
        const pre = await dialog.locator('g.cellzoom-node.vector[data-id="pre"]').getAttribute('data-values');
        assert.ok(h && pre, 'h_t and the pre-activation carry their values');
        // SimpleRNN: h_t = tanh(pre) unit by unit — the zoom shows the real step, not a sketch.
        const hv = h.split(' ').map(Number);
        const pv = pre.split(' ').map(Number);
        assert.equal(hv.length, 128);
        hv.forEach((v, i) => assert.ok(Math.abs(v - Math.tanh(pv[i])) < 1e-5, `unit ${i}: ${v} vs tanh(${pv[i]})`));
        await shot('05b-cell-zoom');
        // A knob change recomputes the layer: the open zoom stays and shows the new numbers.
        const preset = p.locator('#knob-preset');
        await preset.selectOption((await preset.inputValue()) === 'random' ? 'sine' : 'random');
        const deadline = Date.now() + 20_000;
        let h2: string | null = h;
        while (h2 === h && Date.now() < deadline) {
          await page.waitForTimeout(100);
          h2 = await dialog.locator('g.cellzoom-node.vector[data-id="h"]').getAttribute('data-values');
        }
        assert.notEqual(h2, h, 'the zoom shows the new input’s h_t');
        assert.ok(await dialog.isVisible(), 'the zoom is still open');
        const pre2 = (await dialog.locator('g.cellzoom-node.vector[data-id="pre"]').getAttribute('data-values'))!.split(' ').map(Number);
        h2!.split(' ').map(Number).forEach((v, i) => assert.ok(Math.abs(v - Math.tanh(pre2[i])) < 1e-5, `after the change, unit ${i}`));
        await dialog.focus();
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'hidden' });
      },
    },
    {
      name: 'Unroll Layer at Cursor from the palette draws a many-to-one LSTM',
      run: async () => {
        await openFile(page, 'lstm_gru.py');
        await goToLine(page, lineOf('lstm_gru.py', 'layers.LSTM(64)'));
        await runPalette(page, 'RNN Unroll: Unroll Layer at Cursor');
        await panel(page).locator('#heading', { hasText: 'LSTM(64)' }).waitFor();
        // Until its own trace arrives, nothing of the SimpleRNN played before may show.
        assert.doesNotMatch(await panel(page).locator('.playback .phase').innerText(), /BPTT/, "the previous layer's playback is gone");
        assert.equal(await countSettles(() => panel(page).locator('svg.unrolled g.node.output').count(), 1), 1, 'return_sequences=False: only y_T');
        await panel(page).locator('#gradients', { hasText: '‖∂L/∂c_t‖' }).waitFor(); // the LSTM's own gradients
        await shot('06-palette-lstm');
      },
    },
    {
      name: 'LSTM with return_state=True draws the h and c states as separate outputs',
      run: async () => {
        await goToLine(page, lineOf('lstm_gru.py', 'layers.LSTM(32'));
        await runPalette(page, 'RNN Unroll: Unroll Layer at Cursor');
        await panel(page).locator('#heading', { hasText: 'LSTM(32)' }).waitFor();
        await countSettles(() => panel(page).locator('svg.unrolled g.node.state').count(), 2);
        const states = await panel(page).locator('svg.unrolled g.node.state text.label').allTextContents();
        assert.deepEqual(states.sort(), ['c (state)', 'h (state)']);
        assert.equal(await countSettles(() => panel(page).locator('svg.unrolled g.node.output').count(), 9), 9, 'many-to-many: one output per drawn step (T = 20: 9 columns around the elision)');
      },
    },
    {
      name: 'a wider panel shows the BPTT picture whole (the README screenshot)',
      run: async () => {
        // Drag the side bar's edge as a user would, to give the panel room.
        const sash = page.locator('.monaco-sash.vertical').filter({ has: page.locator(':scope') });
        const boxes = await sash.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2, h: r.height })));
        const edge = boxes.filter((b) => b.x > 250 && b.x < 450 && b.h > 300)[0];
        assert.ok(edge, 'found the side bar edge');
        await page.mouse.move(edge.x, edge.y);
        await page.mouse.down();
        await page.mouse.move(edge.x + 420, edge.y, { steps: 8 });
        await page.mouse.up();
        await page.locator('.tab', { hasText: 'seed_model.py' }).click();
        await page.locator('.codelens-decoration a', { hasText: 'Unroll SimpleRNN(128)' }).click();
        await panel(page).locator('#heading', { hasText: 'SimpleRNN(128)' }).waitFor();
        await panel(page).locator('.playback button.primary').click();
        await panel(page).locator('.playback .phase', { hasText: 'BPTT reached step 1' }).waitFor({ timeout: 20_000 });
        await page.waitForTimeout(800);
        await shot('10-readme');
      },
    },
    {
      name: 'Train: the memory task with SimpleRNN, LSTM and GRU side by side draws three loss curves and the trained model',
      run: async () => {
        const p = panel(page);
        await p.locator('#training-title').click();
        await p.locator('#train-task').selectOption('memory');
        await p.locator('#train-T').fill('8');
        await p.locator('#train-steps').fill('60');
        await p.locator('#train-compare').check();
        await p.locator('.train-buttons button.primary').click();
        await p.locator('#heading', { hasText: 'SimpleRNN' }).waitFor();
        // Generous: on a loaded 2-core machine the three runs took 53 s.
        await p.locator('.train-status[data-state="done"]').waitFor({ timeout: 180_000 });
        assert.match(await p.locator('.train-status').innerText(), /step 60/);
        assert.equal(await p.locator('svg.loss-chart path.loss-line').count(), 3, 'one loss curve per cell');
        assert.deepEqual(await p.locator('.train-table tr th[scope="row"]').allInnerTexts(), ['SimpleRNN', 'LSTM', 'GRU']);
        // The picture is the trained model: memory is many-to-one, so one output after T = 8 steps.
        assert.equal(await p.locator('svg.unrolled g.node.output').count(), 1);
        assert.match(await p.locator('#summary').innerText(), /training/);
        await p.locator('#training-section').scrollIntoViewIfNeeded();
        await shot('11-training-compare');
        await p.locator('#heading').scrollIntoViewIfNeeded();
        await shot('12-training-model');
      },
    },
    {
      name: 'the panel follows the colour theme (light, dark, high contrast)',
      run: async () => {
        for (const [theme, file] of [
          ['Light Modern', '07-theme-light'],
          ['Dark Modern', '08-theme-dark'],
          ['Dark High Contrast', '09-theme-hc'],
        ]) {
          await runPalette(page, 'Preferences: Color Theme');
          await page.locator('.quick-input-widget input').fill(theme);
          await page.locator('.quick-input-list .monaco-list-row', { hasText: theme }).first().waitFor();
          await page.keyboard.press('Enter'); // the filtered list's first row is the theme
          await page.waitForTimeout(1500);
          // The webview's text colour comes from the theme: it must differ between light and dark.
          colors.push(await panel(page).locator('#heading').evaluate((e) => getComputedStyle(e).color));
          await shot(file);
        }
        assert.notEqual(colors[0], colors[1], 'light and dark themes give the panel different text colours');
      },
    },
  ];

  try {
    for (const step of steps) {
      const s0 = Date.now();
      try {
        await step.run();
        passed++;
        console.log(`  ✔ ${step.name} (${Date.now() - s0} ms)`);
      } catch (e) {
        failed++;
        console.log(`  ✘ ${step.name}\n    ${e instanceof Error ? e.message : String(e)}`);
        await shot(`failed-${passed + failed}`).catch(() => {});
        break; // later steps depend on earlier ones
      }
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const skipped = steps.length - passed - failed;
  console.log(`e2e: ${passed} passed, ${failed + skipped} failed (${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in test/e2e/screenshots/)`);
  return failed + skipped === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
