// From a parsed layer to what the panel draws: the knobs start at the code's values (or at
// defaults, with a note saying so, when the code leaves them open), and the user may change them.
// Pure; the translation function comes in.
import { PANEL_LIMITS, type Scene, type ViewParams } from './protocol';
import { CELL_DISPLAY_NAME, type LayerSpec } from './spec';

export interface SceneDefaults {
  timesteps: number;
  inputDim: number;
  units: number;
  /** Drawing cap for H: larger layers are drawn at this size, with a note. */
  maxUnits: number;
}

export const DEFAULT_SCENE: SceneDefaults = { timesteps: 8, inputDim: 8, units: 32, maxUnits: PANEL_LIMITS.units };

type Translate = (message: string, ...args: (string | number)[]) => string;

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/** The panel's first knobs for a layer: the code's sizes where it has them, capped for drawing. */
export function initialParams(spec: LayerSpec, defaults: SceneDefaults): ViewParams {
  return {
    cell: spec.kind,
    timesteps: clamp(spec.timesteps ?? defaults.timesteps, 1, PANEL_LIMITS.timesteps),
    units: clamp(spec.units ?? defaults.units, 1, defaults.maxUnits),
    inputDim: clamp(spec.inputDim ?? defaults.inputDim, 1, PANEL_LIMITS.inputDim),
    preset: 'sine',
    text: '',
    numbers: '',
    recurrentScale: null,
    compare: false,
    seed: 1,
  };
}

export function sceneFor(spec: LayerSpec, source: string, params: ViewParams, version: number, t: Translate, trained = false): Scene {
  const notes: string[] = [];
  if (spec.units === null) notes.push(t('units is `{0}` in the code; drawn with {1}.', spec.unitsText || '?', params.units));
  else if (spec.units > params.units) notes.push(t('{0} units are drawn as {1} to stay readable.', spec.units, params.units));
  if (spec.timesteps === null) notes.push(t('The code does not fix the sequence length; T = {0} is used.', params.timesteps));
  if (spec.inputDim === null) notes.push(t('The code does not state the input size; D = {0} is used.', params.inputDim));
  if (params.cell !== spec.kind) notes.push(t('The code has {0}; the panel shows {1}.', CELL_DISPLAY_NAME[spec.kind], CELL_DISPLAY_NAME[params.cell]));
  // The layer returns every step, but only the last one reaches the head: many-to-one, as a
  // Keras layer without return_sequences, so the loss (and BPTT) starts at step T alone.
  const lastStep = spec.head?.lastStep === true && spec.returnSequences === true;
  if (lastStep) notes.push(t('forward() passes only the last step to the head, so it is drawn many-to-one with the loss at step T.'));
  const effective: LayerSpec = {
    ...spec,
    ...(lastStep ? { returnSequences: false, head: { ...spec.head!, timeDistributed: false } } : {}),
    kind: params.cell,
    // Keras's GRU default; an LSTM or SimpleRNN has no such switch.
    resetAfter: params.cell === 'gru' ? (spec.kind === 'gru' ? spec.resetAfter : true) : false,
  };
  return { spec: effective, codeKind: spec.kind, params, notes, source, version, trained, vocab: null };
}
