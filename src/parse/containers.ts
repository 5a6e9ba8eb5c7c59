// Where each layer sits: wrappers (Bidirectional, TimeDistributed, RNN(cell)), variables holding
// layers, and the models that gather them — Sequential([...]) / model.add / tf.sequential, the
// functional `Layer(...)(x)` graph (with return_state unpacking), and keras.Model / nn.Module
// subclasses. Walking a model in order gives each recurrent layer its input size and time steps
// (from Input / Embedding / the layer below) and its Dense head.
import type { Framework, HeadSpec, LayerSpec, MergeMode, SourceRange } from '../spec';
import {
  KERAS_BIDIRECTIONAL,
  KERAS_DENSE,
  KERAS_EMBEDDING,
  KERAS_INPUT,
  KERAS_RNN_WRAPPER,
  KERAS_TIME_DISTRIBUTED,
  TORCH_TABLES,
  bindJsConfig,
  bindPython,
  shapeArg,
  sizeArg,
  stringArg,
  type Bound,
  type BoundArg,
  type Env,
} from './args';
import type { Assignment, Statement } from './assignments';
import { chooseArms, exclusive, type Arm } from './branches';
import type { FunctionRanges } from './functions';
import type { Call } from './calls';
import { buildLayer, rangeOf, type FoundLayer } from './normalize';
import { recognizeAll, type Recognized } from './recognize';
import { CH, TK_STRING } from './tokens';
import { assignedValue, decodeString, readValue, sourceText, type Value } from './values';

export interface Source {
  env: Env;
  statements: Statement[];
  assignments: Assignment[];
  /** Arms of the conditionals (branches.ts); computed on first use, only models need them. */
  arms: () => Arm[];
  /** Function bodies (functions.ts); computed on first use, only functional graphs need them. */
  functions: () => FunctionRanges;
}

export type ModelLayerRole = 'input' | 'embedding' | 'recurrent' | 'dense' | 'repeat' | 'passthrough' | 'other';

export interface ModelLayer {
  role: ModelLayerRole;
  /** Constructor as written (`layers.Embedding`, `TimeDistributed(Dense)`). */
  className: string;
  range: SourceRange;
  /** recurrent: the same object findLayers returns. */
  layer?: LayerSpec;
  /** dense: units; embedding: output_dim. */
  units?: number | null;
  activation?: string;
  timeDistributed?: boolean;
  /** dense (PyTorch): forward() calls it on the last step only (`self.fc(out[:, -1])`). */
  lastStep?: boolean;
  /** embedding: vocabulary size (input_dim). */
  vocab?: number | null;
  /** input / embedding / repeat (RepeatVector's n): what the code states. */
  timesteps?: number | null;
  features?: number | null;
}

export interface ModelSpec {
  framework: Framework;
  style: 'sequential' | 'functional' | 'subclass';
  /** The variable or class the model is bound to, when there is one. */
  name: string | null;
  /** Where the model lens sits: `Sequential`, the class name, `Model(`, or the first layer. */
  range: SourceRange;
  layers: ModelLayer[];
  /** The recurrent stack in order (the same objects as in `layers`). */
  recurrent: LayerSpec[];
  /** Recurrent layers in other arms of an if/switch (or other classes an alias may name) than the ones kept. */
  alternatives: LayerSpec[];
  input: { timesteps: number | null; features: number | null; vocab: number | null } | null;
  head: HeadSpec | null;
}

export interface Analysis {
  layers: FoundLayer[];
  models: ModelSpec[];
}

interface Ref {
  /** Layer constructor call (the outermost wrapper). */
  call: number;
  /** Token where the layer enters the model (the `add` call, list element or assignment). */
  pos: number;
}

interface Placed {
  item: ModelLayer;
  /** Token where the layer enters the model (the `add` call, list element or assignment). */
  pos: number;
}

interface FlowInfo {
  T: number | null;
  d: number | null;
  /** The tensor still has a time axis. */
  seq: boolean;
  from: ModelLayer | null;
}

const START: FlowInfo = { T: null, d: null, seq: true, from: null };

const NO_ITEMS: ModelLayer[] = [];

export class Analyzer {
  readonly calls: Call[];
  private readonly recs: Recognized[][];
  private readonly python: boolean;
  readonly layers: FoundLayer[] = [];
  /** Call id → layers whose outermost wrapper (or own constructor) is that call. */
  private readonly byOuter = new Map<number, FoundLayer[]>();
  /** Variable → (position, constructor call) for `name = Layer(...)`. */
  private readonly layerVars = new Map<string, { pos: number; call: number }[]>();
  private readonly cellUsed = new Set<number>();

  /** Receivers of `.add(...)` calls: code anywhere that adds to one adds to the same model. */
  private readonly addReceivers = new Set<string>();

  /** Variables that held a layer: followed across functions (prune.ts checks that no skipped code mentions them). */
  layerVarNames(): Iterable<string> {
    return this.layerVars.keys();
  }

  /** Receivers of `.add(...)` calls (prune.ts checks that no skipped code adds to them). */
  addReceiverNames(): Iterable<string> {
    return this.addReceivers;
  }

  constructor(private readonly src: Source) {
    const env = src.env;
    this.calls = env.ctx.ix.calls;
    this.python = env.python;
    this.recs = this.calls.map((c) => this.recognizeCall(c));
  }

  private get env(): Env {
    return this.src.env;
  }

  /** Classes by callee spelling: the keys are every callee in the file, once each. */
  private readonly recognized = new Map<string, Recognized[]>();

  /** The callees of all calls, each spelling once (prune.ts checks their heads). */
  callees(): Iterable<string> {
    return this.recognized.keys();
  }

  /** Library classes a call constructs: by callee, or `getattr(nn, 'LSTM')(...)`. */
  private recognizeCall(c: Call): Recognized[] {
    if (c.callee) {
      // The same spellings recur hundreds of times in a file (`layers.Dense`): resolve each once.
      let r = this.recognized.get(c.callee);
      if (!r) {
        r = recognizeAll(c.callee, this.env.scope, this.python);
        this.recognized.set(c.callee, r);
      }
      return r;
    }
    if (!c.applied || c.receiverCall < 0) return [];
    const g = this.calls[c.receiverCall];
    if (g.callee !== 'getattr' || g.argCount < 2) return [];
    const { t } = this.env.ctx;
    const mod = sourceText(t, g.args[0].start, g.args[0].end);
    const nameArg = g.args[1];
    const lit = stringArg(this.env, { value: readValue(this.env.ctx, nameArg.start, nameArg.end), text: '', written: '' });
    const names = lit.value !== null ? [lit.value] : this.guardStrings(g.open);
    const out: Recognized[] = [];
    for (const n of names) for (const r of recognizeAll(`${mod}.${n}`, this.env.scope, this.python)) if (r.role === 'rnn') out.push(r);
    return out;
  }

  /**
   * `getattr(nn, rnn_type)` with a variable name: the class names quoted in the enclosing
   * `if rnn_type in ['LSTM', 'GRU']:`, else the three recurrent classes.
   */
  private guardStrings(tok: number): string[] {
    const { t } = this.env.ctx;
    const sts = this.src.statements;
    let k = sts.findIndex((s) => s.s <= tok && tok < s.e);
    if (k >= 0) {
      const indent = sts[k].indent;
      for (k--; k >= 0; k--) {
        const st = sts[k];
        if (st.indent >= indent) continue;
        if (!t.isName(st.s, 'if') && !t.isName(st.s, 'elif')) break;
        const found: string[] = [];
        for (let i = st.s; i < st.e; i++) {
          if (t.kind[i] !== TK_STRING) continue;
          const v = decodeString(t.text_(i));
          if (v && /^(RNN|LSTM|GRU|SimpleRNN)$/.test(v)) found.push(v);
        }
        if (found.length) return found;
        break;
      }
    }
    return ['LSTM', 'GRU', 'RNN', 'SimpleRNN'];
  }

  rec(callId: number): Recognized | null {
    return this.recs[callId]?.[0] ?? null;
  }

  private bind(c: Call, table: readonly string[]): Bound {
    return this.python ? bindPython(this.env, c, table) : bindJsConfig(this.env, c);
  }

  private valueOf(c: Call, key: string, table: readonly string[]): Value | null {
    return this.bind(c, table).args.get(key)?.value ?? null;
  }

  /** The layer constructor call a value denotes: a call, or a variable holding one. */
  private layerCallOf(v: Value | null, pos: number): number | null {
    if (!v) return null;
    if (v.k === 'call') return v.call;
    if (v.k === 'name') return this.lookupVar(v.path, pos);
    return null;
  }

  /**
   * Layer calls a value denotes: a call, or a variable — with every layer it may hold when it was
   * assigned in exclusive branches (`if cudnn: layer = LSTM(...) else: layer = RNN(...)`), each
   * placed at its assignment so the arm choice sees them apart.
   */
  private refsOf(v: Value, pos: number): Ref[] {
    if (v.k === 'call') return [{ call: v.call, pos }];
    if (v.k !== 'name') return [];
    const all = this.layerVars.get(v.path) ?? [];
    // The assignments before pos end at `last` (no copy of them: a name may be assigned in every function).
    const last = lastBefore(all, pos, (e) => e.pos);
    if (last < 0) {
      const id = this.lookupVar(v.path, pos);
      return id === null ? [] : [{ call: id, pos }];
    }
    const picked = [all[last]];
    for (let k = last - 1; k >= 0; k--) {
      const e = all[k];
      if (!picked.every((p) => exclusive(this.src.arms(), e.pos, p.pos))) break;
      picked.unshift(e);
    }
    return picked.filter((e) => e.call >= 0).map((e) => ({ call: e.call, pos: e.pos }));
  }

  /** Whether a constructor call (or a wrapper around one) built a recurrent layer. */
  private isRecurrent(call: number): boolean {
    return (this.byOuter.get(call)?.length ?? 0) > 0;
  }

  private lookupVar(name: string, pos: number): number | null {
    const list = this.layerVars.get(name);
    if (!list || list.length === 0) return null;
    const k = lastBefore(list, pos, (e) => e.pos);
    // Used before any assignment in the text (a method defined above __init__): the first layer.
    const best = k >= 0 ? list[k].call : (list.find((e) => e.call >= 0)?.call ?? -1);
    return best >= 0 ? best : null;
  }

  run(): Analysis {
    this.collectLayerVars();
    this.collectLayers();
    this.applyWrappers();
    const models: ModelSpec[] = [];
    const seen = new Set<LayerSpec>();
    const add = (m: ModelSpec | null): void => {
      if (!m || m.recurrent.length === 0) return;
      // A model whose recurrent layers all belong to a model already found is the same model seen again.
      if (m.recurrent.every((r) => seen.has(r))) return;
      for (const r of m.recurrent) seen.add(r);
      models.push(m);
    };
    for (const m of this.sequentialModels()) add(m);
    for (const m of this.subclassModels()) add(m);
    for (const m of this.functionalModels()) add(m);
    this.layers.sort((a, b) => a.spec.range.line - b.spec.range.line || a.spec.range.character - b.spec.range.character);
    return { layers: this.layers, models };
  }

  private collectLayerVars(): void {
    for (const a of this.src.assignments) {
      if (a.targets.length !== 1 || a.pattern !== 'none' || !a.targets[0].path) continue;
      const v = assignedValue(this.env.ctx, a);
      const r = v.k === 'call' ? this.rec(v.call) : null;
      const isLayer = !!r && r.role !== 'sequential' && r.role !== 'model' && r.role !== 'input';
      const name = a.targets[0].path;
      const list = this.layerVars.get(name);
      // A later non-layer assignment (`decoder_lstm = model.layers[3]`) hides the earlier layer.
      if (!isLayer && !list) continue;
      const entries = list ?? [];
      entries.push({ pos: a.valueStart, call: isLayer && v.k === 'call' ? v.call : -1 });
      this.layerVars.set(name, entries);
    }
  }

  private readonly bySpec = new Map<LayerSpec, FoundLayer>();
  /** Constructor call → the other classes found at that site. */
  private readonly alternativesOf = new Map<number, FoundLayer[]>();

  private register(l: FoundLayer): void {
    this.layers.push(l);
    this.bySpec.set(l.spec, l);
    if (l.details.alternativeOf !== null) {
      const alts = this.alternativesOf.get(l.details.alternativeOf) ?? [];
      alts.push(l);
      this.alternativesOf.set(l.details.alternativeOf, alts);
    }
    const list = this.byOuter.get(l.details.outerCall) ?? [];
    list.push(l);
    this.byOuter.set(l.details.outerCall, list);
  }

  private collectLayers(): void {
    for (const c of this.calls) {
      const recs = this.recs[c.id];
      if (recs.length === 0) continue;
      let first: FoundLayer | null = null;
      for (const r of recs) {
        if (r.role === 'rnn' || (r.role === 'cell' && r.framework === 'pytorch')) {
          const l = buildLayer(this.env, c, r);
          if (!l) continue;
          if (first) l.details.alternativeOf = first.details.call;
          else first = l;
          this.register(l);
        } else if (r.role === 'rnnWrapper') {
          this.wrapperLayers(c, r);
          break;
        }
      }
    }
  }

  /** `RNN(LSTMCell(n))`, `RNN([cell1, cell2])`, `RNN(StackedRNNCells([...]))`, `tf.layers.rnn({cell})`. */
  private wrapperLayers(w: Call, wr: Recognized): void {
    const table = wr.flavor === 'k3' ? KERAS_RNN_WRAPPER.k3 : KERAS_RNN_WRAPPER.k2;
    const cellValue = this.valueOf(w, 'cell', table);
    const cells: number[] = [];
    const collect = (v: Value | null): void => {
      if (!v) return;
      if (v.k === 'seq') for (const item of v.items) collect(item);
      const id = this.layerCallOf(v, w.open);
      if (id === null) return;
      const r = this.rec(id);
      if (r?.role === 'cell') cells.push(id);
      else if (r?.role === 'stackedCells') {
        const inner = this.calls[id];
        if (this.python) for (const a of inner.args) collect(readValue(this.env.ctx, a.start, a.end));
        else collect(this.valueOf(inner, 'cells', []));
      }
    };
    collect(cellValue);
    cells.forEach((id, k) => {
      const l = buildLayer(this.env, this.calls[id], this.rec(id)!, w);
      if (!l) return;
      if (k < cells.length - 1) l.spec.returnSequences = true; // a lower cell feeds every step upward
      this.cellUsed.add(id);
      this.register(l);
    });
  }

  private applyWrappers(): void {
    for (const l of [...this.layers]) {
      let outer = l.details.outerCall;
      for (;;) {
        const p = this.calls[outer].parent;
        if (p < 0 || !this.wrapOnce(l, p, outer)) break;
        outer = p;
      }
      this.moveOuter(l, outer);
    }
    // Wrappers around a variable: `Bidirectional(forward, backward_layer=backward)`.
    for (const c of this.calls) {
      const r = this.rec(c.id);
      if (!r || (r.role !== 'bidirectional' && r.role !== 'timeDistributed')) continue;
      for (const key of ['layer', 'backward_layer']) {
        const v = this.valueOf(c, key, r.role === 'bidirectional' ? KERAS_BIDIRECTIONAL : KERAS_TIME_DISTRIBUTED);
        if (!v || v.k !== 'name') continue;
        const id = this.lookupVar(v.path, c.open);
        if (id === null) continue;
        for (const l of this.byOuter.get(id) ?? []) {
          if (this.wrapOnce(l, c.id, id)) this.moveOuter(l, c.id);
        }
      }
    }
  }

  private moveOuter(l: FoundLayer, outer: number): void {
    if (outer === l.details.outerCall) return;
    const old = this.byOuter.get(l.details.outerCall);
    if (old) this.byOuter.set(l.details.outerCall, old.filter((x) => x !== l));
    l.details.outerCall = outer;
    const list = this.byOuter.get(outer) ?? [];
    list.push(l);
    this.byOuter.set(outer, list);
  }

  /** Applies wrapper call `p` to `l` when `child` is its layer argument; false when `p` is not a wrapper of it. */
  private wrapOnce(l: FoundLayer, p: number, child: number): boolean {
    const r = this.rec(p);
    if (!r) return false;
    const pc = this.calls[p];
    if (r.role === 'bidirectional') {
      const bound = this.bind(pc, KERAS_BIDIRECTIONAL);
      const layerV = bound.args.get('layer')?.value;
      const backV = bound.args.get('backward_layer')?.value;
      const isChild = (v: Value | undefined): boolean => !!v && ((v.k === 'call' && v.call === child) || (v.k === 'name' && this.lookupVar(v.path, pc.open) === child));
      if (!isChild(layerV) && !isChild(backV)) return false;
      if (isChild(backV)) l.details.notes.push('backward layer of a Bidirectional');
      let mode: MergeMode = 'concat';
      const mm = bound.args.get('merge_mode');
      if (mm) {
        if (mm.value.k === 'none') mode = null;
        else {
          const s = stringArg(this.env, mm);
          if (s.value === 'concat' || s.value === 'sum' || s.value === 'mul' || s.value === 'ave') mode = s.value;
          else l.spec.symbolic.push({ name: mm.written, text: mm.text });
        }
      }
      l.spec.bidirectional = { mergeMode: mode };
      this.wrapperInput(l, bound);
      return true;
    }
    if (r.role === 'timeDistributed') {
      const bound = this.bind(pc, KERAS_TIME_DISTRIBUTED);
      const v = bound.args.get('layer')?.value;
      if (!v || !((v.k === 'call' && v.call === child) || (v.k === 'name' && this.lookupVar(v.path, pc.open) === child))) return false;
      l.spec.inTimeDistributed = true;
      this.wrapperInput(l, bound);
      return true;
    }
    return false;
  }

  /** `Bidirectional(LSTM(64), input_shape=(T, D))`: the shape often sits on the wrapper. */
  private wrapperInput(l: FoundLayer, bound: Bound): void {
    for (const key of ['input_shape', 'batch_input_shape']) {
      const b = bound.args.get(key);
      if (!b) continue;
      const s = shapeArg(this.env, b);
      if (!s.value) continue;
      const dims = key === 'input_shape' ? s.value : s.value.slice(1);
      if (l.spec.inputDim === null && dims.length >= 1) l.spec.inputDim = dims[dims.length - 1];
      if (l.spec.timesteps === null && dims.length >= 2) l.spec.timesteps = dims[dims.length - 2];
    }
  }

  // ---- model items -------------------------------------------------------------------------

  private readonly items = new Map<number, ModelLayer[]>();

  /** The model layers a constructor call contributes (several for stacked cells); built once per call. */
  item(callId: number): ModelLayer[] {
    let items = this.items.get(callId);
    if (!items) {
      items = this.buildItem(callId);
      this.items.set(callId, items);
    }
    return items;
  }

  private buildItem(callId: number): ModelLayer[] {
    const found = this.byOuter.get(callId);
    if (found && found.length) {
      // Built by push, like every item list: `map` gives another elements kind, which kept V8 deoptimizing `flow`.
      const items: ModelLayer[] = [];
      for (const f of found) {
        if (f.details.alternativeOf === null && !f.details.notes.includes('backward layer of a Bidirectional')) items.push({ role: 'recurrent', className: f.spec.className, range: f.spec.range, layer: f.spec });
      }
      return items;
    }
    const c = this.calls[callId];
    const r = this.rec(callId);
    const className = sourceText(this.env.ctx.t, c.calleeStart, c.open) || 'layer';
    const range = rangeOf(this.env, c.nameTok >= 0 ? c.nameTok : c.calleeStart);
    if (!r) return [{ role: 'other', className, range }];
    switch (r.role) {
      case 'timeDistributed': {
        const inner = this.layerCallOf(this.valueOf(c, 'layer', KERAS_TIME_DISTRIBUTED), c.open);
        const items = inner === null ? [] : this.item(inner);
        if (items.length === 1 && items[0].role === 'dense') return [{ ...items[0], className: `${className}(${items[0].className})`, range, timeDistributed: true }];
        return items.length ? items : [{ role: 'other', className, range }];
      }
      case 'dense': {
        const table = r.framework === 'pytorch' ? TORCH_TABLES.linear : KERAS_DENSE;
        const b = this.bind(c, table);
        const units = sizeArg(this.env, b.args.get(r.framework === 'pytorch' ? 'out_features' : 'units')).value;
        const activation = r.framework === 'pytorch' ? 'linear' : headActivation(this.env, b.args.get('activation'));
        return [{ role: 'dense', className, range, units, activation, timeDistributed: false, lastStep: this.lastStepHeads.has(callId) }];
      }
      case 'embedding': {
        const table = r.framework === 'pytorch' ? TORCH_TABLES.embedding : KERAS_EMBEDDING;
        const b = this.bind(c, table);
        const vocab = sizeArg(this.env, b.args.get(r.framework === 'pytorch' ? 'num_embeddings' : 'input_dim')).value;
        const units = sizeArg(this.env, b.args.get(r.framework === 'pytorch' ? 'embedding_dim' : 'output_dim')).value;
        let timesteps = sizeArg(this.env, b.args.get('input_length')).value;
        const shape = shapeArg(this.env, b.args.get('input_shape')).value;
        if (timesteps === null && shape && shape.length >= 1) timesteps = shape[0];
        return [{ role: 'embedding', className, range, vocab, units, timesteps }];
      }
      case 'input': {
        const b = this.bind(c, KERAS_INPUT);
        let dims = shapeArg(this.env, b.args.get('shape') ?? b.args.get('input_shape')).value;
        if (!dims) {
          const bs = shapeArg(this.env, b.args.get('batch_shape') ?? b.args.get('batch_input_shape')).value;
          dims = bs ? bs.slice(1) : null;
        }
        const features = dims && dims.length >= 1 ? dims[dims.length - 1] : null;
        const timesteps = dims && dims.length >= 2 ? dims[dims.length - 2] : null;
        return [{ role: 'input', className, range, timesteps, features }];
      }
      case 'repeat': {
        const n = sizeArg(this.env, this.bind(c, ['n']).args.get('n')).value;
        return [{ role: 'repeat', className, range, timesteps: n }];
      }
      case 'passthrough':
        return [{ role: 'passthrough', className, range }];
      default:
        return [{ role: 'other', className, range }];
    }
  }

  private flow(items: ModelLayer[], start: FlowInfo = START): FlowInfo {
    let info = start;
    for (const it of items) info = applyItem(info, it);
    return info;
  }

  /** Items with their token positions, for choosing one arm per conditional. */
  private placed(refs: Ref[]): Placed[] {
    const out: Placed[] = [];
    for (const r of refs) for (const item of this.item(r.call)) out.push({ item, pos: r.pos });
    return out;
  }

  /** Keeps one arm of each conditional (preferring arms with a recurrent layer); the rest become alternatives. */
  private choose(placed: Placed[]): { kept: ModelLayer[]; alternatives: LayerSpec[] } {
    const positions: number[] = [];
    const recurrent: boolean[] = [];
    for (const p of placed) {
      positions.push(p.pos);
      recurrent.push(p.item.role === 'recurrent');
    }
    const keep = chooseArms(this.src.arms(), positions, recurrent);
    const kept: ModelLayer[] = [];
    const alternatives: LayerSpec[] = [];
    for (let k = 0; k < placed.length; k++) {
      const p = placed[k];
      if (keep[k]) kept.push(p.item);
      else if (p.item.layer) alternatives.push(p.item.layer);
    }
    // Other classes bound at a kept site (`RNN = LSTM` / `RNN = GRU` in two branches).
    for (const it of kept) {
      const site = it.layer ? this.bySpec.get(it.layer) : undefined;
      const others = site ? this.alternativesOf.get(site.details.call) : undefined;
      if (others) for (const l of others) alternatives.push(l.spec);
    }
    return { kept, alternatives };
  }

  /** A model from its layer calls in order; null when none is recurrent (items are only built then). */
  private model(framework: Framework, style: ModelSpec['style'], name: string | null, range: SourceRange, refs: Ref[]): ModelSpec | null {
    if (!refs.some((r) => this.isRecurrent(r.call))) return null;
    const { kept: items, alternatives } = this.choose(this.placed(refs));
    this.flow(items);
    const recurrent = recurrentLayers(items);
    const last = recurrent[recurrent.length - 1];
    return { framework, style, name, range, layers: items, recurrent, alternatives, input: modelInput(items), head: last?.head ?? null };
  }

  private sequentialModels(): (ModelSpec | null)[] {
    const out: (ModelSpec | null)[] = [];
    // `name = Sequential(...)` assignments, to attach later `name.add(...)` calls.
    const seqVars = new Map<string, { pos: number; call: number }[]>();
    for (const a of this.src.assignments) {
      if (a.targets.length !== 1 || !a.targets[0].path) continue;
      const v = assignedValue(this.env.ctx, a);
      if (v.k === 'call' && this.rec(v.call)?.role === 'sequential') {
        const list = seqVars.get(a.targets[0].path) ?? [];
        list.push({ pos: a.valueStart, call: v.call });
        seqVars.set(a.targets[0].path, list);
      }
    }
    const varOf = new Map<number, string>();
    for (const [name, list] of seqVars) for (const e of list) varOf.set(e.call, name);
    /** `add` calls by the Sequential call their receiver holds, else by the receiver's name. */
    const addsToCall = new Map<number, number[]>();
    const addsToName = new Map<string, number[]>();
    const addTo = <K>(map: Map<K, number[]>, key: K, id: number): void => {
      const arr = map.get(key);
      if (arr) arr.push(id);
      else map.set(key, [id]);
    };
    for (const c of this.calls) {
      if (c.nameTok < 1 || !this.env.ctx.t.isName(c.nameTok, 'add') || c.callee.charCodeAt(0) === 46 || c.callee === 'add' || c.argCount === 0) continue;
      const recv = c.callee.slice(0, -4);
      this.addReceivers.add(recv);
      const list = seqVars.get(recv);
      if (!list) {
        addTo(addsToName, recv, c.id);
        continue;
      }
      // The last Sequential assigned to the name before the call (the first when none is). A
      // binary search: a name like \`model\` may hold a new Sequential in every function of the file.
      addTo(addsToCall, list[Math.max(0, lastBefore(list, c.open, (e) => e.pos))].call, c.id);
    }
    const addRefs = (ids: number[] | undefined): Ref[] => {
      const refs: Ref[] = [];
      for (const id of ids ?? []) {
        const c = this.calls[id];
        refs.push(...this.refsOf(readValue(this.env.ctx, c.args[0].start, c.args[0].end), c.open));
      }
      return refs;
    };
    for (const c of this.calls) {
      const r = this.rec(c.id);
      if (r?.role !== 'sequential') continue;
      const refs: Ref[] = [];
      let list: Value[] = [];
      if (r.framework === 'pytorch') list = c.args.filter((a) => !a.star).map((a) => readValue(this.env.ctx, a.start, a.end));
      else {
        const v = this.python ? this.valueOf(c, 'layers', ['layers']) : this.valueOf(c, 'layers', []);
        if (v?.k === 'seq') list = v.items;
      }
      for (const v of list) refs.push(...this.refsOf(v, v.s));
      refs.push(...addRefs(addsToCall.get(c.id)));
      out.push(this.model(r.framework, 'sequential', varOf.get(c.id) ?? null, rangeOf(this.env, c.nameTok >= 0 ? c.nameTok : c.calleeStart), refs));
    }
    // `model.add(...)` on a model built elsewhere (another notebook cell, a function argument).
    for (const [name, ids] of addsToName) {
      const refs = addRefs(ids);
      const rec = refs.find((r) => this.isRecurrent(r.call));
      if (!rec) continue;
      const first = this.calls[ids[0]];
      out.push(this.model(this.byOuter.get(rec.call)![0].spec.framework, 'sequential', name, rangeOf(this.env, first.calleeStart), refs));
    }
    return out;
  }

  private subclassModels(): (ModelSpec | null)[] {
    if (!this.python) return [];
    const { t } = this.env.ctx;
    const out: (ModelSpec | null)[] = [];
    const sts = this.src.statements;
    for (let k = 0; k < sts.length; k++) {
      const st = sts[k];
      if (!t.isName(st.s, 'class') || !t.isName(st.s + 1) || !t.isOp(st.s + 2, CH.lparen)) continue;
      // class Name(Base, ...): the base must be a Keras Model/Layer or torch nn.Module.
      const close = this.env.ctx.ix.match[st.s + 2];
      let framework: Framework | null = null;
      for (let i = st.s + 3; i < close; i++) {
        const v = readValue(this.env.ctx, i, i + 1);
        if (v.k !== 'name' || t.isOp(i - 1, CH.dot)) continue;
        let j = i + 1;
        let path = v.path;
        while (t.isOp(j, CH.dot) && t.isName(j + 1)) {
          path += '.' + t.text_(j + 1);
          j += 2;
        }
        const r = recognizeAll(path, this.env.scope, true)[0];
        if (r?.role === 'model') framework = r.framework;
        i = j - 1;
      }
      if (!framework) continue;
      let j = k + 1;
      while (j < sts.length && sts[j].indent > st.indent) j++;
      const bodyEnd = sts[j]?.s ?? t.count;
      const refs: Ref[] = [];
      /** `self.fc` → its Linear constructor (PyTorch heads whose forward() use is read below). */
      const heads = new Map<string, number>();
      const recurrentAttrs = new Set<string>();
      const as = this.src.assignments;
      const first = lastBefore(as, st.e + 1, (a) => a.valueStart) + 1;
      for (let q = first; q < as.length && as[q].valueStart < bodyEnd; q++) {
        const a = as[q];
        if (a.targets.length !== 1 || !a.targets[0].path.startsWith('self.')) continue;
        const v = assignedValue(this.env.ctx, a);
        if (v.k !== 'call') continue;
        refs.push({ call: v.call, pos: a.valueStart });
        if (framework !== 'pytorch') continue;
        if (this.rec(v.call)?.role === 'dense') heads.set(a.targets[0].path, v.call);
        else if (this.isRecurrent(v.call)) recurrentAttrs.add(a.targets[0].path);
      }
      if (heads.size) {
        const states = this.finalStateNames(first, bodyEnd, recurrentAttrs);
        for (const [attr, call] of heads) if (this.callsLastStep(attr, st.s, bodyEnd, states)) this.lastStepHeads.add(call);
      }
      out.push(this.model(framework, 'subclass', t.text_(st.s + 1), rangeOf(this.env, st.s + 1), refs));
    }
    return out;
  }

  /**
   * Names that hold a recurrent layer's final states, from the assignments `first`… before token
   * `to`: `h_n`, `c_n` of `out, (h_n, c_n) = self.lstm(x)` when `self.lstm` is in `recurrentAttrs`.
   */
  private finalStateNames(first: number, to: number, recurrentAttrs: ReadonlySet<string>): Set<string> {
    const { t, ix } = this.env.ctx;
    const as = this.src.assignments;
    const states = new Set<string>();
    for (let q = first; q < as.length && as[q].valueStart < to; q++) {
      const a = as[q];
      if (a.targets.length < 2) continue;
      const v = assignedValue(this.env.ctx, a);
      if (v.k !== 'call' || !recurrentAttrs.has(this.calls[v.call].callee)) continue;
      for (let k = 1; k < a.targets.length; k++) {
        const tg = a.targets[k];
        if (tg.path) states.add(tg.path);
        // `(h_n, c_n)`: a nested pattern has no path of its own.
        else if (t.isOp(tg.tok, CH.lparen)) for (const n of sourceText(t, tg.tok, ix.match[tg.tok] + 1).match(NAMES) ?? []) states.add(n);
      }
    }
    return states;
  }

  /** PyTorch Linear constructors that forward() applies to the last step only. */
  private readonly lastStepHeads = new Set<number>();

  /**
   * Whether the class body (tokens `from`…`to`) calls `attr` on the last step of a sequence:
   * `self.fc(out[:, -1, :])`, the final state (`self.fc(h_n.squeeze(0))`, `states` naming it), or a
   * name assigned such a value a line or two before, maybe through a one-argument call
   * (`out = out[:, -1]; out = self.drop(out); self.fc(out)`).
   */
  private callsLastStep(attr: string, from: number, to: number, states: ReadonlySet<string>): boolean {
    const lastStep = (text: string): boolean => LAST_STEP.test(text) || (text.match(NAMES) ?? []).some((w) => states.has(w));
    const { t } = this.env.ctx;
    const as = this.src.assignments;
    for (let k = lastBefore(this.calls, from, (c) => c.open) + 1; k < this.calls.length && this.calls[k].open < to; k++) {
      const c = this.calls[k];
      if (c.callee !== attr || c.args.length === 0) continue;
      let text = sourceText(t, c.args[0].start, c.args[0].end);
      let before = c.open;
      for (let hop = 0; hop < 4 && !lastStep(text); hop++) {
        const name = CARRIED_NAME.exec(text)?.[1];
        if (!name) break;
        let q = lastBefore(as, before, (a) => a.valueStart);
        while (q >= 0 && as[q].valueStart >= from && !(as[q].targets.length === 1 && as[q].targets[0].path === name)) q--;
        if (q < 0 || as[q].valueStart < from) break;
        text = sourceText(t, as[q].valueStart, as[q].valueEnd);
        before = as[q].valueStart;
      }
      if (lastStep(text)) return true;
    }
    return false;
  }

  // ---- functional graphs -------------------------------------------------------------------

  /** The layer constructor a call applies (`LSTM(4)(x)`, `encoder(x)`, `lstm.apply(x)`), or null. */
  private appliedLayer(c: Call): number | null {
    let id: number | null = null;
    if (c.applied && c.receiverCall >= 0) id = c.receiverCall;
    else if (c.callee === '.apply' && c.receiverCall >= 0) id = c.receiverCall;
    else if (c.callee.endsWith('.apply') && !c.callee.startsWith('.')) id = this.lookupVar(c.callee.slice(0, -6), c.open);
    else if (c.callee && !c.callee.startsWith('.')) id = this.lookupVar(c.callee, c.open);
    if (id === null) return null;
    const r = this.rec(id);
    if (!r || r.role === 'sequential' || r.role === 'model' || r.role === 'cell' && r.framework !== 'pytorch') return null;
    return id;
  }

  private functionalModels(): ModelSpec[] {
    const { t } = this.env.ctx;
    interface Node {
      id: number;
      /** The application (`LSTM(4)(x)`'s second call) or the Input(...) call. */
      app: number;
      /** The layer's constructor call. */
      layer: number;
      /** The layer is recurrent (isRecurrent, asked often below). */
      recurrent: boolean;
      inputs: number[];
      /** Node producing the first argument (the sequence), -1 when unknown. */
      main: number;
      info: FlowInfo;
    }
    const nodes: Node[] = [];
    // Call id → node id, -1 for none: arrays indexed by id cost less here than maps.
    const nodeOfApp = new Int32Array(this.calls.length).fill(-1);
    const addNode = (app: number, layer: number): Node => {
      const n: Node = { id: nodes.length, app, layer, recurrent: this.isRecurrent(layer), inputs: [], main: -1, info: START };
      nodes.push(n);
      nodeOfApp[app] = n.id;
      return n;
    };
    for (const c of this.calls) {
      const layer = this.appliedLayer(c);
      if (layer !== null) addNode(c.id, layer);
    }
    // Input(...) calls are sources; names carry tensors from node to node.
    interface Produced {
      end: number;
      node: Node | null;
      /** A returned state (`state_h` of `out, state_h, state_c = LSTM(...)(x)`), not the output. */
      state: boolean;
    }
    const fns = this.src.functions();
    /** Name → function → its assignments in source order. */
    const producers = new Map<string, Map<number, Produced[]>>();
    // The latest assignment before `pos` that code at `pos` can see: `x` in one model builder is
    // not the `x` of the function above it. Only the enclosing functions' lists are searched, so
    // assignments in other functions (or skipped by prune.ts) cost nothing.
    const producerAt = (name: string, pos: number): Produced | null => {
      const byScope = producers.get(name);
      if (!byScope) return null;
      let best: Produced | null = null;
      for (let f = fns.at(pos); ; f = fns.enclosing(f)) {
        const list = byScope.get(f);
        const k = list ? lastBefore(list, pos + 1, (e) => e.end) : -1;
        if (k >= 0 && (!best || list![k].end > best.end)) best = list![k];
        if (f < 0) return best;
      }
    };
    // Only names some application (or Model call) reads need a producer history; walking the
    // assignments backwards adds the names those are copied from (`states = [h, c]`).
    const wanted = new Set<string>();
    const want = (v: Value | null): void => {
      if (!v) return;
      if (v.k === 'name') wanted.add(v.path);
      else if (v.k === 'seq') for (const x of v.items) want(x);
      else if (v.k === 'object') for (const p of v.props) want(p.value);
    };
    const wants = (a: Assignment): boolean => {
      for (const tg of a.targets) if (wanted.has(tg.path)) return true;
      return false;
    };
    // The sequence argument of each application (by node id; null without one), read once for `wanted` and for the edges below.
    const firstArg: (Value | null)[] = [];
    for (const n of nodes) {
      const args = this.calls[n.app].args;
      if (args.length === 0) {
        firstArg.push(null);
        continue;
      }
      const v = readValue(this.env.ctx, args[0].start, args[0].end);
      firstArg.push(v);
      want(v);
      if (!n.recurrent) continue;
      for (let k = 1; k < args.length; k++) if (args[k].name === 'initial_state' || !this.python) want(readValue(this.env.ctx, args[k].start, args[k].end));
    }
    const assignments = this.src.assignments;
    for (const a of assignments) {
      const v = assignedValue(this.env.ctx, a);
      if (v.k === 'call' && this.rec(v.call)?.role === 'model') for (const arg of this.calls[v.call].args) want(readValue(this.env.ctx, arg.start, arg.end));
    }
    for (let q = assignments.length - 1; q >= 0; q--) {
      const a = assignments[q];
      if (!wants(a)) continue;
      const v = assignedValue(this.env.ctx, a);
      if (v.k === 'name' || v.k === 'seq') want(v);
    }
    for (const a of assignments) {
      if (!wants(a)) continue;
      const v = assignedValue(this.env.ctx, a);
      let node: Node | null = null;
      let alias: Produced | null = null;
      if (v.k === 'call') {
        const id = nodeOfApp[v.call];
        if (id >= 0) node = nodes[id];
        else if (this.rec(v.call)?.role === 'input') node = addNode(v.call, v.call);
      } else if (v.k === 'name' || v.k === 'seq') {
        // `encoder_states = [state_h, state_c]` passes the encoder's tensors on under a new name.
        const first = v.k === 'name' ? v : v.items[0];
        if (first?.k === 'name') alias = producerAt(first.path, a.valueStart);
      }
      const recurrent = node !== null && node.recurrent;
      const scope = fns.at(a.valueStart);
      for (let k = 0; k < a.targets.length; k++) {
        const path = a.targets[k].path;
        if (!path) continue;
        let byScope = producers.get(path);
        if (!byScope) producers.set(path, (byScope = new Map()));
        let list = byScope.get(scope);
        if (!list) byScope.set(scope, (list = []));
        if (alias) list.push({ ...alias, end: a.valueEnd });
        else list.push({ end: a.valueEnd, node, state: k > 0 && recurrent });
      }
      if (node && recurrent && a.targets.length > 1) this.inferReturnState(node.layer, a.targets.length);
    }
    // Edges: the first argument (and initial_state) of each application.
    const link = (n: Node, v: Value, main: boolean): void => {
      const names: Value[] = v.k === 'seq' ? v.items : [v];
      for (const x of names) {
        let p: Produced | null = null;
        if (x.k === 'name') p = producerAt(x.path, this.calls[n.app].open);
        else if (x.k === 'call') {
          // `LSTM(8)(Input((10, 3)))`: an Input written in place is a source as an assigned one is.
          const id = nodeOfApp[x.call] >= 0 ? nodeOfApp[x.call] : this.rec(x.call)?.role === 'input' ? addNode(x.call, x.call).id : -1;
          if (id >= 0) p = { end: 0, node: nodes[id], state: false };
        }
        if (!p?.node) continue;
        n.inputs.push(p.node.id);
        if (main && n.main < 0 && !p.state) n.main = p.node.id;
      }
    };
    for (const n of nodes) {
      const c = this.calls[n.app];
      const first = n.id < firstArg.length ? firstArg[n.id] : null;
      if (first) link(n, first, true);
      if (!n.recurrent) continue;
      for (const a of c.args) if (a.name === 'initial_state') link(n, readValue(this.env.ctx, a.start, a.end), false);
      // TF.js: `.apply(x, {initialState: [h, c]})`.
      const opts = !this.python && c.args[1] ? readValue(this.env.ctx, c.args[1].start, c.args[1].end) : null;
      const init = opts?.k === 'object' ? opts.props.find((p) => p.key === 'initialState') : undefined;
      if (init) link(n, init.value, false);
    }
    // Components (union-find over node ids).
    // A typed array: a plain one changes elements kind between parses and sends V8 into a deopt loop
    // here. Filled by a loop: Int32Array.from with a map function takes V8's slow path.
    const parent = new Int32Array(nodes.length);
    for (let k = 0; k < nodes.length; k++) parent[k] = k;
    const find = (x: number): number => {
      while (parent[x] !== x) x = parent[x] = parent[parent[x]];
      return x;
    };
    for (const n of nodes) for (const i of n.inputs) parent[find(i)] = find(n.id);
    /** Roots of the components that hold a recurrent layer. */
    const relevant = new Uint8Array(nodes.length);
    let anyRelevant = false;
    for (const n of nodes) {
      if (!n.recurrent) continue;
      relevant[find(n.id)] = 1;
      anyRelevant = true;
    }
    if (!anyRelevant) return [];
    // Data-flow order (inputs first, source order otherwise): `Dense(5)(GRU(7)(x))` runs the GRU first.
    const bySource = nodes.filter((n) => relevant[find(n.id)] === 1).sort((a, b) => this.calls[a.app].open - this.calls[b.app].open);
    const ordered: Node[] = [];
    const state = new Uint8Array(nodes.length);
    // Iterative depth-first walk (node, next input) on typed stacks: a long `x = layer(x)` chain
    // must not exhaust the call stack.
    const stackNode = new Int32Array(nodes.length);
    const stackNext = new Int32Array(nodes.length);
    for (const root of bySource) {
      if (state[root.id]) continue;
      let sp = 0;
      stackNode[0] = root.id;
      stackNext[0] = 0;
      state[root.id] = 1;
      while (sp >= 0) {
        const n = nodes[stackNode[sp]];
        const k = stackNext[sp];
        if (k < n.inputs.length) {
          stackNext[sp] = k + 1;
          const m = n.inputs[k];
          if (!state[m]) {
            state[m] = 1;
            sp++;
            stackNode[sp] = m;
            stackNext[sp] = 0;
          }
        } else {
          sp--;
          ordered.push(n);
        }
      }
    }
    // Items (by node id) only for components that hold a recurrent layer. Kept off the nodes: a
    // field changing from null to an array sent V8 into a deopt loop where the nodes are read below.
    const itemsOf: ModelLayer[][] = [];
    for (let k = 0; k < nodes.length; k++) itemsOf.push(NO_ITEMS);
    const groups = new Map<number, Node[]>();
    for (const n of ordered) {
      const items = this.item(n.layer);
      itemsOf[n.id] = items;
      n.info = this.flow(items, n.main >= 0 ? nodes[n.main].info : START);
      const root = find(n.id);
      let g = groups.get(root);
      if (!g) groups.set(root, (g = []));
      g.push(n);
    }
    // `Model(inputs, outputs)` / `tf.model({inputs, outputs})` names the lens site.
    const modelSites = new Map<number, { call: Call; name: string | null }>();
    for (const a of this.src.assignments) {
      const v = assignedValue(this.env.ctx, a);
      if (v.k !== 'call' || this.rec(v.call)?.role !== 'model') continue;
      const mc = this.calls[v.call];
      for (let i = mc.open; i < mc.close; i++) {
        if (!t.isName(i)) continue;
        const p = producerAt(t.text_(i), mc.open)?.node;
        if (p && relevant[find(p.id)] === 1 && !modelSites.has(find(p.id))) {
          modelSites.set(find(p.id), { call: mc, name: a.targets[0]?.path || null });
          break;
        }
      }
    }
    const out: ModelSpec[] = [];
    for (const [root, g] of groups) {
      // A layer applied several times (`lstm_layer(paragraph1)`, `lstm_layer(paragraph2)`) is one layer.
      const seen = new Set<ModelLayer>();
      const placed: Placed[] = [];
      for (const n of g) {
        for (const item of itemsOf[n.id]) {
          if (seen.has(item)) continue;
          seen.add(item);
          placed.push({ item, pos: this.calls[n.app].open });
        }
      }
      const { kept, alternatives } = this.choose(placed);
      const recurrent = recurrentLayers(kept);
      const site = modelSites.get(root);
      // One layer on its own is not a model unless a Model(...) call says so.
      if (!recurrent.length || (!site && kept.filter((i) => i.role !== 'passthrough').length < 2)) continue;
      const range = site ? rangeOf(this.env, site.call.nameTok >= 0 ? site.call.nameTok : site.call.calleeStart) : recurrent[0].range;
      out.push({
        framework: recurrent[0].framework,
        style: 'functional',
        name: site?.name ?? null,
        range,
        layers: kept,
        recurrent,
        alternatives,
        input: modelInput(kept),
        head: recurrent[recurrent.length - 1].head,
      });
    }
    return out;
  }

  /** Unpacking 3 values from an LSTM (2 from SimpleRNN/GRU) means return_state=True even when the code sets it symbolically. */
  private inferReturnState(layerCall: number, targets: number): void {
    const l = this.byOuter.get(layerCall)?.[0]?.spec;
    if (!l || l.returnState !== null || l.framework === 'pytorch') return;
    const expected = (l.kind === 'lstm' ? 3 : 2) + (l.bidirectional ? (l.kind === 'lstm' ? 2 : 1) : 0);
    if (targets === expected) l.returnState = true;
  }
}

/** A subscript that keeps the last step: `[-1]`, `[:, -1]`, `[:, -1, :]`, `[-1, :, :]`. */
const LAST_STEP = /\[\s*(?::\s*,\s*)?-1\s*(?:,\s*:\s*)*\]/;
/** Names in an expression, not attributes (`h_n` in `h_n.squeeze(0)`, not `squeeze`). */
const NAMES = /(?<![\w.])[A-Za-z_]\w*/g;
/** The name a value carries on: `out`, or the first argument of `self.drop(out)` / `F.relu(out, …)`. */
const CARRIED_NAME = /^(?:[\w.]+\(\s*)?([A-Za-z_]\w*)\s*(?:[,)].*)?$/s;

/** Index of the last entry whose key is < pos in a list sorted by key, or -1 (binary search). */
function lastBefore<T>(list: T[], pos: number, key: (e: T) => number): number {
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(list[mid]) < pos) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * The recurrent layers among a model's items. Built by push: the array `filter().map()` returns
 * has another elements kind when empty, and reading its length then threw V8 into a deopt loop.
 */
function recurrentLayers(items: ModelLayer[]): LayerSpec[] {
  const out: LayerSpec[] = [];
  for (const i of items) if (i.role === 'recurrent') out.push(i.layer!);
  return out;
}

function modelInput(items: ModelLayer[]): ModelSpec['input'] {
  const first = items.find((i) => i.role !== 'passthrough');
  if (first?.role === 'input') return { timesteps: first.timesteps ?? null, features: first.features ?? null, vocab: null };
  if (first?.role === 'embedding') return { timesteps: first.timesteps ?? null, features: null, vocab: first.vocab ?? null };
  if (first?.role === 'recurrent') return { timesteps: first.layer!.timesteps, features: first.layer!.inputDim, vocab: null };
  return null;
}

/** A head's activation as a plain name (`softmax`, `relu`), whatever the engine supports. */
function headActivation(env: Env, b: BoundArg | undefined): string {
  if (!b || b.value.k === 'none') return 'linear';
  const s = stringArg(env, b);
  if (s.value !== null) return s.value;
  return b.value.k === 'name' ? b.value.path.slice(b.value.path.lastIndexOf('.') + 1) : b.text;
}

/** One step of a model walk: what the tensor looks like after `it`, and the side effects on recurrent layers (input size, time steps, head). */
function applyItem(info: FlowInfo, it: ModelLayer): FlowInfo {
  switch (it.role) {
    case 'input':
      return { T: it.timesteps ?? null, d: it.features ?? null, seq: true, from: it };
    case 'embedding':
      return { T: it.timesteps ?? info.T, d: it.units ?? null, seq: true, from: it };
    case 'recurrent': {
      const l = it.layer!;
      if (l.inputDim === null && info.seq) l.inputDim = info.d;
      if (l.timesteps === null && info.seq) l.timesteps = info.T;
      const dirs = l.bidirectional && (l.bidirectional.mergeMode === 'concat' || l.framework === 'pytorch') ? 2 : 1;
      return { T: l.timesteps ?? info.T, d: l.units === null ? null : l.units * dirs, seq: l.returnSequences !== false, from: it };
    }
    case 'dense': {
      const prev = info.from;
      let seq = info.seq;
      if (prev?.role === 'recurrent' && prev.layer && !prev.layer.head) {
        // `fc(out[:, -1])` of a one-directional layer (a bidirectional one's last step is not both final states).
        const lastStep = !!it.lastStep && info.seq && !prev.layer.bidirectional;
        prev.layer.head = { units: it.units ?? null, activation: it.activation ?? 'linear', timeDistributed: !lastStep && (!!it.timeDistributed || (info.seq && prev.layer.returnSequences === true)), lastStep };
        if (lastStep) seq = false;
      }
      return { T: info.T, d: it.units ?? null, seq, from: it };
    }
    case 'repeat':
      // RepeatVector(n): (batch, d) → (batch, n, d)
      return { T: it.timesteps ?? null, d: info.d, seq: true, from: it };
    case 'passthrough':
      return info;
    default:
      return { T: null, d: null, seq: info.seq, from: it };
  }
}
