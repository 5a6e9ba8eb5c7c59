// Which parsed layer the cursor is on: pure, so the palette command stays thin and testable.
import type { LayerSpec } from './spec';

/** Lines a multi-line layer call may span below its name and still count as "on the layer". */
const MAX_CALL_LINES = 10;

/** The layer whose call starts on `line`, else the nearest one starting above it (multi-line calls). */
export function layerAt(layers: readonly LayerSpec[], line: number): LayerSpec | undefined {
  let best: LayerSpec | undefined;
  for (const l of layers) {
    if (l.range.line <= line && (!best || l.range.line >= best.range.line)) best = l;
  }
  return best && line - best.range.line <= MAX_CALL_LINES ? best : undefined;
}
