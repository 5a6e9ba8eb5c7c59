// Playback and parameter controls: plain form elements styled with theme variables, every one
// labelled and keyboard-reachable. Emits knob changes (debounced) and playback intents; knows
// nothing of how they are computed or drawn.
import { INPUT_PRESETS, PANEL_LIMITS, type InputPreset, type ViewParams } from '../src/protocol';
import type { CellKind } from '../src/spec';
import { el, labelled } from './dom';
import { t } from './strings';

export const SPEEDS = [1, 2, 4, 8, 16, 32] as const;

export interface PlaybackView {
  /** 0…2T: forward reveals steps 1…T, then BPTT walks back from T to 1. */
  position: number;
  max: number;
  playing: boolean;
  speed: number;
  /** False while the layer's numbers are computed: there is nothing to play yet. */
  ready: boolean;
}

export interface ControlsEvents {
  onParams(params: ViewParams): void;
  onPlay(): void;
  onPause(): void;
  onStep(delta: number): void;
  onSeek(position: number): void;
  onSpeed(stepsPerSecond: number): void;
  onExport(format: 'svg' | 'png'): void;
}

export interface Controls {
  /**
   * `trained`: the weights are a trained model's, so its sizes and cell cannot change;
   * `vocab`: its Embedding's vocabulary, when token ids can be fed.
   */
  setParams(params: ViewParams, trained: boolean, vocab: number | null): void;
  setPlayback(p: PlaybackView, phaseText: string): void;
}

const CELL_LABELS: Record<CellKind, string> = { simple_rnn: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' };
const PRESET_LABELS: Record<InputPreset, string> = { sine: 'sine wave', text: 'one-hot text', random: 'random', numbers: 'my numbers', tokens: 'token ids' };

export function createControls(playbackBox: HTMLElement, knobsBox: HTMLElement, events: ControlsEvents): Controls {
  // ---- playback ----
  const bar = el('div', { class: 'playback', role: 'toolbar', 'aria-label': t('Playback') });
  const back = el('button', { type: 'button', class: 'icon', 'aria-label': t('Step back'), title: t('Step back (←)') }, '‹');
  const play = el('button', { type: 'button', class: 'primary', 'aria-label': t('Play') }, `▶ ${t('Play')}`);
  const fwd = el('button', { type: 'button', class: 'icon', 'aria-label': t('Step forward'), title: t('Step forward (→)') }, '›');
  const scrub = el('input', { type: 'range', min: '0', max: '1', step: '1', value: '0', 'aria-label': t('Position in the forward and backward pass') });
  const speed = el('select', { 'aria-label': t('Speed (steps per second)') });
  for (const s of SPEEDS) speed.append(el('option', { value: String(s) }, `${s}×`));
  const phase = el('span', { class: 'phase', 'aria-live': 'polite' });
  const exportSvg = el('button', { type: 'button', 'aria-label': t('Export the picture as SVG') }, 'SVG');
  const exportPng = el('button', { type: 'button', 'aria-label': t('Export the picture as PNG') }, 'PNG');
  bar.append(back, play, fwd, scrub, speed, phase, exportSvg, exportPng);

  let playing = false;
  play.addEventListener('click', () => (playing ? events.onPause() : events.onPlay()));
  back.addEventListener('click', () => events.onStep(-1));
  fwd.addEventListener('click', () => events.onStep(1));
  scrub.addEventListener('input', () => events.onSeek(Number(scrub.value)));
  speed.addEventListener('change', () => events.onSpeed(Number(speed.value)));
  exportSvg.addEventListener('click', () => events.onExport('svg'));
  exportPng.addEventListener('click', () => events.onExport('png'));

  // ---- knobs ----
  const form = el('form', { class: 'knobs', 'aria-label': t('Layer and input settings') });
  form.addEventListener('submit', (e) => e.preventDefault());
  const cell = el('select');
  for (const k of Object.keys(CELL_LABELS) as CellKind[]) cell.append(el('option', { value: k }, CELL_LABELS[k]));
  const T = el('input', { type: 'number', min: '1', max: String(PANEL_LIMITS.timesteps), step: '1' });
  const H = el('input', { type: 'number', min: '1', max: String(PANEL_LIMITS.units), step: '1' });
  const preset = el('select');
  for (const p of INPUT_PRESETS) preset.append(el('option', { value: p }, t(PRESET_LABELS[p])));
  const text = el('input', { type: 'text', maxlength: String(PANEL_LIMITS.textLength), placeholder: t('text to encode one character per step') });
  const numbers = el('textarea', { rows: '2', placeholder: t('numbers, e.g. 0.1 0.5 -0.3 … (filled row by row, T×D)') });
  const useScale = el('input', { type: 'checkbox' });
  const scale = el('input', { type: 'range', min: '0.1', max: '3', step: '0.05' });
  const scaleValue = el('output');
  const compare = el('input', { type: 'checkbox' });
  const scaleField = labelled(t('Recurrent scale ρ(U)'), scale, 'knob-scale');
  scaleField.prepend(useScale);
  useScale.setAttribute('aria-label', t('Set the spectral radius of the recurrent weights'));
  scaleField.append(scaleValue);
  scaleField.classList.add('wide');
  form.append(
    labelled(t('Cell'), cell, 'knob-cell'),
    labelled('T', T, 'knob-T'),
    labelled(t('Units'), H, 'knob-H'),
    labelled(t('Input'), preset, 'knob-preset'),
    labelled(t('Text'), text, 'knob-text'),
    labelled(t('Numbers'), numbers, 'knob-numbers'),
    scaleField,
    labelled(t('Compare SimpleRNN · LSTM · GRU'), compare, 'knob-compare'),
  );
  (compare.parentElement as HTMLElement).classList.add('wide');
  playbackBox.append(bar);
  knobsBox.append(form);

  let current: ViewParams | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const readParams = (): ViewParams | null => {
    if (!current) return null;
    const clampInt = (input: HTMLInputElement, lo: number, hi: number, fallback: number) => {
      const v = Math.round(Number(input.value));
      return Number.isFinite(v) ? Math.max(lo, Math.min(hi, v)) : fallback;
    };
    return {
      ...current,
      cell: cell.value as CellKind,
      timesteps: clampInt(T, 1, PANEL_LIMITS.timesteps, current.timesteps),
      units: clampInt(H, 1, PANEL_LIMITS.units, current.units),
      preset: preset.value as InputPreset,
      text: text.value,
      numbers: numbers.value,
      recurrentScale: useScale.checked ? Number(scale.value) : null,
      compare: compare.checked,
    };
  };
  const changed = () => {
    scaleValue.textContent = useScale.checked ? Number(scale.value).toFixed(2) : t('Keras init');
    syncVisibility();
    clearTimeout(timer);
    // Typing in a number field should not recompute on every keystroke.
    timer = setTimeout(() => {
      const p = readParams();
      if (p) {
        current = p;
        events.onParams(p);
      }
    }, 250);
  };
  const syncVisibility = () => {
    (text.parentElement as HTMLElement).hidden = preset.value !== 'text';
    (numbers.parentElement as HTMLElement).hidden = preset.value !== 'numbers' && preset.value !== 'tokens';
    scale.disabled = !useScale.checked;
  };
  for (const c of [cell, T, H, preset, text, numbers, useScale, scale, compare]) c.addEventListener(c instanceof HTMLSelectElement || c.type === 'checkbox' ? 'change' : 'input', changed);

  return {
    setParams(p, trained, vocab) {
      current = p;
      const tokensOption = preset.querySelector<HTMLOptionElement>('option[value="tokens"]')!;
      tokensOption.hidden = tokensOption.disabled = vocab === null;
      numbers.placeholder = p.preset === 'tokens' ? t('token ids of the model’s vocabulary, e.g. 12 7 431 … (one per step)') : t('numbers, e.g. 0.1 0.5 -0.3 … (filled row by row, T×D)');
      for (const c of [cell, H, compare, useScale]) {
        c.disabled = trained;
        c.title = trained ? t('The weights come from a trained model: units, input size and cell are fixed.') : '';
      }
      cell.value = p.cell;
      T.value = String(p.timesteps);
      H.value = String(p.units);
      preset.value = p.preset;
      text.value = p.text;
      numbers.value = p.numbers;
      useScale.checked = p.recurrentScale !== null;
      scale.value = String(p.recurrentScale ?? 1);
      scaleValue.textContent = p.recurrentScale !== null ? p.recurrentScale.toFixed(2) : t('Keras init');
      compare.checked = p.compare;
      syncVisibility();
      scale.disabled = trained || !useScale.checked;
    },
    setPlayback(p, phaseText) {
      playing = p.playing;
      play.textContent = p.playing ? `⏸ ${t('Pause')}` : `▶ ${t('Play')}`;
      play.setAttribute('aria-label', p.playing ? t('Pause') : t('Play'));
      scrub.max = String(p.max);
      scrub.value = String(p.position);
      speed.value = String(p.speed);
      phase.textContent = phaseText;
      for (const c of [back, play, fwd, scrub]) c.disabled = !p.ready;
    },
  };
}
