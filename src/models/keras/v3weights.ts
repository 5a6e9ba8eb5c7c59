// Keras 3 weight files (`model.weights.h5` inside a .keras zip, or from save_weights) key their
// groups by object path, not by layer name: `layers/<snake_case(class)>[_k]/…/vars/<i>`, where k
// counts earlier layers of the same class (keras/src/saving/saving_lib.py,
// `_save_container_state`). So the k-th GRU of the model is `layers/gru_<k>` whatever its name,
// and tensors are numbered, not named: roles come from the owning object's class.
import { ModelError } from '../errors';
import type { H5Dataset, H5Group } from '../hdf5';
import type { KerasLayerConfig, KerasModelConfig } from './config';
import type { LayerTensors, NamedTensor } from './assemble';
import { innerClassOf } from './layers';

/** keras/src/utils/naming.py to_snake_case. */
export function toSnakeCase(name: string): string {
  const a = name.replace(/\W+/g, '');
  const b = a.replace(/(.)([A-Z][a-z]+)/g, '$1_$2');
  return b.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

const RECURRENT_VARS = ['kernel', 'recurrent_kernel', 'bias'];

function varNames(className: string | null, config: Record<string, unknown>): string[] {
  switch (className) {
    case 'Dense':
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D':
      return config.use_bias === false ? ['kernel'] : ['kernel', 'bias'];
    case 'Embedding':
      return ['embeddings'];
    case 'BatchNormalization': {
      const out: string[] = [];
      if (config.scale !== false) out.push('gamma');
      if (config.center !== false) out.push('beta');
      return [...out, 'moving_mean', 'moving_variance'];
    }
    case 'LayerNormalization':
      return ['gamma', 'beta'];
    default:
      return [];
  }
}

/** Object paths of the model's layers, in the order Keras wrote them. */
export function v3LayerPaths(model: KerasModelConfig): Map<KerasLayerConfig, string> {
  const used = new Map<string, number>();
  const paths = new Map<KerasLayerConfig, string>();
  for (const layer of model.layers) {
    // Sequential.layers omits its InputLayer; Functional keeps it, but it has no weights either way.
    if (layer.className === 'InputLayer') continue;
    const base = toSnakeCase(layer.className);
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    paths.set(layer, n === undefined ? base : `${base}_${n + 1}`);
  }
  return paths;
}

export function v3TensorsOf(root: H5Group, model: KerasModelConfig, what: string): LayerTensors {
  const paths = v3LayerPaths(model);
  const layersGroup = root.get('layers');
  return (layer) => {
    const path = paths.get(layer);
    if (path === undefined) return [];
    const group = layersGroup?.kind === 'group' ? layersGroup.get(path) : null;
    if (group === null || group.kind !== 'group') return [];
    const out: NamedTensor[] = [];
    collect(group, '', layer, out, what, 0);
    return out;
  };
}

function collect(g: H5Group, rel: string, layer: KerasLayerConfig, out: NamedTensor[], what: string, depth: number): void {
  if (depth > 6) return;
  const keys = g.keys();
  if (rel === 'vars' || rel.endsWith('/vars')) {
    const owner = rel.slice(0, -'vars'.length).replace(/\/$/, '');
    const roles = rolesFor(owner, layer);
    const numbered = keys.filter((k) => /^\d+$/.test(k)).sort((a, b) => Number(a) - Number(b));
    for (const k of numbered) {
      const d = g.get(k);
      if (d === null || d.kind !== 'dataset') throw new ModelError('corrupt', `${what}: ${g.path}/${k} is not a dataset`);
      const role = roles[Number(k)] ?? `var${k}`;
      out.push(named(owner ? `${owner}/${role}` : role, d));
    }
    return;
  }
  for (const k of keys) {
    const child = g.get(k);
    if (child !== null && child.kind === 'group') collect(child, rel ? `${rel}/${k}` : k, layer, out, what, depth + 1);
  }
}

/** `cell` (any RNN, either Bidirectional direction) → kernel, recurrent_kernel, bias. */
function rolesFor(owner: string, layer: KerasLayerConfig): string[] {
  const last = owner.split('/').pop() ?? '';
  if (last === 'cell') return RECURRENT_VARS;
  if (owner === '') return varNames(layer.className, layer.config);
  if (last === 'layer') {
    const inner = layer.config.layer;
    const innerConfig = typeof inner === 'object' && inner !== null && 'config' in inner ? (inner as { config: unknown }).config : {};
    return varNames(innerClassOf(layer), typeof innerConfig === 'object' && innerConfig !== null ? (innerConfig as Record<string, unknown>) : {});
  }
  return [];
}

function named(name: string, d: H5Dataset): NamedTensor {
  return { name, shape: d.shape, read: () => d.read() };
}
