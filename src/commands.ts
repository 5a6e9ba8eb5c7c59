// The palette commands: thin wrappers that find the layer and hand a scene to the panel.
import * as vscode from 'vscode';
import type { LayerIndex } from './codelens';
import type { UnrollViewProvider } from './panel';
import { DEFAULT_SCENE, sceneFor } from './scene';
import type { LayerSpec } from './spec';
import { layerAt } from './locate';

export function registerCommands(index: LayerIndex, panel: UnrollViewProvider): vscode.Disposable[] {
  const unroll = async (document: vscode.TextDocument, spec: LayerSpec) => {
    const config = vscode.workspace.getConfiguration('rnnUnroll');
    const defaults = { ...DEFAULT_SCENE, timesteps: config.get<number>('defaultTimesteps', DEFAULT_SCENE.timesteps) };
    const source = `${vscode.workspace.asRelativePath(document.uri)}:${spec.range.line + 1}`;
    await panel.show(sceneFor(spec, source, defaults, vscode.l10n.t));
  };

  return [
    vscode.commands.registerCommand('rnnUnroll.openPanel', () => panel.show(null)),

    vscode.commands.registerCommand('rnnUnroll.unrollAtCursor', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Open a file with a recurrent layer first, then put the cursor on it.'));
        return;
      }
      const layers = index.layers(editor.document);
      const spec = layerAt(layers, editor.selection.active.line);
      if (!spec) {
        void vscode.window.showInformationMessage(
          layers.length === 0
            ? vscode.l10n.t('No SimpleRNN, LSTM or GRU layer was found in this file.')
            : vscode.l10n.t('The cursor is not on a recurrent layer. This file has {0}; put the cursor on one of their lines.', layers.length),
        );
        return;
      }
      await unroll(editor.document, spec);
    }),

    // Invoked by the CodeLens with the position of the layer's name.
    vscode.commands.registerCommand('rnnUnroll.unrollLayer', async (uri: unknown, line: unknown, character: unknown) => {
      if (!(uri instanceof vscode.Uri) || typeof line !== 'number' || typeof character !== 'number') return;
      const document = await vscode.workspace.openTextDocument(uri);
      const spec = index.layers(document).find((l) => l.range.line === line && l.range.character === character);
      if (!spec) {
        void vscode.window.showWarningMessage(vscode.l10n.t('That layer is no longer at this place in the file; click the lens again.'));
        return;
      }
      await unroll(document, spec);
    }),
  ];
}
