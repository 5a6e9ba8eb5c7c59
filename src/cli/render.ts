// `rnn-unroll render FILE[:LINE] [--out x.svg] [--theme light|dark] [--timesteps T]`: the panel's
// unrolled picture of one layer as a standalone SVG file, for blog posts and slides. The layout is
// the webview's own pure layout code (DESIGN.md allows this one import from webview/), so the
// file shows exactly what the panel shows. For .ipynb files the position is `FILE:CELL:LINE` (CELL
// as `rnn-unroll parse` prints it: 0-based among all cells; LINE 1-based inside the cell).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { layoutScene, outputShapeText } from '../../webview/layout';
import { renderSvg, type SvgTheme } from '../../webview/svgText';
import { LANGUAGE_OF_EXTENSION, layerSpanning, layerSpans, parseNotebook, parseSource, type FoundLayer, type LayerSpan, type SourceLanguage } from '../parse';
import { PANEL_LIMITS } from '../protocol';
import { DEFAULT_SCENE, initialParams, sceneFor } from '../scene';
import { CliError, parseArgs, type CliCommand } from './common';


const THEMES: readonly SvgTheme[] = ['light', 'dark'];

interface Target {
  file: string;
  /** 0-based cell index (notebooks only). */
  cell: number | null;
  /** 1-based line; null: the first layer. */
  line: number | null;
}

/** A layer with the lines its call spans, and its notebook cell. */
interface Candidate extends LayerSpan {
  cell: number | null;
}

/**
 * Splits `FILE:LINE` / `FILE:CELL:LINE`. A path that exists as written wins, so a file whose name
 * ends in `:12` still opens.
 */
export function parseTarget(arg: string): Target {
  const m = /^(.+?)(?::(\d+))?(?::(\d+))?$/.exec(arg);
  if (!m || existsSync(arg) || m[2] === undefined) return { file: arg, cell: null, line: null };
  const notebook = extname(m[1]).toLowerCase() === '.ipynb';
  if (m[3] !== undefined) {
    if (!notebook) throw new CliError(`'${arg}': FILE:CELL:LINE is for notebooks (.ipynb); use FILE:LINE`);
    return { file: m[1], cell: Number(m[2]), line: Number(m[3]) };
  }
  // In a notebook a single number names the cell: lines restart in every cell.
  return notebook ? { file: m[1], cell: Number(m[2]), line: null } : { file: m[1], cell: null, line: Number(m[2]) };
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file} (${code ?? String(e)})`);
  }
}

function candidates(text: string, language: SourceLanguage, layers: FoundLayer[], cell: number | null): Candidate[] {
  return layerSpans(text, language, layers).map((span) => ({ ...span, cell }));
}

/** The layer on `line` (1-based): its constructor there, else the nearest one above whose call spans it. */
function choose(found: Candidate[], line: number | null, where: string): Candidate {
  // Layers the parser offers as alternatives at one site (an alias bound in branches) come second.
  const ordered = [...found.filter((c) => c.layer.details.alternativeOf === null), ...found.filter((c) => c.layer.details.alternativeOf !== null)];
  if (ordered.length === 0) throw new CliError(`no recurrent layer (SimpleRNN, LSTM, GRU) found in ${where}`);
  if (line === null) return ordered[0];
  const l = line - 1;
  const exact = ordered.find((c) => c.layer.spec.range.line === l);
  if (exact) return exact;
  const chosen = layerSpanning(ordered, l);
  if (chosen) return chosen;
  const lines = [...new Set(ordered.map((c) => c.layer.spec.range.line + 1))].sort((a, b) => a - b);
  throw new CliError(`no recurrent layer on line ${line} of ${where}; layers are on line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}`);
}

function findLayer(target: Target): Candidate {
  const ext = extname(target.file).toLowerCase();
  const text = read(target.file);
  if (ext === '.ipynb') {
    let nb;
    try {
      nb = parseNotebook(text);
    } catch (e) {
      throw new CliError(`${target.file}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (target.cell === null) return choose(nb.layers.map((layer) => ({ layer, cell: layer.cell, first: layer.spec.range.line, last: layer.spec.range.line })), null, target.file);
    const cell = nb.cells[target.cell];
    if (!cell) throw new CliError(`${target.file} has ${nb.cells.length} cells (0…${nb.cells.length - 1}); there is no cell ${target.cell}`);
    const inCell = nb.layers.filter((l) => l.cell === target.cell);
    const where = `cell ${target.cell} of ${target.file}`;
    if (inCell.length === 0) {
      const cells = [...new Set(nb.layers.map((l) => l.cell))];
      throw new CliError(`no recurrent layer in ${where}${cells.length ? `; cells with layers: ${cells.join(', ')}` : ''}`);
    }
    return choose(candidates(cell.source, nb.language, inCell, target.cell), target.line, where);
  }
  const language = LANGUAGE_OF_EXTENSION[ext];
  if (!language) throw new CliError(`unsupported file type '${ext || target.file}': expected .py, .js, .ts or .ipynb`);
  const r = parseSource(text, language);
  return choose(candidates(text, language, r.layers, null), target.line, target.file);
}

/** The host's translator without a bundle: English, with `{0}` placeholders filled in. */
function format(message: string, ...args: (string | number)[]): string {
  return message.replace(/\{(\d+)\}/g, (whole, i: string) => (args[Number(i)] === undefined ? whole : String(args[Number(i)])));
}

function intFlag(value: string | undefined, name: string, min: number, max: number): number | null {
  if (value === undefined) return null;
  const v = Number(value);
  if (!Number.isInteger(v) || v < min || v > max) throw new CliError(`--${name} should be an integer in [${min}, ${max}], not '${value}'`);
  return v;
}

export const render: CliCommand = async (argv) => {
  const { flags, positionals } = parseArgs(argv, ['out', 'theme', 'timesteps']);
  if (positionals.length !== 1) throw new CliError('expected one FILE[:LINE] (.py, .js, .ts) or FILE.ipynb[:CELL[:LINE]]');
  const theme = (flags.get('theme') ?? 'light') as SvgTheme;
  if (!THEMES.includes(theme)) throw new CliError(`--theme should be light or dark, not '${theme}'`);
  const timesteps = intFlag(flags.get('timesteps'), 'timesteps', 1, PANEL_LIMITS.timesteps);

  const target = parseTarget(positionals[0]);
  const { layer, cell } = findLayer(target);
  const spec = layer.spec;
  const line = spec.range.line + 1;
  const source = `${basename(target.file)}:${cell === null ? '' : `${cell}:`}${line}`;
  // The picture only prints sizes, so the code's units are drawn as written (the panel caps H for its heatmaps).
  const params = initialParams(spec, { ...DEFAULT_SCENE, maxUnits: Number.MAX_SAFE_INTEGER });
  if (timesteps !== null) params.timesteps = timesteps;
  // The user chose T: the scene's "T is a default" note would be wrong.
  const scene = sceneFor(timesteps === null ? spec : { ...spec, timesteps }, source, params, 0, format);
  const layout = layoutScene(scene);
  const many = spec.returnSequences ? 'many-to-many' : 'many-to-one';
  const svg = renderSvg(layout, { title: layout.title, subtitle: `${many} · output ${outputShapeText(scene)} · T = ${params.timesteps} · ${source}`, theme });

  const base = { layer: layout.title, line, ...(cell === null ? {} : { cell }), notes: scene.notes };
  const out = flags.get('out');
  if (out === undefined) return { svg, ...base };
  try {
    writeFileSync(out, svg);
  } catch (e) {
    throw new CliError(`cannot write ${out} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return { out, ...base, bytes: Buffer.byteLength(svg) };
};
