// The Train section: the form (task, optimizer, learning rate, batch, clipping, seed, steps,
// compare), Train / Stop / Continue / Save / Load, the status line, the loss curve and a table of
// each run's latest numbers. Emits intents; the host runs the training and sends progress back.
import { PANEL_LIMITS, TRAIN_TEXT_SOURCES, type ToWebview, type TrainSettings } from '../src/protocol';
import { TASK_KINDS, type CellKind, type TaskKind } from '../src/spec';
import { createLossChart } from './lossChart';
import { formatMagnitude } from './scales';
import { el, labelled } from './dom';
import { t } from './strings';

type Status = Extract<ToWebview, { type: 'training' }>;
type Progress = Extract<ToWebview, { type: 'trainProgress' }>;

export interface TrainingEvents {
  onTrain(settings: TrainSettings): void;
  onResume(settings: TrainSettings): void;
  onStop(): void;
  onWeights(action: 'save' | 'load'): void;
}

const CELL_LABELS: Record<CellKind, string> = { simple_rnn: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' };
const TASK_LABELS: Record<TaskKind, string> = { memory: 'Memory: remember the first symbol', next_char: 'Next character', sine: 'Sine wave' };
const TASK_HINTS: Record<TaskKind, string> = {
  memory: 'The first input is one of 4 symbols, the rest is noise; after the last step the model names the first symbol. Chance is 25%.',
  next_char: 'At every step the model predicts the next character of the text.',
  sine: 'At every step the model predicts the next value of a sine wave.',
};
/** A T that makes each task interesting at first sight. */
const TASK_T: Record<TaskKind, number> = { memory: 20, next_char: 40, sine: 50 };
const SOURCE_LABELS: Record<(typeof TRAIN_TEXT_SOURCES)[number], string> = { sample: 'sample paragraph', file: 'the open file', typed: 'my text' };
/** Runs with fewer losses than this show the mean of all they have. */
const RECENT = 20;

const mean = (a: readonly number[]) => a.reduce((x, y) => x + y, 0) / a.length;

export function createTraining(box: HTMLElement, events: TrainingEvents) {
  const form = el('form', { class: 'knobs train-form', 'aria-label': t('Training settings') });
  form.addEventListener('submit', (e) => e.preventDefault());
  const task = el('select');
  for (const k of TASK_KINDS) task.append(el('option', { value: k }, t(TASK_LABELS[k])));
  const T = el('input', { type: 'number', min: '2', max: '500', step: '1' });
  const source = el('select');
  for (const s of TRAIN_TEXT_SOURCES) source.append(el('option', { value: s }, t(SOURCE_LABELS[s])));
  const text = el('input', { type: 'text', maxlength: String(PANEL_LIMITS.textLength), placeholder: t('text to learn, one character per step') });
  const optimizer = el('select');
  optimizer.append(el('option', { value: 'adam' }, 'Adam'), el('option', { value: 'sgd' }, 'SGD'));
  const lr = el('input', { type: 'number', min: '0.00001', max: '10', step: 'any' });
  const batch = el('input', { type: 'number', min: '1', max: '256', step: '1' });
  const useClip = el('input', { type: 'checkbox', 'aria-label': t('Clip the gradient norm') });
  const clip = el('input', { type: 'number', min: '0.001', max: '1000', step: 'any' });
  const seed = el('input', { type: 'number', min: '0', max: '2147483647', step: '1' });
  const steps = el('input', { type: 'number', min: '1', max: '100000', step: '1' });
  const compare = el('input', { type: 'checkbox' });
  const clipField = labelled(t('Clip ‖g‖ at'), clip, 'train-clip');
  clipField.prepend(useClip);
  form.append(
    labelled(t('Task'), task, 'train-task'),
    labelled('T', T, 'train-T'),
    labelled(t('Text'), source, 'train-source'),
    labelled(t('My text'), text, 'train-text'),
    labelled(t('Optimizer'), optimizer, 'train-optimizer'),
    labelled(t('Learning rate'), lr, 'train-lr'),
    labelled(t('Batch size'), batch, 'train-batch'),
    clipField,
    labelled(t('Seed'), seed, 'train-seed'),
    labelled(t('Steps'), steps, 'train-steps'),
    labelled(t('Train SimpleRNN · LSTM · GRU side by side'), compare, 'train-compare'),
  );
  for (const c of [task, text, compare]) (c.parentElement as HTMLElement).classList.add('wide');
  const hint = el('p', { class: 'train-hint' });
  const buttons = el('div', { class: 'train-buttons', role: 'toolbar', 'aria-label': t('Training') });
  const train = el('button', { type: 'button', class: 'primary' }, `▶ ${t('Train')}`);
  const stop = el('button', { type: 'button' }, `■ ${t('Stop')}`);
  const resume = el('button', { type: 'button' }, t('Continue'));
  const save = el('button', { type: 'button' }, t('Save weights…'));
  const load = el('button', { type: 'button' }, t('Load weights…'));
  buttons.append(train, stop, resume, save, load);
  const status = el('p', { class: 'train-status', 'aria-live': 'polite' });
  const chartBox = el('div', { class: 'train-chart' });
  const table = el('table', { class: 'train-table' });
  box.append(form, hint, buttons, status, chartBox, table);
  const chart = createLossChart(chartBox, t('Training loss per step'));

  const read = (): TrainSettings => {
    const int = (input: HTMLInputElement, lo: number, hi: number, dflt: number) => {
      const v = Math.round(Number(input.value));
      return Number.isFinite(v) && input.value !== '' ? Math.max(lo, Math.min(hi, v)) : dflt;
    };
    const pos = (input: HTMLInputElement, hi: number, dflt: number) => {
      const v = Number(input.value);
      return Number.isFinite(v) && v > 0 ? Math.min(hi, v) : dflt;
    };
    return {
      task: task.value as TaskKind,
      timesteps: int(T, 2, 100_000, TASK_T[task.value as TaskKind]),
      textSource: source.value as TrainSettings['textSource'],
      text: text.value,
      options: {
        optimizer: optimizer.value === 'sgd' ? 'sgd' : 'adam',
        learningRate: pos(lr, 10, 0.01),
        batchSize: int(batch, 1, 100_000, 32),
        clipNorm: useClip.checked ? pos(clip, 1e6, 1) : null,
        seed: int(seed, 0, 2 ** 31 - 1, 1),
      },
      steps: int(steps, 1, 1_000_000, 300),
      compare: compare.checked,
    };
  };
  const sync = () => {
    const k = task.value as TaskKind;
    hint.textContent = t(TASK_HINTS[k]);
    (source.parentElement as HTMLElement).hidden = k !== 'next_char';
    (text.parentElement as HTMLElement).hidden = k !== 'next_char' || source.value !== 'typed';
    clip.disabled = !useClip.checked;
  };
  task.addEventListener('change', () => {
    T.value = String(TASK_T[task.value as TaskKind]);
    sync();
  });
  for (const c of [source, useClip]) c.addEventListener('change', sync);
  train.addEventListener('click', () => events.onTrain(read()));
  resume.addEventListener('click', () => events.onResume(read()));
  stop.addEventListener('click', () => events.onStop());
  save.addEventListener('click', () => events.onWeights('save'));
  load.addEventListener('click', () => events.onWeights('load'));

  let losses: number[][] = [];
  let accuracies: number[][] = [];
  let last: Progress['runs'] = [];
  let cells: CellKind[] = [];

  const drawTable = () => {
    const head = el('tr');
    for (const h of [t('Cell'), t('loss (last {0})').replace('{0}', String(RECENT)), t('accuracy'), '‖∂L/∂h₁‖ / ‖∂L/∂h_T‖', '‖g‖']) head.append(el('th', { scope: 'col' }, h));
    const rows = last.map((r, i) => {
      const tr = el('tr', { class: `cell-${r.cell}` });
      const recent = losses[i]?.slice(-RECENT) ?? [];
      const acc = accuracies[i]?.slice(-RECENT) ?? [];
      tr.append(
        el('th', { scope: 'row' }, CELL_LABELS[r.cell]),
        el('td', {}, recent.length ? formatMagnitude(mean(recent)) : '–'),
        el('td', {}, acc.length ? `${Math.round(100 * mean(acc))}%` : '–'),
        el('td', {}, formatMagnitude(r.reach)),
        el('td', {}, formatMagnitude(r.gradNorm)),
      );
      return tr;
    });
    table.replaceChildren(el('caption', {}, t('Latest numbers per run')), head, ...rows);
    table.hidden = rows.length === 0;
  };

  return {
    setStatus(s: Status): void {
      const running = s.state === 'running';
      const f = s.settings;
      // Only fill the form from the host when it did not just come from it (keeps typing intact).
      if (!form.contains(document.activeElement)) {
        task.value = f.task;
        T.value = String(f.timesteps);
        source.value = f.textSource;
        text.value = f.text;
        optimizer.value = f.options.optimizer;
        lr.value = String(f.options.learningRate);
        batch.value = String(f.options.batchSize);
        useClip.checked = f.options.clipNorm !== null;
        clip.value = String(f.options.clipNorm ?? 1);
        seed.value = String(f.options.seed);
        steps.value = String(f.steps);
        compare.checked = f.compare;
        sync();
      }
      cells = s.cells;
      train.disabled = running;
      stop.disabled = !running;
      resume.disabled = running || !s.hasWeights;
      save.disabled = running || !s.hasWeights;
      load.disabled = running;
      const state = { idle: '', running: t('training…'), stopped: t('stopped'), done: t('done'), diverged: t('diverged') }[s.state];
      status.textContent = [s.step > 0 ? `${t('step')} ${s.step}` : '', state, s.message ?? ''].filter(Boolean).join(' · ');
      status.dataset.state = s.state;
      box.dataset.state = s.state;
    },
    addProgress(p: Progress): void {
      if (p.from === 0) {
        losses = p.runs.map(() => []);
        accuracies = p.runs.map(() => []);
      }
      p.runs.forEach((r, i) => {
        (losses[i] ??= []).length = Math.min(losses[i].length, p.from);
        losses[i].push(...r.losses);
        if (r.accuracies) {
          (accuracies[i] ??= []).length = Math.min(accuracies[i].length, p.from);
          accuracies[i].push(...r.accuracies);
        }
      });
      last = p.runs;
      chart.draw(p.runs.map((r, i) => ({ cell: r.cell, label: CELL_LABELS[r.cell], losses: losses[i] })));
      drawTable();
    },
    /** The cells of the current run (for tests and the legend). */
    cells: () => cells,
  };
}
