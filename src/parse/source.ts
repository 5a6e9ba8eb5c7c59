// The parse pipeline: tokens → calls → statements/assignments → scope → recognized layers and models.
// Total: malformed code is normal while typing, so nothing here throws.
import { jsAssignments, pythonAssignments, pythonStatements } from './assignments';
import { jsArms, pythonArms } from './branches';
import { jsFunctions, pythonFunctions } from './functions';
import { JS_CALL_OPTIONS, PYTHON_CALL_OPTIONS, readCalls } from './calls';
import { Analyzer, type ModelSpec } from './containers';
import { tokenizeJs } from './jsTokens';
import { readAssignments, readJsImports, readPythonImports } from './imports';
import { moduleLookup, pythonLookup } from './locals';
import type { FoundLayer } from './normalize';
import { tokenizePython } from './pythonTokens';
import { isKnownClassName } from './recognize';
import { prunedSafely } from './prune';
import { Scope } from './scope';
import { recordSpans } from './spans';
import type { Tokens } from './tokens';

export type SourceLanguage = 'python' | 'javascript' | 'typescript';

/** The language of a source file by its extension (`.py`, `.ts`, …), or undefined. */
export const LANGUAGE_OF_EXTENSION: Readonly<Record<string, SourceLanguage>> = {
  '.py': 'python',
  '.pyw': 'python',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'typescript',
};

export interface ParseOptions {
  /**
   * Names known before this text (a notebook's earlier cells). The parse adds this text's
   * imports, aliases and constants to it, so pass `scope.clone()` to keep the original.
   */
  scope?: Scope;
}

export interface ParseResult {
  layers: FoundLayer[];
  models: ModelSpec[];
  scope: Scope;
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** Cheap exit for the common case: no recurrent name anywhere in the text. */
const MAYBE_RNN = /rnn|lstm|gru/i;

/**
 * The pipeline without the safety net: throws if the parser has a bug. Tests (the fuzzer) call
 * this to see failures that parseSource would hide.
 */
export function parseUnchecked(text: string, language: SourceLanguage, options: ParseOptions = {}): ParseResult {
  // Without an outer scope every recognizable call names its class in this text (or an alias does).
  if (!options.scope && !MAYBE_RNN.test(text)) return { layers: [], models: [], scope: new Scope() };
  // Pruning needs every name the skipped code could mean to be in this text, so not for notebook cells.
  return runPipeline(text, language, options.scope, !options.scope);
}

/** The pipeline with pruning (prune.ts) on or off; tests compare the two. */
export function runPipeline(text: string, language: SourceLanguage, outer: Scope | undefined, prune: boolean): ParseResult {
  const scope = outer ?? new Scope();
  const python = language === 'python';
  const t = python ? tokenizePython(text, prune) : tokenizeJs(text, prune);
  const ix = readCalls(t, python ? PYTHON_CALL_OPTIONS : JS_CALL_OPTIONS);
  const ctx = { t, ix, casts: !python };
  const statements = python ? pythonStatements(t, ix) : [];
  const assignments = python ? pythonAssignments(t, ix, statements) : jsAssignments(t, ix);
  if (python) readPythonImports(t, statements, scope);
  else readJsImports(t, ix, scope);
  if (!readSkippedImports(t, scope)) return runPipeline(text, language, outer, false);
  readAssignments(ctx, assignments, scope, isKnownClassName);
  const lookup = python ? pythonLookup(t, ix, statements, scope) : moduleLookup(scope);
  const arms = once(() => (python ? pythonArms(t, statements) : jsArms(t, ix)));
  const functions = once(() => (python ? pythonFunctions(t, statements) : jsFunctions(t, ix)));
  const analyzer = new Analyzer({ env: { ctx, scope, python, lookup }, statements, assignments, arms, functions });
  const analysis = analyzer.run();
  if (!prunedSafely(t, { callees: analyzer.callees(), layerVars: analyzer.layerVarNames(), addReceivers: analyzer.addReceiverNames() }, scope, python)) {
    return runPipeline(text, language, outer, false);
  }
  recordSpans(t, ix, analysis.layers);
  return { layers: analysis.layers, models: analysis.models, scope };
}

/**
 * The import statements inside skipped Python functions and classes, tokenized apart from the
 * file and read as the full parse reads them: they bind module-level names there too. False when
 * one binds a name to a path the file also binds it to another one: the order of those paths is
 * the full parse's to give.
 */
function readSkippedImports(t: Tokens, scope: Scope): boolean {
  const ranges = t.skippedImports;
  if (ranges.length === 0) return true;
  const local = new Scope();
  // One text of them all, a statement per line: each closes its brackets before its line ends.
  const parts: string[] = [];
  for (let k = 0; k < ranges.length; k += 2) parts.push(t.text.slice(ranges[k], ranges[k + 1]));
  const lines = tokenizePython(parts.join('\n'));
  readPythonImports(lines, pythonStatements(lines, readCalls(lines, PYTHON_CALL_OPTIONS)), local);
  if (local.starModules.length || local.definesAny()) return false;
  for (const [name, paths] of local.bindings) {
    const prev = scope.bindings.get(name);
    if (paths.length !== 1 || (prev && (prev.length !== 1 || prev[0] !== paths[0]))) return false;
  }
  for (const [name, paths] of local.bindings) scope.bind(name, paths);
  if (local.keras2) scope.keras2 = true;
  return true;
}

/** Every layer and model in the text. Never throws: malformed code is normal while typing. */
export function parseSource(text: string, language: SourceLanguage, options: ParseOptions = {}): ParseResult {
  if (typeof text !== 'string') return { layers: [], models: [], scope: options.scope ?? new Scope() };
  try {
    return parseUnchecked(text, language, options);
  } catch {
    // A parser bug must never take the lens provider down; an empty answer is the safe one.
    return { layers: [], models: [], scope: options.scope ?? new Scope() };
  }
}
