// Inside the real extension host: activation, commands, lenses on the samples, and the panel
// actually drawing (the webview reports back only after its script ran and the SVG exists).
import * as assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { RnnUnrollApi } from '../../src/extension';

const EXTENSION_ID = 'rnn-unroll.rnn-unroll';

async function api(): Promise<RnnUnrollApi> {
  const ext = vscode.extensions.getExtension<RnnUnrollApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  return ext.isActive ? ext.exports : await ext.activate();
}

function sample(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the samples folder should be open');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function lensesOf(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  // The provider command needs the document loaded; resolve up to 100 lenses, as the editor would.
  await vscode.workspace.openTextDocument(uri);
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
}

function nextRender(a: RnnUnrollApi, timeoutMs = 30_000) {
  return new Promise<{ title: string; timesteps: number; outputs: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the panel did not draw within the time limit')), timeoutMs);
    const sub = a.panel.onDidRender((m) => {
      clearTimeout(timer);
      sub.dispose();
      resolve(m);
    });
  });
}

suite('RNN Unroll in VS Code', () => {
  test('activates and registers its commands', async () => {
    await api();
    const all = await vscode.commands.getCommands(true);
    for (const c of ['rnnUnroll.openPanel', 'rnnUnroll.unrollAtCursor', 'rnnUnroll.unrollLayer', 'rnnUnroll.openTrainedModel', 'rnnUnroll.openExample', 'rnnUnroll.train', 'rnnUnroll.stopTraining']) {
      assert.ok(all.includes(c), `command ${c} is not registered`);
    }
  });

  test('puts a lens above each recurrent layer of the seed model, and none on comments', async () => {
    await api();
    const lenses = await lensesOf(sample('seed_model.py'));
    const titles = lenses.map((l) => l.command?.title ?? '');
    const doc = await vscode.workspace.openTextDocument(sample('seed_model.py'));
    const rnnLine = doc.getText().split('\n').findIndex((l) => l.includes('layers.SimpleRNN(128'));
    assert.ok(rnnLine >= 0);
    const ours = lenses.filter((l) => l.command?.title.startsWith('▶ Unroll SimpleRNN'));
    assert.deepEqual(
      ours.map((l) => l.range.start.line),
      [rnnLine],
      `expected exactly one lens, on line ${rnnLine + 1}; got ${JSON.stringify(titles)}`,
    );
    assert.match(ours[0].command!.title, /SimpleRNN\(128\) · many-to-many · \(batch, T, 128\)/);
    assert.equal(lenses.length, 2, `the layer lens and one model lens; got ${JSON.stringify(titles)}`);
    assert.ok(titles.includes('▶ Unroll RNNLayer · SimpleRNN(128) → TimeDistributed(Dense(39))'), JSON.stringify(titles));
  });

  test('hovering the layer name shows shapes, the return structure and the parameter count', async () => {
    await api();
    const doc = await vscode.workspace.openTextDocument(sample('lstm_gru.py'));
    const line = doc.getText().split('\n').findIndex((l) => l.includes('layers.LSTM(32'));
    const col = doc.lineAt(line).text.indexOf('LSTM(32') + 1;
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, col))) ?? [];
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*LSTM\(32\)\*\* · keras · many-to-many/);
    assert.match(text, /\[output, state_h, state_c\]|\[output, h, c\]/);
    // 4·H·(D+H+1) with D = 8 from keras.Input(shape=(20, 8)) and H = 32.
    assert.match(text, /5,248/);
  });

  test('a notebook cell gets its lens, with imports and constants from the cells above', async () => {
    await api();
    const nb = await vscode.workspace.openNotebookDocument(sample('notebook.ipynb'));
    // Cells get editor models (which the lens command needs) once the notebook is shown.
    await vscode.window.showNotebookDocument(nb);
    const cell = nb.getCells().find((c) => c.document.getText().includes('SimpleRNN'));
    assert.ok(cell, 'the notebook has the layer cell');
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', cell.document.uri, 100)) ?? [];
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.deepEqual(titles, ['▶ Unroll SimpleRNN(16) · many-to-many · (batch, T, 16)']);
  });

  test('the lens setting turns lenses off and on', async () => {
    await api();
    const config = vscode.workspace.getConfiguration('rnnUnroll');
    await config.update('codeLens.enabled', false, vscode.ConfigurationTarget.Global);
    try {
      const off = await lensesOf(sample('seed_model.py'));
      assert.equal(off.length, 0);
    } finally {
      await config.update('codeLens.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
    const on = await lensesOf(sample('seed_model.py'));
    assert.equal(on.length, 2);
  });

  test('the lens command resolves the panel and draws T outputs for return_sequences=True', async () => {
    const a = await api();
    const lens = (await lensesOf(sample('seed_model.py'))).find((l) => l.command?.title.startsWith('▶ Unroll SimpleRNN'));
    assert.ok(lens?.command);
    const rendered = nextRender(a);
    const t0 = Date.now();
    await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
    const r = await rendered;
    // Inside the host, without a browser driver's polling: reported for the benchmark notes.
    console.log(`      lens command → panel drawn: ${Date.now() - t0} ms (first open of the view)`);
    const again = nextRender(a);
    const t1 = Date.now();
    await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
    await again;
    console.log(`      lens command → panel drawn: ${Date.now() - t1} ms (view already open)`);
    assert.equal(r.title, 'SimpleRNN(128)');
    assert.equal(r.outputs, r.timesteps, 'many-to-many draws one output per step');
  });

  test('Unroll Layer at Cursor draws one output for return_sequences=False', async () => {
    const a = await api();
    const doc = await vscode.workspace.openTextDocument(sample('lstm_gru.py'));
    const editor = await vscode.window.showTextDocument(doc);
    const line = doc.getText().split('\n').findIndex((l) => l.includes('layers.LSTM(64)'));
    assert.ok(line >= 0);
    editor.selection = new vscode.Selection(line, 4, line, 4);
    const rendered = nextRender(a);
    await vscode.commands.executeCommand('rnnUnroll.unrollAtCursor');
    const r = await rendered;
    assert.equal(r.title, 'LSTM(64)');
    assert.equal(r.outputs, 1);
  });

  test('Open Example opens the seed model, with its lens', async () => {
    await api();
    await vscode.commands.executeCommand('rnnUnroll.openExample');
    const doc = vscode.window.activeTextEditor?.document;
    assert.ok(doc && doc.isUntitled && doc.languageId === 'python');
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
    assert.ok(lenses.some((l) => l.command?.title.startsWith('▶ Unroll SimpleRNN(128)')));
  });

  test('Open Panel with no layer shows the empty state without failing', async () => {
    await api();
    await vscode.commands.executeCommand('rnnUnroll.openPanel');
  });

  test('training runs in the worker: the loss falls while the extension host stays responsive', async function () {
    this.timeout(120_000);
    const a = await api();
    // The histogram records the time between 10 ms samples: the delay is what exceeds 10 ms.
    // Then a control: the same host with the panel open and nothing training, for as long as the
    // run takes, so the note can say how much of the delay training adds.
    const control = monitorEventLoopDelay({ resolution: 10 });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    const t0 = Date.now();
    delay.enable();
    await a.panel.train({ task: 'memory', timesteps: 10, steps: 150, compare: false, options: { optimizer: 'adam', learningRate: 0.01, batchSize: 32, clipNorm: 1, seed: 1 } });
    delay.disable();
    const trainMs = Date.now() - t0;
    control.enable();
    await new Promise((r) => setTimeout(r, trainMs));
    control.disable();
    const snap = a.panel.training.snapshot();
    assert.equal(snap.state, 'done', snap.message ?? '');
    assert.equal(snap.steps, 150);
    const losses = snap.losses[0];
    assert.equal(losses.length, 150, 'every step reported');
    const mean = (x: number[]) => x.reduce((p, q) => p + q, 0) / x.length;
    assert.ok(mean(losses.slice(-20)) < mean(losses.slice(0, 20)), `loss falls: ${mean(losses.slice(0, 20))} → ${mean(losses.slice(-20))}`);
    const p99 = delay.percentile(99) / 1e6 - 10;
    // Reported for the note; the bound is loose for a loaded CI machine, tight enough to catch training on this thread.
    const ms = (ns: number) => `${(ns / 1e6 - 10).toFixed(1)} ms`;
    console.log(`    event-loop delay while training (${trainMs} ms): p50 ${ms(delay.percentile(50))}, p99 ${ms(delay.percentile(99))}, max ${ms(delay.max)}`);
    console.log(`    event-loop delay idle afterwards, as long (control): p50 ${ms(control.percentile(50))}, p99 ${ms(control.percentile(99))}, max ${ms(control.max)}`);
    assert.ok(p99 < 100, `event-loop delay p99 ${p99.toFixed(1)} ms`);
  });

  test('Stop Training stops a long run within a step and keeps its weights', async function () {
    this.timeout(120_000);
    const a = await api();
    const run = a.panel.train({ task: 'sine', timesteps: 30, steps: 100_000, compare: true });
    // The previous test's finished run is still in the snapshot until this one starts.
    const started = () => a.panel.training.snapshot().state === 'running' && a.panel.training.snapshot().steps >= 3;
    while (!started()) await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await vscode.commands.executeCommand('rnnUnroll.stopTraining');
    await run;
    const snap = a.panel.training.snapshot();
    assert.equal(snap.state, 'stopped');
    assert.deepEqual(snap.cells, ['simple_rnn', 'lstm', 'gru']);
    assert.ok(Date.now() - t0 < 5_000, `stopped after ${Date.now() - t0} ms`);
    assert.ok(snap.steps >= 3 && snap.steps < 100_000);
  });
});
