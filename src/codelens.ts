// CodeLens above every recurrent layer: ranges are found cheaply in provideCodeLenses (cached per
// document version); the title is filled in resolveCodeLens, as the VS Code samples do.
import * as vscode from 'vscode';
import { findLayers, type SourceLanguage } from './parse';
import type { LayerSpec } from './spec';
import { layerTitle } from './describe';

export const LANGUAGES: readonly SourceLanguage[] = ['python', 'javascript', 'typescript'];

class LayerLens extends vscode.CodeLens {
  constructor(
    readonly uri: vscode.Uri,
    readonly spec: LayerSpec,
  ) {
    super(new vscode.Range(spec.range.line, spec.range.character, spec.range.endLine, spec.range.endCharacter));
  }
}

/** Parses each document version once, whoever asks (lens, hover, command). */
export class LayerIndex {
  private cache = new Map<string, { version: number; layers: LayerSpec[] }>();

  layers(document: vscode.TextDocument): LayerSpec[] {
    if (!(LANGUAGES as readonly string[]).includes(document.languageId)) return [];
    const key = document.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === document.version) return hit.layers;
    const layers = findLayers(document.getText(), document.languageId as SourceLanguage);
    this.cache.set(key, { version: document.version, layers });
    return layers;
  }

  forget(document: vscode.TextDocument): void {
    this.cache.delete(document.uri.toString());
  }
}

export class LayerLensProvider implements vscode.CodeLensProvider<LayerLens> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly index: LayerIndex) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): LayerLens[] {
    if (!vscode.workspace.getConfiguration('rnnUnroll').get<boolean>('codeLens.enabled', true)) return [];
    return this.index.layers(document).map((spec) => new LayerLens(document.uri, spec));
  }

  resolveCodeLens(lens: LayerLens): LayerLens {
    lens.command = {
      title: `▶ ${vscode.l10n.t('Unroll')} ${layerTitle(lens.spec)}`,
      tooltip: vscode.l10n.t('Show this layer unrolled through time in the RNN Unroll panel'),
      command: 'rnnUnroll.unrollLayer',
      arguments: [lens.uri, lens.spec.range.line, lens.spec.range.character],
    };
    return lens;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
