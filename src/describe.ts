// One-line descriptions of a layer as the code declares it (no sizes invented): the lens title.
import { CELL_DISPLAY_NAME, type LayerSpec } from './spec';

/** `(batch, T, 128)`-style output shape of the layer's first return value. */
export function outputShape(spec: LayerSpec): string {
  const H = spec.units ?? spec.unitsText;
  const width = spec.bidirectional?.mergeMode === 'concat' && typeof H === 'number' ? 2 * H : H;
  const T = spec.timesteps ?? 'T';
  return spec.returnSequences ? `(batch, ${T}, ${width})` : `(batch, ${width})`;
}

export function returnKind(spec: LayerSpec): 'many-to-many' | 'many-to-one' {
  return spec.returnSequences ? 'many-to-many' : 'many-to-one';
}

/** e.g. `LSTM(64) · many-to-one · (batch, 64)`. */
export function layerTitle(spec: LayerSpec): string {
  const name = CELL_DISPLAY_NAME[spec.kind];
  const wrapped = spec.bidirectional ? `Bidirectional(${name}(${spec.units ?? spec.unitsText}))` : `${name}(${spec.units ?? spec.unitsText})`;
  return `${wrapped} · ${returnKind(spec)} · ${outputShape(spec)}`;
}
