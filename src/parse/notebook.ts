// Jupyter notebooks read as JSON (the CLI's case; inside VS Code each cell arrives as its own
// document). Code cells are parsed one by one so an unfinished string in one cell cannot swallow
// the next, while imports, aliases and constants carry from each cell to the cells after it.
import { parseSource, type SourceLanguage } from './source';
import type { ModelSpec } from './containers';
import type { FoundLayer } from './normalize';
import { Scope } from './scope';

export interface NotebookCell {
  /** 0-based index among all cells (markdown and raw included). */
  index: number;
  cellType: string;
  source: string;
}

export interface NotebookLayer extends FoundLayer {
  /** Index of the cell among all cells; the layer's range counts lines inside that cell. */
  cell: number;
}

export interface NotebookParse {
  language: SourceLanguage;
  cells: NotebookCell[];
  layers: NotebookLayer[];
  models: (ModelSpec & { cell: number })[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sourceOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string').join('');
  return '';
}

function languageOf(nb: Record<string, unknown>): SourceLanguage {
  const meta = isRecord(nb.metadata) ? nb.metadata : {};
  const info = isRecord(meta.language_info) ? meta.language_info : {};
  const kernel = isRecord(meta.kernelspec) ? meta.kernelspec : {};
  const name = String(info.name ?? kernel.language ?? 'python').toLowerCase();
  return name === 'typescript' ? 'typescript' : name === 'javascript' ? 'javascript' : 'python';
}

/** The cells of an .ipynb file (nbformat 4, or 3's worksheets). Throws an Error with a one-line reason when the text is not a notebook. */
export function readNotebook(json: string): { language: SourceLanguage; cells: NotebookCell[] } {
  let nb: unknown;
  try {
    nb = JSON.parse(json);
  } catch (e) {
    throw new Error(`not valid notebook JSON (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  if (!isRecord(nb)) throw new Error('not a notebook: the JSON is not an object');
  let raw: unknown = nb.cells;
  if (raw === undefined && Array.isArray(nb.worksheets) && isRecord(nb.worksheets[0])) raw = nb.worksheets[0].cells;
  if (!Array.isArray(raw)) throw new Error('not a notebook: no "cells" array');
  const cells = raw.map((c, index): NotebookCell => {
    const cell = isRecord(c) ? c : {};
    return { index, cellType: String(cell.cell_type ?? 'code'), source: sourceOf(cell.source ?? cell.input) };
  });
  return { language: languageOf(nb), cells };
}

export function parseNotebook(json: string): NotebookParse {
  const { language, cells } = readNotebook(json);
  const scope = new Scope();
  const layers: NotebookLayer[] = [];
  const models: (ModelSpec & { cell: number })[] = [];
  for (const cell of cells) {
    if (cell.cellType !== 'code') continue;
    const r = parseSource(cell.source, language, { scope });
    for (const l of r.layers) layers.push({ ...l, cell: cell.index });
    for (const m of r.models) models.push({ ...m, cell: cell.index });
  }
  return { language, cells, layers, models };
}
