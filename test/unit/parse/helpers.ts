// Shared by the parser tests: corpus files (real code, see each file's header) and lookups by
// 1-based line, the way a person reads the file.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ParseResult, SourceLanguage } from '../../../src/parse';
import { runPipeline } from '../../../src/parse/source';
import type { LayerSpec } from '../../../src/spec';

/** test/unit/parse/corpus, from the bundled test in out/test/unit/parse or from the repo root. */
export function corpusDir(): string {
  const fromBundle = resolve(__dirname, '../../../../test/unit/parse/corpus');
  return existsSync(fromBundle) ? fromBundle : resolve(process.cwd(), 'test/unit/parse/corpus');
}

export function corpus(name: string): string {
  return readFileSync(join(corpusDir(), name), 'utf8');
}

/** The layer whose constructor name sits on 1-based `line` (exactly one must). */
export function at(layers: LayerSpec[], line: number): LayerSpec {
  const found = layers.filter((l) => l.range.line === line - 1);
  assert.equal(found.length, 1, `expected one layer on line ${line}, found ${found.length} (layers on lines ${layers.map((l) => l.range.line + 1).join(', ')})`);
  return found[0];
}

export function lines(layers: LayerSpec[]): number[] {
  return layers.map((l) => l.range.line + 1);
}

/**
 * What a parse reports, without call ids (they number one tokenization's calls, and pruning
 * tokenizes less), for comparing two parses of the same text. With the names the text defines:
 * a later notebook cell would see them.
 */
export function reported(r: ParseResult): string {
  const layers = r.layers.map((l) => {
    const { call: _call, outerCall: _outer, alternativeOf, ...details } = l.details;
    return { spec: l.spec, details, alternative: alternativeOf !== null };
  });
  return JSON.stringify({ layers, models: r.models, defined: [...r.scope.definedNames()].sort() });
}

/** Asserts that pruned parsing reports exactly what the full parse does. */
export function assertPruningExact(text: string, language: SourceLanguage, label: string): void {
  assert.equal(reported(runPipeline(text, language, undefined, true)), reported(runPipeline(text, language, undefined, false)), `${label}: pruning changed the result`);
}
