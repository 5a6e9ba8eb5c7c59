// Activation registers the view, the lens and the commands, and returns: nothing heavy happens
// here (no tfjs, no parsing until a document asks).
import * as vscode from 'vscode';
import { LANGUAGES, LayerIndex, LayerLensProvider } from './codelens';
import { registerCommands } from './commands';
import { UnrollViewProvider, VIEW_ID } from './panel';

/** What activate() returns: used by the integration tests to observe the panel. */
export interface RnnUnrollApi {
  readonly panel: UnrollViewProvider;
  readonly lenses: LayerLensProvider;
}

export function activate(context: vscode.ExtensionContext): RnnUnrollApi {
  const log = vscode.window.createOutputChannel('RNN Unroll', { log: true });
  const index = new LayerIndex();
  const panel = new UnrollViewProvider(context.extensionUri, log);
  const lenses = new LayerLensProvider(index);
  // Notebook cells are documents with the cell's language, so a language selector covers them.
  const selector = LANGUAGES.map((language) => ({ language }));

  context.subscriptions.push(
    log,
    panel,
    lenses,
    vscode.window.registerWebviewViewProvider(VIEW_ID, panel),
    vscode.languages.registerCodeLensProvider(selector, lenses),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('rnnUnroll.codeLens.enabled')) lenses.refresh();
    }),
    vscode.workspace.onDidCloseTextDocument((d) => index.forget(d)),
    ...registerCommands(index, panel),
  );
  return { panel, lenses };
}

export function deactivate(): void {}
