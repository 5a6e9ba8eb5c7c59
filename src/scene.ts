// From a parsed layer to what the panel draws: the sizes to use when the code leaves them open
// (a symbolic `units`, no input shape), each with a note that says so. Pure; strings come in.
import type { Scene } from './protocol';
import type { LayerSpec } from './spec';

export interface SceneDefaults {
  timesteps: number;
  inputDim: number;
  units: number;
  /** Drawing caps: larger values are still computed but drawn at this size, with a note. */
  maxUnits: number;
}

export const DEFAULT_SCENE: SceneDefaults = { timesteps: 8, inputDim: 8, units: 32, maxUnits: 256 };

type Translate = (message: string, ...args: (string | number)[]) => string;

export function sceneFor(spec: LayerSpec, source: string, defaults: SceneDefaults, t: Translate): Scene {
  const notes: string[] = [];
  let units = spec.units;
  if (units === null) {
    units = defaults.units;
    notes.push(t('units is `{0}` in the code; drawn with {1}.', spec.unitsText || '?', units));
  } else if (units > defaults.maxUnits) {
    notes.push(t('{0} units are drawn as {1} to stay readable.', units, defaults.maxUnits));
    units = defaults.maxUnits;
  }
  const timesteps = spec.timesteps ?? defaults.timesteps;
  if (spec.timesteps === null) notes.push(t('The code does not fix the sequence length; T = {0} is used.', timesteps));
  const inputDim = spec.inputDim ?? defaults.inputDim;
  if (spec.inputDim === null) notes.push(t('The code does not state the input size; D = {0} is used.', inputDim));
  return { spec, timesteps, inputDim, units, notes, source };
}
