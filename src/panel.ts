// The "Unroll" webview view: HTML with a nonce CSP, typed and validated messages, and the scene to
// show kept on the host so it survives the view being hidden or not yet created.
import * as vscode from 'vscode';
import type { EngineClient } from './engine/client';
import { fromWebviewSchema, validate, WEBVIEW_STRINGS, type FromWebview, type ToWebview } from './protocol';
import type { SceneDefaults } from './scene';
import { UnrollSession, type Embedding } from './session';
import type { LayerSpec, LayerWeights } from './spec';
import { DEFAULT_TRAIN_SETTINGS, TrainingSession } from './training';
import type { TrainSettings } from './protocol';

export const VIEW_ID = 'rnnUnroll.view';

export class UnrollViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private readonly session: UnrollSession;
  /** Live training; its scene goes through `session`, so the two never show stale pictures. */
  readonly training: TrainingSession;
  private readonly rendered = new vscode.EventEmitter<Extract<FromWebview, { type: 'rendered' }>>();
  /** Fires when the webview has drawn a scene (used by tests, and to know the panel works). */
  readonly onDidRender = this.rendered.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    engine: Pick<EngineClient, 'run' | 'stopView'>,
  ) {
    this.session = new UnrollSession({ engine, post: (m) => this.post(m), t: vscode.l10n.t, log: (m) => log.warn(m) });
    this.training = new TrainingSession({
      engine,
      unroll: this.session,
      post: (m) => this.post(m),
      t: vscode.l10n.t,
      log: (m) => log.warn(m),
      progress: showProgress,
      editorText: () => (vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0])?.document.getText() ?? null,
      language: vscode.env.language,
      onState: (state) => {
        void vscode.commands.executeCommand('setContext', 'rnnUnroll.training', state === 'running');
        if (state === 'done') void vscode.commands.executeCommand('setContext', 'rnnUnroll.trained', true);
      },
    });
  }

  /** Reveals the panel and trains (from the palette; the panel's Train form does the same). */
  async train(settings: Partial<TrainSettings>): Promise<void> {
    await this.reveal();
    await this.training.start({ ...DEFAULT_TRAIN_SETTINGS, ...settings });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media'), vscode.Uri.joinPath(this.extensionUri, 'dist')],
    };
    view.webview.html = this.html(view.webview);
    view.webview.onDidReceiveMessage((m: unknown) => this.receive(m));
    view.onDidDispose(() => {
      this.view = undefined;
      this.ready = false;
    });
  }

  /**
   * Reveals the view; it keeps showing its layer, or the empty state when it has none.
   * `preserveFocus`: the keyboard stays where it was (a lens click leaves the user typing code).
   */
  async reveal(preserveFocus = true): Promise<void> {
    if (this.view) {
      this.view.show(preserveFocus);
      return;
    }
    // Creating the view calls resolveWebviewView; content follows once the webview says ready.
    // VS Code 1.100 added `<view>.open`, which can leave the focus alone; before it, `.focus`.
    try {
      await vscode.commands.executeCommand(`${VIEW_ID}.open`, { preserveFocus });
    } catch {
      await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    }
  }

  /** Unrolls a trained layer with its own weights. */
  async openTrained(spec: LayerSpec, weights: LayerWeights, source: string, defaults: SceneDefaults, notes: string[], embedding: Embedding | null): Promise<void> {
    await Promise.all([this.reveal(), this.session.openTrained(spec, weights, source, defaults, notes, embedding)]);
  }

  /** Unrolls `spec` (read from `source`, e.g. `model.py:12`) in the panel. */
  async open(spec: LayerSpec, source: string, defaults: SceneDefaults, notes: string[] = [], lineText = ''): Promise<void> {
    // The engine works while the view and its webview load; `ready` then gets the finished trace.
    await Promise.all([this.reveal(), this.session.open(spec, source, defaults, notes, lineText)]);
  }

  private post(message: ToWebview): void {
    // Until the webview is ready, messages would be lost; `ready` triggers a resend instead.
    if (this.view && this.ready) void this.view.webview.postMessage(message);
  }

  private receive(raw: unknown): void {
    const checked = validate(fromWebviewSchema, raw);
    if (!checked.ok) {
      this.log.warn(`dropped a message from the webview: ${checked.error}`);
      return;
    }
    const message = checked.value;
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        const strings: Record<string, string> = {};
        for (const s of WEBVIEW_STRINGS) strings[s] = vscode.l10n.t(s);
        this.post({ type: 'strings', strings });
        this.session.resend();
        this.training.resend();
        break;
      }
      case 'train':
        void this.training.start(message.settings);
        break;
      case 'trainResume':
        void this.training.resume(message.settings);
        break;
      case 'trainStop':
        void this.training.stop();
        break;
      case 'trainWeights':
        void (message.action === 'save' ? this.saveWeights() : this.loadWeights());
        break;
      case 'params': {
        const scene = this.session.current();
        if (scene && (message.params.cell !== scene.codeKind || message.params.compare)) void vscode.commands.executeCommand('setContext', 'rnnUnroll.switchedCell', true);
        void this.session.setParams(message.params);
        break;
      }
      case 'milestone': {
        void vscode.commands.executeCommand('setContext', 'rnnUnroll.playedBptt', true);
        break;
      }
      case 'export':
        void this.saveExport(message.format, message.data, message.name);
        break;
      case 'rendered':
        this.log.info(`drew ${message.title}: ${message.timesteps} steps, ${message.outputs} outputs`);
        this.rendered.fire(message);
        break;
      case 'error':
        this.log.error(`webview: ${message.message}`);
        break;
    }
  }

  private async saveExport(format: 'svg' | 'png', data: string, name: string): Promise<void> {
    const base = name.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'rnn-unroll';
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, `${base}.${format}`) : undefined,
      filters: format === 'svg' ? { SVG: ['svg'] } : { PNG: ['png'] },
      title: vscode.l10n.t('Export the unrolled picture'),
    });
    if (!target) return;
    const bytes = format === 'svg' ? new TextEncoder().encode(data) : Buffer.from(data.replace(/^data:image\/png;base64,/, ''), 'base64');
    await vscode.workspace.fs.writeFile(target, bytes);
    this.log.info(`exported ${target.toString()}`);
  }

  private async saveWeights(): Promise<void> {
    const file = this.training.weightsFile();
    if (!file) return;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, 'rnn-unroll-weights.json') : undefined,
      filters: { JSON: ['json'] },
      title: vscode.l10n.t('Save the trained weights (Keras layout)'),
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(JSON.stringify(file)));
    this.log.info(`saved weights to ${target.toString()}`);
  }

  private async loadWeights(): Promise<void> {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { JSON: ['json'] }, title: vscode.l10n.t('Load trained weights') });
    const uri = picked?.[0];
    if (!uri) return;
    const name = uri.path.split('/').pop() ?? uri.path;
    try {
      await this.training.load(JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))), name);
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot load {0}: {1}', name, e instanceof Error ? e.message : String(e)));
    }
  }

  private html(webview: vscode.Webview): string {
    const nonce = makeNonce();
    const asset = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path));
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${asset('media', 'panel.css')}" rel="stylesheet">
<link href="${asset('media', 'charts.css')}" rel="stylesheet">
<link href="${asset('media', 'captions.css')}" rel="stylesheet">
<link href="${asset('media', 'cellzoom.css')}" rel="stylesheet">
<link href="${asset('media', 'training.css')}" rel="stylesheet">
<title>RNN Unroll</title>
</head>
<body>
<main id="app" data-view="empty">
  <section id="empty" aria-live="polite">
    <h2 id="empty-title"></h2>
    <p id="empty-body"></p>
  </section>
  <section id="stage" hidden>
    <h2 id="heading"></h2>
    <p id="summary"></p>
    <ul id="notes"></ul>
    <p id="problem" role="alert" hidden></p>
    <div id="playback"></div>
    <div id="graph" class="graph"></div>
    <div id="cellzoom"></div>
    <div id="gradients"></div>
    <div id="compare" class="compare"></div>
    <div id="captions"></div>
    <div id="heatmaps"></div>
    <details id="settings" open>
      <summary id="settings-title"></summary>
      <div id="knobs"></div>
    </details>
  </section>
  <details id="training-section">
    <summary id="training-title"></summary>
    <div id="training"></div>
  </details>
</main>
<script nonce="${nonce}" src="${asset('dist', 'webview.js')}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.rendered.dispose();
  }
}

/** A notification with a Cancel button, open until `done`; progress as fractions of the whole. */
function showProgress(title: string, cancel: () => void): { report(message: string, fraction: number): void; done(): void } {
  let reported = 0;
  let progress: vscode.Progress<{ message?: string; increment?: number }> | undefined;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (p, token) => {
    progress = p;
    token.onCancellationRequested(cancel);
    return finished;
  });
  return {
    report(message, fraction) {
      const increment = Math.max(0, fraction * 100 - reported);
      reported += increment;
      progress?.report({ message, increment });
    },
    done: finish,
  };
}

function makeNonce(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64');
}
