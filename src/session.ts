// What the panel is showing and how it gets its numbers: the layer, the knobs, and the engine
// requests (core trace first, then the costly Jacobian norms, or three traces in compare mode).
// Pure host logic: the engine, the webview and the translator are passed in, so it runs in tests.
import { CancelledError, EngineRequestError, type EngineClient } from './engine/client';
import { EngineInputError } from './engine/errors';
import { traceSpecFromLayer } from './engine/fromLayer';
import { makeInput, type InputNote, type InputRequest } from './engine/inputs';
import { PANEL_LIMITS, type Scene, type ToWebview, type ViewParams } from './protocol';
import { initialParams, sceneFor, type SceneDefaults } from './scene';
import type { CellKind, LayerSpec, LayerWeights, Trace, TraceSpec } from './spec';

type Translate = (message: string, ...args: (string | number)[]) => string;
/** A trained model's Embedding in front of the layer. */
export type Embedding = NonNullable<InputRequest['embedding']>;

export interface SessionDeps {
  engine: Pick<EngineClient, 'run'>;
  post(message: ToWebview): void;
  t: Translate;
  log(message: string): void;
}

const CELLS: readonly CellKind[] = ['simple_rnn', 'lstm', 'gru'];

export class UnrollSession {
  private layer: { spec: LayerSpec; source: string; notes: string[]; weights: LayerWeights | null; embedding: Embedding | null } | null = null;
  private scene: Scene | null = null;
  private trace: Trace | null = null;
  private version = 0;

  constructor(private readonly deps: SessionDeps) {}

  current(): Scene | null {
    return this.scene;
  }

  /** Shows a layer from the code with knobs at its values. */
  /** `lineText`: the source line, which the one-hot text preset starts from. */
  open(spec: LayerSpec, source: string, defaults: SceneDefaults, notes: string[] = [], lineText = ''): Promise<void> {
    this.layer = { spec, source, notes, weights: null, embedding: null };
    return this.update({ ...initialParams(spec, defaults), text: lineText.slice(0, PANEL_LIMITS.textLength) });
  }

  /** Shows a trained layer with its own weights: its units, input size and cell are fixed. */
  openTrained(spec: LayerSpec, weights: LayerWeights, source: string, defaults: SceneDefaults, notes: string[] = [], embedding: Embedding | null = null): Promise<void> {
    this.layer = { spec, source, notes, weights, embedding };
    const params = { ...initialParams(spec, { ...defaults, maxUnits: Number.MAX_SAFE_INTEGER }), units: spec.units!, inputDim: spec.inputDim! };
    // With an Embedding in front, the natural input is token ids: start with the first few.
    if (embedding) Object.assign(params, { preset: 'tokens', numbers: Array.from({ length: params.timesteps }, (_, i) => (i + 1) % embedding.vocab).join(' ') });
    return this.update(params);
  }

  /** The user turned a knob in the panel. */
  setParams(params: ViewParams): Promise<void> {
    return this.layer ? this.update(params) : Promise.resolve();
  }

  /**
   * Shows a scene someone else computes (live training): returns its version, which `showTrace`
   * and `showCompare` must carry; a later scene (a lens click, a knob) makes it stale.
   */
  present(scene: (version: number) => Scene): number {
    const version = ++this.version;
    this.scene = scene(version);
    this.trace = null;
    this.deps.post({ type: 'show', scene: this.scene });
    return version;
  }

  /** A trace for a presented scene; dropped when that scene is no longer the one shown. */
  showTrace(version: number, trace: Trace, compare: Trace[] | null = null): void {
    if (version !== this.version) return;
    this.trace = trace;
    this.deps.post({ type: 'trace', version, trace });
    if (compare) this.deps.post({ type: 'compare', version, traces: compare });
  }

  /** A fresh webview (shown again, or reloaded): send what it should show. */
  resend(): void {
    if (!this.scene) return;
    this.deps.post({ type: 'show', scene: this.scene });
    if (this.trace) this.deps.post({ type: 'trace', version: this.scene.version, trace: this.trace });
  }

  private async update(requested: ViewParams): Promise<void> {
    const { spec, source, notes, weights, embedding } = this.layer!;
    // Trained weights fix the sizes and the cell; only the sequence and the input can change.
    const params: ViewParams = weights ? { ...requested, cell: spec.kind, units: spec.units!, inputDim: spec.inputDim!, compare: false, recurrentScale: null } : requested;
    const version = ++this.version;
    const { t } = this.deps;
    let scene = { ...sceneFor(spec, source, params, version, t, weights !== null), vocab: embedding?.vocab ?? null };
    scene = { ...scene, notes: [...notes, ...scene.notes] };
    let input: Float64Array;
    try {
      const made = makeInput({ ...params, embedding });
      input = made.x;
      scene = { ...scene, notes: [...scene.notes, ...made.notes.map((n) => inputNoteText(n, t))] };
    } catch (e) {
      this.scene = scene;
      this.trace = null;
      this.deps.post({ type: 'show', scene });
      this.refuse(version, e);
      return;
    }
    this.scene = scene;
    this.trace = null;
    this.deps.post({ type: 'show', scene });
    try {
      const traceSpec = this.traceSpec(scene, scene.spec.kind);
      const r = await this.deps.engine.run('panel', { kind: 'trace', spec: traceSpec, seed: params.seed, weights, input, loss: null, recurrentScale: params.recurrentScale });
      if (version !== this.version) return;
      this.trace = r.trace;
      this.deps.post({ type: 'trace', version, trace: r.trace });
      if (params.compare) {
        const traces = await Promise.all(
          CELLS.map((cell) =>
            this.deps.engine.run(`compare-${cell}`, { kind: 'trace', spec: this.traceSpec(scene, cell), seed: params.seed, weights: null, input, loss: null, recurrentScale: params.recurrentScale }),
          ),
        );
        if (version !== this.version) return;
        this.deps.post({ type: 'compare', version, traces: traces.map((x) => x.trace) });
      }
      const j = await this.deps.engine.run('panel', { kind: 'jacobian', spec: traceSpec, weights: r.weights, input });
      if (version === this.version) this.deps.post({ type: 'jacobian', version, norms: j.norms });
    } catch (e) {
      this.refuse(version, e);
    }
  }

  private traceSpec(scene: Scene, cell: CellKind): TraceSpec {
    const { params } = scene;
    const spec = traceSpecFromLayer(
      // A GRU the user switched to gets Keras's default, reset_after=True.
      { ...scene.spec, kind: cell, resetAfter: cell === 'gru' && (scene.codeKind === 'gru' ? scene.spec.resetAfter : true) },
      params,
    );
    return { ...spec, units: params.units, inputDim: params.inputDim, timesteps: params.timesteps };
  }

  private refuse(version: number, e: unknown): void {
    if (e instanceof CancelledError) return; // a newer request took over
    if (e instanceof EngineRequestError || e instanceof EngineInputError) {
      if (version === this.version) this.deps.post({ type: 'engineError', version, message: e.message });
      return;
    }
    const message = e instanceof Error ? e.message : String(e);
    this.deps.log(`engine failed: ${message}`);
    if (version === this.version) this.deps.post({ type: 'engineError', version, message: this.deps.t('The engine failed: {0}', message) });
  }
}

function inputNoteText(n: InputNote, t: Translate): string {
  switch (n.kind) {
    case 'vocabFolded':
      return t('The text has {0} distinct characters but the input has {1} features: characters share features.', n.vocab, n.inputDim);
    case 'textRepeated':
      return t('The text has {0} characters; it repeats to fill the sequence.', n.length);
    case 'numbersRepeated':
      return t('{0} numbers given for {1} inputs; they repeat to fill the sequence.', n.given, n.needed);
  }
}
