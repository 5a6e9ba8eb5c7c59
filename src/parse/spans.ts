// Which lines each layer's call covers (`Bidirectional(\n  LSTM(...)\n)` spans three), so a
// cursor or a FILE:LINE inside a multi-line call finds its layer.
import type { CallIndex } from './calls';
import type { FoundLayer } from './normalize';
import type { SourceLanguage } from './source';
import type { Tokens } from './tokens';

/** A layer with the lines (0-based, inclusive) its outermost call spans, wrappers included. */
export interface LayerSpan {
  layer: FoundLayer;
  first: number;
  last: number;
}

/** Notes in each layer the lines its call spans: its call ids mean nothing to another tokenization. */
export function recordSpans(t: Tokens, ix: CallIndex, layers: readonly FoundLayer[]): void {
  const lastLine = t.lineCount - 1;
  for (const layer of layers) {
    const own = layer.spec.range.line;
    const call = ix.calls[layer.details.outerCall];
    if (!call) continue;
    const last = call.close < t.count ? t.line[call.close] : lastLine;
    layer.details.firstLine = Math.min(own, t.line[call.calleeStart]);
    layer.details.lastLine = Math.max(own, last);
  }
}

/** Spans of layers found by parseSource / parseNotebook on `text` (the text and language they were parsed from). */
export function layerSpans(_text: string, _language: SourceLanguage, layers: readonly FoundLayer[]): LayerSpan[] {
  return layers.map((layer) => {
    const own = layer.spec.range.line;
    const { firstLine, lastLine } = layer.details;
    return firstLine < 0 ? { layer, first: own, last: own } : { layer, first: firstLine, last: lastLine };
  });
}

/** The layer whose call covers `line` (0-based), preferring the nearest one starting above it. */
export function layerSpanning<S extends LayerSpan>(spans: readonly S[], line: number): S | null {
  const covering = spans.filter((c) => c.first <= line && line <= c.last);
  const above = covering.filter((c) => c.layer.spec.range.line <= line).sort((a, b) => b.layer.spec.range.line - a.layer.spec.range.line);
  return above[0] ?? covering[0] ?? null;
}
