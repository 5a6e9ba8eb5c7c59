// Live training from the panel: builds the run from the panel's layer and the Train form, starts
// it in the engine worker, streams loss and fresh traces to the webview, and keeps what the run
// produced (weights, loss history) for stop/continue, save/load and a reloaded webview.
// Pure host logic: engine, webview, progress UI and translator come in, so it runs in tests.
import { CancelledError, EngineRequestError, type EngineClient } from './engine/client';
import { EngineInputError } from './engine/errors';
import { checkTrainSize, TRAIN_LIMITS, trainSpec } from './engine/train/config';
import { DEFAULT_TEXTS, makeTask, probeBatch, type TrainTask } from './engine/train/tasks';
import { fromWeightsFile, toWeightsFile } from './engine/train/weightsFile';
import { TRAIN_TEXT_LIMIT, type Scene, type ToWebview, type TrainSettings, type TrainState } from './protocol';
import type { UnrollSession } from './session';
import { CELL_DISPLAY_NAME, type CellKind, type DenseWeights, type LayerSpec, type TaskKind, type TrainEnd, type TrainLayer, type TrainReport, type Weights } from './spec';

type Translate = (message: string, ...args: (string | number)[]) => string;

/** A running notification; `cancel` is what its Cancel button does. */
export interface ProgressUi {
  report(message: string, fraction: number): void;
  done(): void;
}

export interface TrainingDeps {
  engine: Pick<EngineClient, 'run' | 'stopView'>;
  unroll: Pick<UnrollSession, 'current' | 'present' | 'showTrace'>;
  post(message: ToWebview): void;
  t: Translate;
  log(message: string): void;
  /** Shows progress with a Cancel button that calls `cancel`. */
  progress(title: string, cancel: () => void): ProgressUi;
  /** The open editor's text, for next-character prediction on "the open file". */
  editorText(): string | null;
  /** 'ko' picks the Korean sample paragraph. */
  language: string;
  /** Every change of state (for context keys: running, and a finished run for the walkthrough). */
  onState?(state: TrainState): void;
}

export const DEFAULT_TRAIN_SETTINGS: TrainSettings = {
  task: 'memory',
  timesteps: 20,
  textSource: 'sample',
  text: '',
  options: { optimizer: 'adam', learningRate: 0.01, batchSize: 32, clipNorm: 1, seed: 1 },
  steps: 300,
  compare: false,
};

const VIEW = 'train';
const HISTORY_LIMIT = 200_000;
const CELLS: readonly CellKind[] = ['simple_rnn', 'lstm', 'gru'];

interface Run {
  cell: CellKind;
  losses: number[];
  accuracies: number[];
  gradNorm: number;
  reach: number;
  weights: Weights | null;
  head: DenseWeights | null;
}

export class TrainingSession {
  private settings: TrainSettings = DEFAULT_TRAIN_SETTINGS;
  private state: TrainState = 'idle';
  private message: string | null = null;
  private layers: TrainLayer[] = [];
  private runs: Run[] = [];
  private steps = 0;
  private version = -1;
  private text = '';
  private running: Promise<void> | null = null;

  constructor(private readonly deps: TrainingDeps) {}

  /** Where training stands, with every step's loss per run (for tests and the API). */
  snapshot(): { state: TrainState; steps: number; cells: CellKind[]; losses: number[][]; message: string | null } {
    return { state: this.state, steps: this.steps, cells: this.layers.map((l) => l.cell), losses: this.runs.map((r) => [...r.losses]), message: this.message };
  }

  /** Trains a fresh model with `settings` (stopping a run in progress first); `layer` defaults to the panel's. */
  async start(settings: TrainSettings, base: TrainLayer = this.baseLayer()): Promise<void> {
    await this.stop();
    this.settings = settings;
    this.runs = [];
    this.steps = 0;
    this.layers = settings.compare ? CELLS.map((cell) => ({ ...base, cell, resetAfter: cell === 'gru' })) : [base];
    await this.launch(null);
  }

  /** Continues from the current weights for `settings.steps` more steps (sizes and task stay). */
  async resume(settings: TrainSettings): Promise<void> {
    if (this.state === 'running' || this.runs.length === 0 || this.runs.some((r) => !r.weights)) return;
    this.settings = { ...this.settings, options: settings.options, steps: settings.steps };
    await this.launch(this.runs.map((r) => ({ weights: r.weights!, head: r.head! })));
  }

  /** Asks the run to stop after its current step; resolves when it has. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.deps.engine.stopView(VIEW);
    await this.running;
  }

  /** A fresh webview: the form, the status and the whole loss history. */
  resend(): void {
    this.postStatus();
    if (this.runs.length > 0) this.postProgress(0);
  }

  /** The model to save, as the JSON file (null when there is nothing trained). */
  weightsFile(): Record<string, unknown> | null {
    const i = this.mainRun();
    const run = this.runs[i];
    if (!run?.weights || !run.head) return null;
    return toWeightsFile({
      layer: this.layers[i],
      task: { kind: this.settings.task, timesteps: this.settings.timesteps, text: this.text },
      weights: run.weights,
      head: run.head,
      options: this.settings.options,
      steps: this.steps,
    });
  }

  /** Loads a saved model: shows it, ready to continue training. Throws EngineInputError on a bad file. */
  async load(raw: unknown, name: string): Promise<void> {
    const m = fromWeightsFile(raw);
    await this.stop();
    this.settings = { ...this.settings, task: m.task.kind, timesteps: m.task.timesteps, options: m.options, compare: false, textSource: m.task.kind === 'next_char' ? 'typed' : this.settings.textSource, text: m.task.text.slice(0, 5000) };
    this.text = m.task.text;
    this.layers = [m.layer];
    this.steps = m.steps;
    this.runs = [{ cell: m.layer.cell, losses: [], accuracies: [], gradNorm: 0, reach: 0, weights: m.weights, head: m.head }];
    this.state = 'stopped';
    this.message = this.deps.t('Loaded {0}: trained {1} steps. Press Continue to train on.', name, m.steps);
    this.version = this.presentScene(m.taskInfo);
    this.postStatus();
    this.postProgress(0);
    // The picture of the loaded model: its trace on the probe sequence.
    const spec = trainSpec(m.layer, m.taskInfo);
    const probe = probeBatch(m.taskInfo, m.options.seed);
    try {
      const r = await this.deps.engine.run('panel', { kind: 'trace', spec, seed: m.options.seed, weights: m.weights, input: probe.x, recurrentScale: null, loss: { kind: 'head', head: m.taskInfo.head, weights: m.head, targets: probe.targets } });
      this.deps.unroll.showTrace(this.version, r.trace);
    } catch (e) {
      if (!(e instanceof CancelledError)) this.deps.log(`trace of the loaded model failed: ${String(e)}`);
    }
  }

  private async launch(start: { weights: Weights; head: DenseWeights }[] | null): Promise<void> {
    const { t } = this.deps;
    const s = this.settings;
    let task: TrainTask;
    try {
      this.text = s.task === 'next_char' ? this.taskText() : '';
      task = makeTask(s.task, s.timesteps, this.text || undefined);
      for (const l of this.layers) checkTrainSize(trainSpec(l, task), s.options.batchSize);
    } catch (e) {
      this.fail(e);
      return;
    }
    if (!start) this.runs = this.layers.map((l) => ({ cell: l.cell, losses: [], accuracies: [], gradNorm: 0, reach: 0, weights: null, head: null }));
    this.version = this.presentScene(task);
    this.state = 'running';
    this.message = null;
    this.postStatus();
    const offset = this.steps;
    const total = s.steps;
    const title = t('Training {0} on {1}', this.runTitle(), taskName(s.task, t));
    const ui = this.deps.progress(title, () => this.deps.engine.stopView(VIEW));
    const onReport = (r: TrainReport) => {
      const from = this.runs[0].losses.length;
      r.runs.forEach((x, i) => {
        const run = this.runs[i];
        if (run.losses.length < HISTORY_LIMIT) {
          run.losses.push(...x.losses);
          if (x.accuracies) run.accuracies.push(...x.accuracies);
        }
        run.gradNorm = x.gradNorm;
        run.reach = x.reach;
      });
      this.steps = offset + r.step;
      this.postProgress(from);
      const main = this.mainRun();
      this.deps.unroll.showTrace(this.version, r.runs[main].trace, r.runs.length > 1 ? r.runs.map((x) => x.trace) : null);
      const loss = this.runs[main].losses.at(-1);
      ui.report(t('step {0} of {1} · loss {2}', r.step, total, loss === undefined ? '–' : formatLoss(loss)), r.step / total);
    };
    const job = {
      kind: 'train' as const,
      task: s.task,
      timesteps: s.timesteps,
      text: this.text,
      layers: this.layers,
      options: s.options,
      steps: total,
      start,
    };
    this.running = this.deps.engine.run(VIEW, job, onReport).then(
      (end) => this.finish(end, offset),
      (e: unknown) => this.fail(e),
    );
    const running = this.running;
    await running;
    ui.done();
    if (this.running === running) this.running = null;
  }

  private finish(end: TrainEnd, offset: number): void {
    const { t } = this.deps;
    end.runs.forEach((r, i) => Object.assign(this.runs[i], { weights: r.weights, head: r.head }));
    this.steps = offset + Math.max(...end.runs.map((r) => r.steps));
    this.state = end.reason;
    const diverged = end.runs.filter((r) => r.diverged);
    const parts: string[] = [];
    for (const r of diverged) {
      parts.push(
        t(
          '{0}: the loss became {1} at step {2} (gradient norm {3}). The gradients exploded: lower the learning rate (now {4}) or clip the gradient norm. The weights are those of the last step with a finite loss.',
          CELL_DISPLAY_NAME[r.cell], String(r.diverged!.loss), offset + r.diverged!.step, formatLoss(r.diverged!.gradNorm), this.settings.options.learningRate,
        ),
      );
    }
    if (end.reason === 'done') parts.unshift(t('Trained {0} steps.', this.steps));
    if (end.reason === 'stopped') parts.unshift(t('Stopped after {0} steps.', this.steps));
    this.message = parts.join(' ');
    this.postStatus();
  }

  private fail(e: unknown): void {
    if (e instanceof CancelledError) {
      this.state = this.runs.some((r) => r.weights) ? 'stopped' : 'idle';
      this.postStatus();
      return;
    }
    this.state = this.runs.some((r) => r.weights) ? 'stopped' : 'idle';
    if (e instanceof EngineRequestError || e instanceof EngineInputError) this.message = this.deps.t('Cannot train: {0}', e.message);
    else {
      const message = e instanceof Error ? e.message : String(e);
      this.deps.log(`training failed: ${message}`);
      this.message = this.deps.t('The engine failed: {0}', message);
    }
    this.postStatus();
  }

  /** The panel's layer (cell, units, activations), or an LSTM(32) when the panel shows none. */
  private baseLayer(): TrainLayer {
    const scene = this.deps.unroll.current();
    if (!scene) return { cell: 'lstm', units: 32, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true, goBackwards: false, resetAfter: false };
    const { spec, params } = scene;
    return {
      cell: params.cell,
      units: Math.min(params.units, TRAIN_LIMITS.units),
      activation: spec.activation,
      recurrentActivation: spec.recurrentActivation,
      useBias: spec.useBias,
      goBackwards: spec.goBackwards,
      resetAfter: params.cell === 'gru' && spec.resetAfter,
    };
  }

  private taskText(): string {
    const s = this.settings;
    if (s.textSource === 'typed') return s.text;
    if (s.textSource === 'file') {
      const text = this.deps.editorText();
      if (!text) throw new EngineInputError('text', this.deps.t('no editor is open to read the text from'));
      return text.slice(0, TRAIN_TEXT_LIMIT);
    }
    return this.deps.language.startsWith('ko') ? DEFAULT_TEXTS.ko : DEFAULT_TEXTS.en;
  }

  /** The run the main picture shows: the panel's cell in compare mode. */
  private mainRun(): number {
    const cell = this.deps.unroll.current()?.params.cell;
    const i = this.layers.findIndex((l) => l.cell === cell);
    return Math.max(0, i);
  }

  private runTitle(): string {
    return this.layers.length > 1 ? 'SimpleRNN · LSTM · GRU' : `${CELL_DISPLAY_NAME[this.layers[0].cell]}(${this.layers[0].units})`;
  }

  /** Shows the model being trained: its layer, the task's input size and head. */
  private presentScene(task: TrainTask): number {
    const { t } = this.deps;
    const layer = this.layers[this.mainRun()];
    const range = this.deps.unroll.current()?.spec.range ?? { line: 0, character: 0, endLine: 0, endCharacter: 0 };
    const spec: LayerSpec = {
      framework: 'keras', kind: layer.cell, className: CELL_DISPLAY_NAME[layer.cell], units: layer.units, unitsText: String(layer.units),
      inputDim: task.inputDim, timesteps: task.timesteps, activation: layer.activation, recurrentActivation: layer.recurrentActivation,
      useBias: layer.useBias, returnSequences: task.returnSequences, returnState: false, goBackwards: layer.goBackwards, resetAfter: layer.resetAfter,
      bidirectional: null, inTimeDistributed: false, head: { units: task.head.units, activation: task.head.activation, timeDistributed: task.returnSequences, lastStep: false }, range, symbolic: [],
    };
    const notes = [taskExplanation(task.kind, t)];
    if (task.vocab) notes.push(t('{0} distinct characters: one-hot inputs and a softmax over them (D = K = {0}).', task.vocab.length));
    return this.deps.unroll.present((version): Scene => ({
      spec,
      codeKind: layer.cell,
      params: { cell: layer.cell, timesteps: task.timesteps, units: layer.units, inputDim: task.inputDim, preset: 'random', text: '', numbers: '', recurrentScale: null, compare: false, seed: this.settings.options.seed },
      notes,
      source: t('training: {0}', taskName(task.kind, t)),
      version,
      trained: true,
      vocab: null,
    }));
  }

  private postStatus(): void {
    this.deps.onState?.(this.state);
    this.deps.post({
      type: 'training',
      state: this.state,
      settings: this.settings,
      cells: this.layers.map((l) => l.cell),
      step: this.steps,
      message: this.message,
      hasWeights: this.runs.length > 0 && this.runs.every((r) => r.weights),
    });
  }

  private postProgress(from: number): void {
    this.deps.post({
      type: 'trainProgress',
      from,
      runs: this.runs.map((r) => ({
        cell: r.cell,
        losses: Float64Array.from(r.losses.slice(from)),
        accuracies: r.accuracies.length > 0 ? Float64Array.from(r.accuracies.slice(from)) : null,
        gradNorm: r.gradNorm,
        reach: r.reach,
      })),
    });
  }
}

export function taskName(kind: TaskKind, t: Translate): string {
  switch (kind) {
    case 'next_char':
      return t('next-character prediction');
    case 'sine':
      return t('sine-wave continuation');
    case 'memory':
      return t('the memory task');
  }
}

/** The one line the panel shows under the task's name. */
export function taskExplanation(kind: TaskKind, t: Translate): string {
  switch (kind) {
    case 'next_char':
      return t('Next character: the model reads a text one character at a time and, at every step, predicts the character that follows (many-to-many, softmax over the characters).');
    case 'sine':
      return t('Sine wave: the model reads a sine wave and, at every step, predicts its next value (many-to-many regression, mean squared error).');
    case 'memory':
      return t('Memory: the first input is one of 4 symbols, the rest is noise; after the last step the model must name the first symbol (many-to-one). Chance is 25%. The longer T, the further the gradient must travel back: watch ‖∂L/∂h₁‖ / ‖∂L/∂h_T‖ — a SimpleRNN’s shrinks towards zero as T grows, while LSTM and GRU gates can keep it alive (they may need more steps to learn to).');
  }
}

function formatLoss(x: number): string {
  return Number.isFinite(x) ? (Math.abs(x) >= 0.01 ? x.toFixed(3) : x.toExponential(2)) : String(x);
}
