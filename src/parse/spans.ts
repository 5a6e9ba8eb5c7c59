// Which lines each layer's call covers (`Bidirectional(\n  LSTM(...)\n)` spans three), so a
// cursor or a FILE:LINE inside a multi-line call finds its layer.
import { JS_CALL_OPTIONS, PYTHON_CALL_OPTIONS, readCalls } from './calls';
import { tokenizeJs } from './jsTokens';
import type { FoundLayer } from './normalize';
import { tokenizePython } from './pythonTokens';
import type { SourceLanguage } from './source';

/** A layer with the lines (0-based, inclusive) its outermost call spans, wrappers included. */
export interface LayerSpan {
  layer: FoundLayer;
  first: number;
  last: number;
}

/** Spans from the same tokenizer and call reader the parser used on `text`, so call ids line up. */
export function layerSpans(text: string, language: SourceLanguage, layers: readonly FoundLayer[]): LayerSpan[] {
  const python = language === 'python';
  const t = python ? tokenizePython(text) : tokenizeJs(text);
  const ix = readCalls(t, python ? PYTHON_CALL_OPTIONS : JS_CALL_OPTIONS);
  const lastLine = t.lineStarts.length - 1;
  return layers.map((layer) => {
    const own = layer.spec.range.line;
    const call = ix.calls[layer.details.outerCall];
    if (!call) return { layer, first: own, last: own };
    const first = Math.min(own, t.line[call.calleeStart]);
    const last = call.close < t.count ? t.line[call.close] : lastLine;
    return { layer, first, last: Math.max(own, last) };
  });
}

/** The layer whose call covers `line` (0-based), preferring the nearest one starting above it. */
export function layerSpanning<S extends LayerSpan>(spans: readonly S[], line: number): S | null {
  const covering = spans.filter((c) => c.first <= line && line <= c.last);
  const above = covering.filter((c) => c.layer.spec.range.line <= line).sort((a, b) => b.layer.spec.range.line - a.layer.spec.range.line);
  return above[0] ?? covering[0] ?? null;
}
