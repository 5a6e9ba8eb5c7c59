// Webview entry: talks to the host through the shared protocol, restores state after the panel
// was hidden, and hands scenes to the drawing modules. Knows the DOM and d3, never tfjs.
import { fromWebviewSchema, toWebviewSchema, validate, type FromWebview, type Scene, type ToWebview } from '../src/protocol';
import { layoutScene, outputShapeText } from './layout';
import { createUnrolled } from './unrolled';
import { t, setStrings } from './strings';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface PanelState {
  scene: Scene | null;
}

const vscode = acquireVsCodeApi();

function post(message: FromWebview): void {
  // Our own messages are checked too: a bug here should show up in tests, not in the host.
  const checked = validate(fromWebviewSchema, message);
  if (!checked.ok) throw new Error(`refusing to send an invalid message: ${checked.error}`);
  vscode.postMessage(message);
}

window.addEventListener('error', (e) => post({ type: 'error', message: String(e.message) }));
window.addEventListener('unhandledrejection', (e) => post({ type: 'error', message: String(e.reason) }));

const app = document.getElementById('app')!;
const empty = document.getElementById('empty')!;
const stage = document.getElementById('stage')!;
const heading = document.getElementById('heading')!;
const summary = document.getElementById('summary')!;
const notes = document.getElementById('notes')!;
const graph = document.getElementById('graph')!;
const draw = createUnrolled(graph);

let state: PanelState = { scene: null };
const restored = vscode.getState() as PanelState | undefined;
if (restored && restored.scene && validate(toWebviewSchema, { type: 'show', scene: restored.scene }).ok) state = restored;

function render(): void {
  const scene = state.scene;
  app.dataset.view = scene ? 'scene' : 'empty';
  empty.hidden = scene !== null;
  stage.hidden = scene === null;
  if (!scene) {
    document.getElementById('empty-title')!.textContent = t('No recurrent layer chosen yet');
    document.getElementById('empty-body')!.textContent = t(
      'Open a Python, JavaScript or TypeScript file with a SimpleRNN, LSTM or GRU layer and click “▶ Unroll” above it, or put the cursor on the layer and run “RNN Unroll: Unroll Layer at Cursor”.',
    );
    return;
  }
  const layout = layoutScene(scene);
  const many = scene.spec.returnSequences ? t('many-to-many') : t('many-to-one');
  heading.textContent = layout.title;
  summary.textContent = `${many} · ${t('output')} ${outputShapeText(scene)} · T = ${scene.timesteps} · ${scene.source}`;
  notes.replaceChildren(
    ...scene.notes.map((n) => {
      const li = document.createElement('li');
      li.textContent = n;
      return li;
    }),
  );
  draw(layout, `${layout.title}, ${many}, ${t('unrolled over')} ${scene.timesteps} ${t('steps')}`);
  post({ type: 'rendered', title: layout.title, timesteps: scene.timesteps, outputs: layout.outputCount });
}

function onMessage(message: ToWebview): void {
  switch (message.type) {
    case 'strings':
      setStrings(message.strings);
      render();
      break;
    case 'show':
      state = { scene: message.scene };
      vscode.setState(state);
      render();
      break;
    case 'empty':
      state = { scene: null };
      vscode.setState(state);
      render();
      break;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const checked = validate(toWebviewSchema, event.data);
  if (!checked.ok) {
    console.warn(`[rnn-unroll] dropped a message: ${checked.error}`);
    post({ type: 'error', message: `dropped an invalid message: ${checked.error}` });
    return;
  }
  onMessage(checked.value);
});

render();
post({ type: 'ready' });
