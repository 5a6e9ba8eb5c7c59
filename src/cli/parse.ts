// `rnn-unroll parse FILE`: the recurrent layers (and models) a .py/.js/.ts/.ipynb file declares, as
// JSON. Field names are a contract for scripts (issue 4 item 7): line (1-based, of the constructor
// name; inside its cell for notebooks, with `cell` the 0-based index among all cells), framework,
// kind, units, unitsText, returnSequences, returnState, bidirectional, inTimeDistributed.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { describeLayer, LANGUAGE_OF_EXTENSION, parseNotebook, parseSource, type FoundLayer, type ModelSpec } from '../parse';
import { CliError, parseArgs, type CliCommand } from './common';


function layerJson(l: FoundLayer, cell?: number): Record<string, unknown> {
  const s = l.spec;
  const d = describeLayer(s, l.details);
  return {
    ...(cell === undefined ? {} : { cell }),
    line: s.range.line + 1,
    column: s.range.character + 1,
    framework: s.framework,
    kind: s.kind,
    className: s.className,
    units: s.units,
    unitsText: s.unitsText,
    returnSequences: s.returnSequences,
    returnState: s.returnState,
    bidirectional: s.bidirectional !== null,
    mergeMode: s.bidirectional ? s.bidirectional.mergeMode : undefined,
    inTimeDistributed: s.inTimeDistributed,
    activation: s.activation,
    recurrentActivation: s.recurrentActivation,
    useBias: s.useBias,
    goBackwards: s.goBackwards,
    resetAfter: s.resetAfter,
    inputDim: s.inputDim,
    timesteps: s.timesteps,
    head: s.head,
    returnKind: d.returnKind,
    outputShape: d.outputShape,
    returnStructure: d.returnStructure,
    paramCount: d.paramCount,
    ...(s.framework === 'pytorch' ? { numLayers: l.details.numLayers, batchFirst: l.details.batchFirst, stepCell: l.details.stepCell } : {}),
    symbolic: s.symbolic,
    ...(l.details.alternativeOf !== null ? { alternative: true } : {}),
    ...(l.details.notes.length ? { notes: l.details.notes } : {}),
  };
}

function modelJson(m: ModelSpec, cell?: number): Record<string, unknown> {
  return {
    ...(cell === undefined ? {} : { cell }),
    line: m.range.line + 1,
    framework: m.framework,
    style: m.style,
    name: m.name,
    layers: m.layers.map((l) => ({ role: l.role, className: l.className, line: l.range.line + 1 })),
    recurrent: m.recurrent.map((r) => r.range.line + 1),
    input: m.input,
    head: m.head,
  };
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file} (${code ?? String(e)})`);
  }
}

export const parse: CliCommand = async (argv) => {
  const { positionals } = parseArgs(argv, []);
  if (positionals.length !== 1) throw new CliError('expected one FILE (.py, .js, .ts or .ipynb)');
  const file = positionals[0];
  const ext = extname(file).toLowerCase();
  if (ext === '.ipynb') {
    const text = read(file);
    let nb;
    try {
      nb = parseNotebook(text);
    } catch (e) {
      throw new CliError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return { layers: nb.layers.map((l) => layerJson(l, l.cell)), models: nb.models.map((m) => modelJson(m, m.cell)) };
  }
  const language = LANGUAGE_OF_EXTENSION[ext];
  if (!language) throw new CliError(`unsupported file type '${ext || file}': expected .py, .js, .ts or .ipynb`);
  const r = parseSource(read(file), language);
  return { layers: r.layers.map((l) => layerJson(l)), models: r.models.map((m) => modelJson(m)) };
};
