// The "Unroll" webview view: HTML with a nonce CSP, typed and validated messages, and the scene to
// show kept on the host so it survives the view being hidden or not yet created.
import * as vscode from 'vscode';
import { fromWebviewSchema, validate, WEBVIEW_STRINGS, type FromWebview, type Scene, type ToWebview } from './protocol';

export const VIEW_ID = 'rnnUnroll.view';

export class UnrollViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private scene: Scene | null = null;
  private readonly rendered = new vscode.EventEmitter<Extract<FromWebview, { type: 'rendered' }>>();
  /** Fires when the webview has drawn a scene (used by tests, and to know the panel works). */
  readonly onDidRender = this.rendered.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

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

  /** Shows `scene` (or the empty state for null), revealing the view. */
  async show(scene: Scene | null): Promise<void> {
    this.scene = scene;
    if (this.view) {
      this.view.show(true);
      this.sendScene();
    } else {
      // Creating the view calls resolveWebviewView; the scene is sent once the webview says ready.
      await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    }
  }

  private sendScene(): void {
    if (!this.ready) return;
    this.post(this.scene ? { type: 'show', scene: this.scene } : { type: 'empty' });
  }

  private post(message: ToWebview): void {
    void this.view?.webview.postMessage(message);
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
        // A restored webview already shows its last scene; only send when the host has one.
        if (this.scene) this.sendScene();
        break;
      }
      case 'rendered':
        this.log.info(`drew ${message.title}: ${message.timesteps} steps, ${message.outputs} outputs`);
        this.rendered.fire(message);
        break;
      case 'error':
        this.log.error(`webview: ${message.message}`);
        break;
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
    <div id="graph" class="graph"></div>
  </section>
</main>
<script nonce="${nonce}" src="${asset('dist', 'webview.js')}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.rendered.dispose();
  }
}

function makeNonce(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64');
}
