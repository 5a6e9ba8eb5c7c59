// The unpickled object → a flat state_dict (`prefix.param` → tensor) in saved order. Accepts a
// state_dict, a training checkpoint dict holding one (`{'model_state_dict': …, 'epoch': …}`), or a
// whole-module pickle, whose inert module records are walked through `_modules` / `_parameters` /
// `_buffers` exactly as nn.Module.state_dict() would.
import { ModelError } from '../errors';
import { PickleDict, PickleObject, PickleSet, PickleTuple, TensorRef, type PickleValue } from './pickle';

export interface TorchModule {
  /** `torch.nn.modules.rnn.LSTM`, `__main__.Net`, … */
  className: string;
  /** Plain attributes from the pickle (hidden_size, num_layers, nonlinearity, batch_first, …). */
  attrs: Map<string, PickleValue>;
}

export interface StateDict {
  tensors: Map<string, TensorRef>;
  /** Whole-module pickles: module prefix ('' for the root) → class and attributes. */
  modules: Map<string, TorchModule> | null;
}

export function toStateDict(root: PickleValue, what: string): StateDict {
  if (root instanceof PickleObject) return fromModule(root, what);
  if (root instanceof PickleDict) {
    const direct = tensorsOf(root);
    if (direct.size > 0) return { tensors: direct, modules: null };
    // A checkpoint dict: prefer the entry that looks like the model's weights.
    const candidates = [...root.map.entries()].filter(([, v]) => v instanceof PickleDict && tensorsOf(v).size > 0);
    const preferred = candidates.find(([k]) => typeof k === 'string' && /model|state_dict|net|weights/i.test(k) && !/optim/i.test(k)) ?? candidates.find(([k]) => !/optim/i.test(String(k)));
    if (preferred) return { tensors: tensorsOf(preferred[1] as PickleDict), modules: null };
    const module = [...root.map.values()].find((v) => v instanceof PickleObject);
    if (module instanceof PickleObject) return fromModule(module, what);
  }
  throw new ModelError('not-a-model', `${what} holds no tensors keyed by name (expected torch.save(model.state_dict(), path))`);
}

function tensorsOf(d: PickleDict): Map<string, TensorRef> {
  const out = new Map<string, TensorRef>();
  for (const [k, v] of d.map) if (typeof k === 'string' && v instanceof TensorRef) out.set(k, v);
  return out;
}

function fromModule(root: PickleObject, what: string): StateDict {
  const tensors = new Map<string, TensorRef>();
  const modules = new Map<string, TorchModule>();
  const seen = new Set<PickleObject>();
  const walk = (m: PickleObject, prefix: string, depth: number) => {
    if (seen.has(m) || depth > 64) return;
    seen.add(m);
    const state = m.state instanceof PickleDict ? m.state : m.state instanceof PickleTuple && m.state.items[0] instanceof PickleDict ? m.state.items[0] : null;
    if (state === null) return;
    const attrs = new Map<string, PickleValue>();
    for (const [k, v] of state.map) {
      if (typeof k === 'string' && (v === null || ['string', 'number', 'boolean'].includes(typeof v))) attrs.set(k, v);
    }
    modules.set(prefix, { className: m.cls.qualified, attrs });
    const params = state.map.get('_parameters');
    const buffers = state.map.get('_buffers');
    const nonPersistent = state.map.get('_non_persistent_buffers_set');
    const skip = new Set<string>();
    if (nonPersistent instanceof PickleSet) {
      for (const s of nonPersistent.items) if (typeof s === 'string') skip.add(s);
    }
    for (const group of [params, buffers]) {
      if (!(group instanceof PickleDict)) continue;
      for (const [k, v] of group.map) {
        if (typeof k === 'string' && v instanceof TensorRef && !(group === buffers && skip.has(k))) tensors.set(prefix + k, v);
      }
    }
    const children = state.map.get('_modules');
    if (children instanceof PickleDict) {
      for (const [k, v] of children.map) if (typeof k === 'string' && v instanceof PickleObject) walk(v, `${prefix}${k}.`, depth + 1);
    }
  };
  walk(root, '', 0);
  if (tensors.size === 0) {
    throw new ModelError('unsupported', `${what} is a whole-module pickle (torch.save(model)) whose parameters could not be found; save torch.save(model.state_dict(), path) instead`);
  }
  // Keys in `modules` end with '.', as state_dict prefixes do; strip it for lookups by module name.
  const named = new Map<string, TorchModule>();
  for (const [k, v] of modules) named.set(k.replace(/\.$/, ''), v);
  return { tensors, modules: named };
}
