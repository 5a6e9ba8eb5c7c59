// Public API of the parser: source text → the recurrent layers and models it declares.
// Pure (no vscode, no tfjs) and total: nothing here throws, whatever the text.
import type { LayerSpec } from '../spec';
import type { ModelSpec } from './containers';
import { parseSource, type SourceLanguage } from './source';

export type { SourceLanguage, ParseOptions, ParseResult } from './source';
export { parseSource, LANGUAGE_OF_EXTENSION } from './source';
export { layerSpans, layerSpanning, type LayerSpan } from './spans';
export type { ModelLayer, ModelLayerRole, ModelSpec } from './containers';
export type { FoundLayer, LayerDetails } from './normalize';
export type { LayerDescription, ReturnedTensor, ShapeExtras } from './shapes';
export { describeLayer, hoverMarkdown, layerLabel, lensTitle, modelLensTitle, paramCount } from './shapes';
export { Scope } from './scope';
export { parseNotebook, readNotebook, type NotebookCell, type NotebookLayer, type NotebookParse } from './notebook';

/** Every recurrent layer in the text, in source order (fast: the CodeLens provider calls it on each change). */
export function findLayers(text: string, language: SourceLanguage): LayerSpec[] {
  return parseSource(text, language).layers.map((l) => l.spec);
}

/** Every model that contains a recurrent layer: Sequential, functional graph or subclass. */
export function findModels(text: string, language: SourceLanguage): ModelSpec[] {
  return parseSource(text, language).models;
}

/** The layer on `line` whose name is under or before `character` (else the first on the line). */
export function layerAt(layers: readonly LayerSpec[], line: number, character: number): LayerSpec | null {
  let best: LayerSpec | null = null;
  for (const l of layers) {
    const r = l.range;
    if (r.line !== line) continue;
    if (character >= r.character && character <= r.endCharacter) return l;
    if (r.character <= character && (!best || r.character > best.range.character)) best = l;
  }
  return best ?? layers.find((l) => l.range.line === line) ?? null;
}
