// Webview entry: talks to the host through the shared protocol, keeps the panel's state (restored
// after the panel was hidden), runs the forward/BPTT timeline, and hands data to the drawing
// modules. Knows the DOM and d3, never tfjs.
import { fromWebviewSchema, toWebviewSchema, validate, type FromWebview, type JacobianList, type Scene, type ToWebview } from '../src/protocol';
import type { DirectionTrace, Trace } from '../src/spec';
import { captionsFor } from './captions';
import { createCellZoom } from './cellZoom';
import { cellZoom } from './cellZoomData';
import { createCaptions } from './captionsView';
import { createControls, SPEEDS } from './controls';
import { exportPicture } from './export';
import { createGradientChart, SERIES_DC, SERIES_DH, SERIES_JACOBIAN, type GradientSeries } from './gradients';
import { createHeatmap, type HeatmapRow } from './heatmap';
import { layoutScene, outputShapeText } from './layout';
import { inputStep, pointAt, timelineLength, type TimelinePoint } from './playback';
import { LOG_FLOOR, stepNorms } from './scales';
import { setStrings, t } from './strings';
import { createTraining } from './training';
import { createUnrolled } from './unrolled';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives the panel being hidden (JSON only: traces come back from the host). */
interface PanelState {
  scene: Scene | null;
  position: number;
  speed: number;
  showFormulas: boolean;
}

const vscode = acquireVsCodeApi();

function post(message: FromWebview): void {
  // Our own messages are checked too: a bug here should show up in tests, not in the host.
  const checked = validate(fromWebviewSchema, message);
  if (!checked.ok) throw new Error(`refusing to send an invalid message: ${checked.error}`);
  vscode.postMessage(message);
}

window.addEventListener('error', (e) => post({ type: 'error', message: String(e.message) }));
window.addEventListener('unhandledrejection', (e) => post({ type: 'error', message: String(e.reason) }));

const $ = (id: string) => document.getElementById(id)!;
const app = $('app');
const notes = $('notes');
const problem = $('problem');
const graph = createUnrolled($('graph'));
const heatmap = createHeatmap($('heatmaps'), { stepLabel: (k) => String(k + 1) });
const chart = createGradientChart($('gradients'));
const zoom = createCellZoom($('cellzoom'), t);
/** The cell the zoom shows: a newer trace of the same layer redraws it with its numbers. */
let zoomed = { step: 0, direction: 0 };

/** Opens (or redraws) the zoom on a cell (1-based step) of the current trace; false when that cell is not in it. */
function showZoom(step: number, direction: number): boolean {
  const dir = trace?.directions[direction];
  if (!trace || !dir || !state.scene || step > trace.spec.timesteps) return false;
  const T = trace.spec.timesteps;
  const k = dir.goBackwards ? T - step : step - 1; // the inverse of inputStep
  const p = pointAt(state.position, T);
  // Gradients appear on the wires once BPTT has reached this step.
  const grads = p.phase === 'done' || (p.phase === 'backward' && k >= p.gradientFrom);
  const side = trace.directions.length > 1 ? ` ${direction === 0 ? '→' : '←'}` : '';
  zoom.show(cellZoom(trace, direction, k), `${layoutScene(state.scene).title}${side} · ${t('step')} ${step}`, { gradients: grads });
  zoomed = { step, direction };
  return true;
}
graph.onCellClick(showZoom);
const captions = createCaptions($('captions'), {
  onToggle(show) {
    state.showFormulas = show;
    save();
  },
});

let state: PanelState = { scene: null, position: 0, speed: 4, showFormulas: false };
const restored = vscode.getState() as Partial<PanelState> | undefined;
if (restored?.scene && validate(toWebviewSchema, { type: 'show', scene: restored.scene }).ok) {
  state = {
    scene: restored.scene,
    position: Number(restored.position) || 0,
    speed: SPEEDS.includes(restored.speed as 4) ? (restored.speed as number) : 4,
    showFormulas: restored.showFormulas === true,
  };
}
let trace: Trace | null = null;
/** While a model trains, each new trace is shown whole (forward and BPTT done) rather than replayed. */
let trainingRunning = false;
/** The trace that belongs to the scene shown (a new scene clears it until its own arrives). */
let traceFor: Trace | null = null;
let jacobian: JacobianList | null = null;
let playing = false;
let lastFrame = 0;
let milestoneSent = false;
/** Whether drawings may animate from what is on screen: not when a different layer replaces it, so its first frame is complete. */
let animateFromShown = true;

const controls = createControls($('playback'), $('knobs'), {
  onParams(params) {
    if (!state.scene) return;
    post({ type: 'params', params });
  },
  onPlay() {
    if (!trace) return;
    if (state.position >= timelineLength(trace.spec.timesteps)) state.position = 0;
    playing = true;
    lastFrame = performance.now();
    requestAnimationFrame(tick);
    update();
  },
  onPause() {
    playing = false;
    update();
  },
  onStep(delta) {
    playing = false;
    seek(state.position + delta);
  },
  onSeek(position) {
    playing = false;
    seek(position);
  },
  onSpeed(s) {
    state.speed = s;
    save();
  },
  onExport(format) {
    const svg = document.querySelector<SVGSVGElement>('#graph svg');
    if (svg && state.scene) void exportPicture(svg, format, state.scene).then((data) => post({ type: 'export', format, data, name: layoutScene(state.scene!).title }));
  },
});

const training = createTraining($('training'), {
  onTrain: (settings) => post({ type: 'train', settings }),
  onResume: (settings) => post({ type: 'trainResume', settings }),
  onStop: () => post({ type: 'trainStop' }),
  onWeights: (action) => post({ type: 'trainWeights', action }),
});

function save(): void {
  vscode.setState(state);
}

function seek(position: number): void {
  state.position = trace ? Math.max(0, Math.min(timelineLength(trace.spec.timesteps), position)) : 0;
  save();
  update();
}

function tick(now: number): void {
  if (!playing || !trace) return;
  const steps = ((now - lastFrame) / 1000) * state.speed;
  if (steps >= 1) {
    lastFrame = now;
    state.position = Math.min(timelineLength(trace.spec.timesteps), state.position + Math.floor(steps));
    if (state.position >= timelineLength(trace.spec.timesteps)) playing = false;
    save();
    update();
  }
  if (playing) requestAnimationFrame(tick);
}

function renderScene(): void {
  const scene = state.scene;
  $('training-title').textContent = t('Train on a toy task');
  app.dataset.view = scene ? 'scene' : 'empty';
  $('empty').hidden = scene !== null;
  $('stage').hidden = scene === null;
  if (!scene) {
    $('empty-title').textContent = t('No recurrent layer chosen yet');
    $('empty-body').textContent = t(
      'Open a Python, JavaScript or TypeScript file with a SimpleRNN, LSTM or GRU layer and click “▶ Unroll” above it, or put the cursor on the layer and run “RNN Unroll: Unroll Layer at Cursor”.',
    );
    return;
  }
  $('settings-title').textContent = t('Layer and input settings');
  const layout = layoutScene(scene);
  const many = scene.spec.returnSequences ? t('many-to-many') : t('many-to-one');
  $('heading').textContent = layout.title;
  $('summary').textContent = `${many} · ${t('output')} ${outputShapeText(scene)} · T = ${scene.params.timesteps} · ${scene.source}`;
  notes.replaceChildren(
    ...scene.notes.map((n) => {
      const li = document.createElement('li');
      li.textContent = n;
      return li;
    }),
  );
  controls.setParams(scene.params, scene.trained, scene.vocab);
  graph.draw(layout, `${layout.title}, ${many}, ${t('unrolled over')} ${scene.params.timesteps} ${t('steps')}`, { animate: animateFromShown });
  drawCaptions();
  post({ type: 'rendered', title: layout.title, timesteps: scene.params.timesteps, outputs: layout.outputCount });
}

function heatmapRows(dir: DirectionTrace, T: number, H: number): HeatmapRow[] {
  const rows: HeatmapRow[] = [{ label: 'h_t', data: dir.h, T, H }];
  if (dir.c) rows.push({ label: 'c_t', data: dir.c, T, H });
  for (const [name, data] of Object.entries(dir.gates)) if (data) rows.push({ label: `${t('gate')} ${name === 'hh' ? 'ĥ' : name}`, data, T, H });
  return rows;
}

function gradientSeries(dir: DirectionTrace, j: JacobianList[number] | null, T: number, H: number): GradientSeries[] {
  const series: GradientSeries[] = [{ name: SERIES_DH, values: stepNorms(dir.dh, T, H) }];
  if (dir.dc) series.push({ name: SERIES_DC, values: stepNorms(dir.dc, T, H) });
  if (j) series.push({ name: SERIES_JACOBIAN, values: j.h });
  return series;
}

/** Draws everything that depends on the trace and the timeline position. */
function update(): void {
  const scene = state.scene;
  // A new layer's picture must not show the previous layer's numbers while its own are computed.
  $('heatmaps').hidden = $('gradients').hidden = !trace;
  if (!scene || !trace) {
    controls.setPlayback({ position: 0, max: 1, playing: false, speed: state.speed, ready: false }, trace ? '' : scene ? t('computing…') : '');
    graph.highlight([], null);
    return;
  }
  const T = trace.spec.timesteps;
  const H = trace.spec.units;
  const point = pointAt(state.position, T);
  controls.setPlayback({ position: state.position, max: timelineLength(T), playing, speed: state.speed, ready: true }, phaseText(point, T));
  const dirs = trace.directions;
  const active = dirs.map((d) => (point.active === null ? null : inputStep(point.active, T, d.goBackwards)));
  // BPTT: arrow width grows with log ‖∂L/∂h‖ over the whole trace's range, so decay is visible.
  const norms = dirs.map((d) => stepNorms(d.dh, T, H));
  let widthOf: ((direction: number, step: number) => number | null) | null = null;
  if (point.phase === 'backward' || point.phase === 'done') {
    const all = norms.flatMap((n) => [...n]).filter((v) => Number.isFinite(v) && v > LOG_FLOOR);
    const lo = Math.log10(Math.min(...all, 1));
    const hi = Math.log10(Math.max(...all, 1e-300));
    widthOf = (d, step) => {
      const k = dirs[d].goBackwards ? T - step : step - 1;
      if (k < point.gradientFrom) return null;
      const v = norms[d][k];
      if (!Number.isFinite(v)) return 9;
      return 1 + (8 * (Math.log10(Math.max(v, LOG_FLOOR)) - lo)) / Math.max(hi - lo, 1e-9);
    };
  }
  graph.highlight(active, widthOf);
  heatmap.draw(heatmapRows(dirs[0], T, H), point.active, { revealUpTo: point.phase === 'forward' || point.phase === 'idle' ? point.revealed - 1 : null });
  chart.setProgress(point.phase === 'backward' || point.phase === 'done' ? point.gradientFrom : T);
  if (point.phase === 'done' && !milestoneSent) {
    milestoneSent = true;
    post({ type: 'milestone', name: 'bpttDone' });
  }
}

function phaseText(p: TimelinePoint, T: number): string {
  switch (p.phase) {
    case 'idle':
      return t('Press Play: the forward pass runs step by step, then the gradient flows back.');
    case 'forward':
      return `${t('forward')} ${p.revealed}/${T}`;
    case 'backward':
      return `${t('BPTT')} ${t('step')} ${p.gradientFrom + 1}`;
    case 'done':
      return t('BPTT reached step 1');
  }
}

/** Plain-language captions for the scene, with the BPTT reading once its trace is here. */
function drawCaptions(): void {
  if (state.scene) captions.draw(captionsFor(state.scene, trace && trace === traceFor ? trace : null, t), state.showFormulas);
}

function drawCharts(): void {
  if (!trace) return;
  const T = trace.spec.timesteps;
  const H = trace.spec.units;
  const dir = trace.directions[0];
  chart.draw(gradientSeries(dir, jacobian?.[0] ?? null, T, H), { sigmaMax: dir.recurrent?.sigmaMax ?? null, spectralRadius: dir.recurrent?.spectralRadius ?? null, stepLabel: (k) => String(k + 1), animate: animateFromShown });
}

function onMessage(message: ToWebview): void {
  switch (message.type) {
    case 'strings':
      setStrings(message.strings);
      renderScene();
      update();
      break;
    case 'show': {
      const sameLayer = state.scene !== null && state.scene.source === message.scene.source;
      animateFromShown = sameLayer;
      if (!sameLayer) {
        trace = null;
        zoom.hide();
      }
      traceFor = null;
      state = { ...state, scene: message.scene, position: sameLayer ? state.position : 0 };
      problem.hidden = true;
      save();
      renderScene();
      update(); // a new layer hides the previous one's numbers and playback until its own arrive
      break;
    }
    case 'empty':
      zoom.hide();
      state = { ...state, scene: null, position: 0 };
      trace = null;
      save();
      renderScene();
      break;
    case 'trace':
      if (message.version !== state.scene?.version) return;
      trace = message.trace;
      traceFor = trace;
      jacobian = null;
      drawCaptions();
      state.position = trainingRunning && !playing ? timelineLength(trace.spec.timesteps) : Math.min(state.position, timelineLength(trace.spec.timesteps));
      // An open zoom follows the layer's new numbers (a knob, an edit, a training step).
      if (zoom.visible && !showZoom(zoomed.step, zoomed.direction)) zoom.hide();
      $('compare').replaceChildren();
      drawCharts();
      animateFromShown = true; // later redraws of this layer (Jacobian norms, knobs) may morph
      update();
      break;
    case 'jacobian':
      if (message.version !== state.scene?.version) return;
      jacobian = message.norms;
      drawCharts();
      update();
      break;
    case 'compare':
      if (message.version !== state.scene?.version) return;
      drawCompare(message.traces);
      break;
    case 'training':
      trainingRunning = message.state === 'running';
      training.setStatus(message);
      break;
    case 'trainProgress':
      training.addProgress(message);
      break;
    case 'engineError':
      if (message.version !== state.scene?.version) return;
      problem.hidden = false;
      problem.textContent = message.message;
      break;
  }
}

function drawCompare(traces: Trace[]): void {
  const box = $('compare');
  box.replaceChildren();
  for (const tr of traces) {
    const cell = document.createElement('figure');
    const caption = document.createElement('figcaption');
    caption.textContent = { simple_rnn: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' }[tr.spec.cell];
    cell.append(caption);
    box.append(cell);
    const c = createGradientChart(cell, { plotHeight: 110 });
    const d = tr.directions[0];
    c.draw(gradientSeries(d, null, tr.spec.timesteps, tr.spec.units), { sigmaMax: d.recurrent?.sigmaMax ?? null, spectralRadius: d.recurrent?.spectralRadius ?? null, animate: false });
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const checked = validate(toWebviewSchema, event.data);
  if (!checked.ok) {
    console.warn(`[rnn-unroll] dropped a message: ${checked.error}`);
    post({ type: 'error', message: `dropped an invalid message: ${checked.error}` });
    return;
  }
  onMessage(checked.value);
});

document.addEventListener('keydown', (e) => {
  if (!trace || (e.target instanceof Element && e.target.closest('input, textarea, select, .cellzoom'))) return;
  if (e.key === ' ') {
    e.preventDefault();
    if (playing) {
      playing = false;
      update();
    } else (document.querySelector('.playback button.primary') as HTMLButtonElement | null)?.click();
  } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
    playing = false;
    seek(state.position + (e.key === 'ArrowRight' ? 1 : -1));
  }
});

renderScene();
post({ type: 'ready' });
