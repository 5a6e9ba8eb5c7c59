// Activation registers the view, the lens and the commands, and returns: nothing heavy happens
// here (no tfjs, no parsing until a document asks).
import * as vscode from 'vscode';
import { LANGUAGES, LayerHoverProvider, LayerIndex, LayerLensProvider } from './codelens';
import { registerCommands } from './commands';
import { EngineClient } from './engine/client';
import { UnrollViewProvider, VIEW_ID } from './panel';

/** What activate() returns: used by the integration tests to observe the panel. */
export interface RnnUnrollApi {
  readonly panel: UnrollViewProvider;
  readonly lenses: LayerLensProvider;
}

export function activate(context: vscode.ExtensionContext): RnnUnrollApi {
  const log = vscode.window.createOutputChannel('RNN Unroll', { log: true });
  const index = new LayerIndex();
  let toldCrash = false;
  const engine = new EngineClient({
    workerPath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath,
    onCrash: (message) => {
      log.error(`engine worker crashed: ${message}`);
      if (toldCrash) return;
      toldCrash = true;
      void vscode.window.showWarningMessage(vscode.l10n.t('The RNN Unroll engine stopped unexpectedly ({0}); it restarts on the next request.', message));
    },
  });
  const panel = new UnrollViewProvider(context.extensionUri, log, engine);
  // The engine worker starts when the first lens shows (a click is likely), not at activation.
  const lenses = new LayerLensProvider(index, () => engine.warmUp());
  // Notebook cells are documents with the cell's language, so a language selector covers them.
  const selector = LANGUAGES.map((language) => ({ language }));

  context.subscriptions.push(
    log,
    { dispose: () => engine.dispose() },
    panel,
    lenses,
    vscode.window.registerWebviewViewProvider(VIEW_ID, panel),
    vscode.languages.registerCodeLensProvider(selector, lenses),
    vscode.languages.registerHoverProvider(selector, new LayerHoverProvider(index)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('rnnUnroll.codeLens.enabled')) lenses.refresh();
    }),
    vscode.workspace.onDidCloseTextDocument((d) => index.forget(d)),
    ...registerCommands(index, panel, engine, context.extensionUri),
  );
  return { panel, lenses };
}

export function deactivate(): void {}
