// The editor side of the parser: CodeLens above every recurrent layer and every model that holds
// one, and a hover on the layer name. Ranges are found cheaply in provideCodeLenses (one parse per
// document version, shared with the hover and the commands); titles are filled in resolveCodeLens,
// as the VS Code samples do. Notebook cells are parsed with the imports of the cells above them.
import * as vscode from 'vscode';
import { hoverMarkdown, lensTitle, modelLensTitle, parseSource, Scope, type FoundLayer, type ModelSpec, type ParseResult, type SourceLanguage } from './parse';
import type { LayerSpec } from './spec';

export const LANGUAGES: readonly SourceLanguage[] = ['python', 'javascript', 'typescript'];
const NOTEBOOK_CELL = 'vscode-notebook-cell';

const isLanguage = (id: string): id is SourceLanguage => (LANGUAGES as readonly string[]).includes(id);
const rangeOf = (r: LayerSpec['range']) => new vscode.Range(r.line, r.character, r.endLine, r.endCharacter);

/** Parses each document version once, whoever asks (lens, hover, command). */
export class LayerIndex {
  private cache = new Map<string, { key: string; result: ParseResult }>();

  parse(document: vscode.TextDocument): ParseResult | null {
    if (!isLanguage(document.languageId)) return null;
    const notebook = document.uri.scheme === NOTEBOOK_CELL ? notebookOf(document) : undefined;
    const key = notebook ? `${document.version}@${notebook.version}` : String(document.version);
    const id = document.uri.toString();
    const hit = this.cache.get(id);
    if (hit && hit.key === key) return hit.result;
    const result = parseSource(document.getText(), document.languageId, notebook ? { scope: scopeAbove(notebook, document) } : {});
    this.cache.set(id, { key, result });
    return result;
  }

  layers(document: vscode.TextDocument): LayerSpec[] {
    return this.parse(document)?.layers.map((l) => l.spec) ?? [];
  }

  forget(document: vscode.TextDocument): void {
    this.cache.delete(document.uri.toString());
  }
}

function notebookOf(cell: vscode.TextDocument): vscode.NotebookDocument | undefined {
  return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document === cell));
}

/** Imports, aliases and constants defined by the code cells above `cell`, in order. */
function scopeAbove(notebook: vscode.NotebookDocument, cell: vscode.TextDocument): Scope {
  const scope = new Scope();
  for (const c of notebook.getCells()) {
    if (c.document === cell) break;
    if (c.kind === vscode.NotebookCellKind.Code && isLanguage(c.document.languageId)) parseSource(c.document.getText(), c.document.languageId, { scope });
  }
  return scope;
}

class UnrollLens extends vscode.CodeLens {
  constructor(
    readonly uri: vscode.Uri,
    readonly found: FoundLayer | null,
    readonly model: ModelSpec | null,
    range: vscode.Range,
  ) {
    super(range);
  }
}

export class LayerLensProvider implements vscode.CodeLensProvider<UnrollLens> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  /** `onFirstLens`: called once, when the first lens is resolved (e.g. to get the engine ready). */
  constructor(
    private readonly index: LayerIndex,
    private onFirstLens: (() => void) | null = null,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): UnrollLens[] {
    if (!vscode.workspace.getConfiguration('rnnUnroll').get<boolean>('codeLens.enabled', true)) return [];
    const parsed = this.index.parse(document);
    if (!parsed) return [];
    // A model lens only adds something when the model has more than its single layer's own line.
    const models = parsed.models.filter((m) => m.recurrent.length > 0 && (m.recurrent.length > 1 || m.head || m.range.line !== m.recurrent[0].range.line));
    return [
      ...models.map((m) => new UnrollLens(document.uri, null, m, rangeOf(m.range))),
      ...parsed.layers.map((f) => new UnrollLens(document.uri, f, null, rangeOf(f.spec.range))),
    ];
  }

  resolveCodeLens(lens: UnrollLens): UnrollLens {
    this.onFirstLens?.();
    this.onFirstLens = null;
    if (lens.found) {
      const r = lens.found.spec.range;
      lens.command = {
        title: lensTitle(lens.found.spec, lens.found.details, vscode.l10n.t),
        tooltip: vscode.l10n.t('Show this layer unrolled through time in the RNN Unroll panel'),
        command: 'rnnUnroll.unrollLayer',
        arguments: [lens.uri, r.line, r.character],
      };
    } else if (lens.model) {
      const first = lens.model.recurrent[0].range;
      lens.command = {
        title: modelLensTitle(lens.model, vscode.l10n.t),
        tooltip: vscode.l10n.t('Unroll the model: its recurrent layer with the input and head around it'),
        command: 'rnnUnroll.unrollLayer',
        arguments: [lens.uri, first.line, first.character, lens.model.range.line],
      };
    }
    return lens;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Hover on a layer's constructor name: shapes, return structure, parameters, symbolic values. */
export class LayerHoverProvider implements vscode.HoverProvider {
  constructor(private readonly index: LayerIndex) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const found = this.index.parse(document)?.layers.find((f) => rangeOf(f.spec.range).contains(position));
    if (!found) return undefined;
    const md = new vscode.MarkdownString(hoverMarkdown(found.spec, found.details, vscode.l10n.t));
    md.appendMarkdown('\n\n');
    const args = encodeURIComponent(JSON.stringify([document.uri.toString(), found.spec.range.line, found.spec.range.character]));
    md.appendMarkdown(`[▶ ${vscode.l10n.t('Unroll')}](command:rnnUnroll.unrollLayer?${args})`);
    md.isTrusted = { enabledCommands: ['rnnUnroll.unrollLayer'] };
    return new vscode.Hover(md, rangeOf(found.spec.range));
  }
}
