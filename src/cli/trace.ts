// `rnn-unroll trace`: one layer, one input sequence → the full trace as JSON (issue 3, item 5).
//   node dist/cli.js trace --spec spec.json [--weights w.json] [--input x.json] [--dy dy.json]
//                          [--targets t.json] [--seed N] [--jacobian auto|on|off] [--spectral-radius ρ]
// spec.json: {cell, units, inputDim, timesteps, activation, recurrentActivation, useBias,
//   returnSequences, returnState, goBackwards, resetAfter} (absent → Keras 3 defaults), optionally
//   bidirectional: true | {mergeMode: "concat"|"sum"|"mul"|"ave"|null} and
//   head: {units, activation: "softmax"|"linear"} (then --targets, T_out×K, defines the loss).
// Or a trained model's layer instead of spec.json and w.json:
//   node dist/cli.js trace --model MODEL_FILE [--layer NAME] [--timesteps T] [--input x.json] …
// (NAME defaults to the first recurrent layer; T to the model's input length when it fixes one).
// w.json: {kernel, recurrentKernel, bias} in Keras shapes ({forward, backward} for Bidirectional;
//   head: {kernel, bias} for a head); absent → seeded Keras init, echoed as `weights`.
// Limits (engine/validate.ts LIMITS): T ≤ 10000, H ≤ 1024, D ≤ 4096, T·gates·H ≤ 4M,
//   (D+H)·gates·H ≤ 8M. The O(T·H³) Jacobian norms run by default only up to T·H³·k ≤ 2e9.
import { readFileSync } from 'node:fs';
import type { DenseWeights, DirectionTrace, LayerWeights, TraceHead, TraceLoss, TraceSpec } from '../spec';
import {
  EngineInputError,
  computeTrace,
  createRng,
  fromNested,
  initHeadWeights,
  initLayerWeights,
  isBidirectionalWeights,
  jacobianNorms,
  layerWeightsFromJson,
  layerWeightsToJson,
  mainOutputShape,
  parseTraceSpec,
  scaleRecurrent,
  toNested,
  uniformArray,
  weightShapes,
} from '../engine';
import type { JacobianNorms } from '../spec';
import { CliError, parseArgs, type CliCommand } from './common';

const FLAGS = ['spec', 'weights', 'input', 'dy', 'targets', 'seed', 'jacobian', 'spectral-radius', 'model', 'layer', 'timesteps'] as const;
/** Multiply-adds above which `--jacobian auto` skips the Jacobian norms (a few seconds here). */
const JACOBIAN_BUDGET = 2e9;

function readJson(flag: string, path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(`--${flag}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`--${flag}: ${path} is not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
}

function numberFlag(flags: Map<string, string>, name: string, dflt: number, integer: boolean): number {
  const v = flags.get(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new CliError(`--${name}: expected ${integer ? 'an integer' : 'a number'}, got '${v}'`);
  }
  return n;
}

function parseHead(raw: unknown): TraceHead | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new EngineInputError('head', 'must be {"units": K, "activation": "softmax"|"linear"}');
  const o = raw as Record<string, unknown>;
  if (typeof o.units !== 'number' || !Number.isInteger(o.units) || o.units < 1) throw new EngineInputError('head.units', 'must be a positive integer');
  if (o.activation !== 'softmax' && o.activation !== 'linear') throw new EngineInputError('head.activation', 'must be "softmax" or "linear"');
  return { units: o.units, activation: o.activation };
}

function jacobianCost(spec: TraceSpec): number {
  const k = spec.cell === 'lstm' || (spec.cell === 'gru' && !spec.resetAfter) ? 2 : 1;
  return spec.timesteps * spec.units ** 3 * k * (spec.bidirectional ? 2 : 1);
}

function directionJson(spec: TraceSpec, d: DirectionTrace, jn: JacobianNorms | null): Record<string, unknown> {
  const T = spec.timesteps;
  const H = spec.units;
  const TH = [T, H];
  const gates: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d.gates)) gates[k] = toNested(v, TH);
  const shapes = weightShapes(spec);
  const GH = shapes.kernel[1];
  return {
    goBackwards: d.goBackwards,
    x: toNested(d.x, [T, spec.inputDim]),
    preactivations: toNested(d.pre, [T, GH]),
    h: toNested(d.h, TH),
    c: d.c ? toNested(d.c, TH) : null,
    gates,
    dh: toNested(d.dh, TH),
    dc: d.dc ? toNested(d.dc, TH) : null,
    dPreactivations: toNested(d.dPre, [T, GH]),
    dx: toNested(d.dx, [T, spec.inputDim]),
    dh0: toNested(d.dh0, [H]),
    dc0: d.dc0 ? toNested(d.dc0, [H]) : null,
    grads: {
      kernel: toNested(d.grads.kernel, shapes.kernel),
      recurrentKernel: toNested(d.grads.recurrentKernel, shapes.recurrentKernel),
      bias: d.grads.bias && shapes.bias ? toNested(d.grads.bias, shapes.bias) : null,
    },
    stepGradNorms: {
      kernel: toNested(d.stepGradNorms.kernel, [T]),
      recurrentKernel: toNested(d.stepGradNorms.recurrentKernel, [T]),
      bias: toNested(d.stepGradNorms.bias, [T]),
    },
    jacobianNorms: jn ? toNested(jn.h, [T]) : null,
    jacobianNormsC: jn?.c ? toNested(jn.c, [T]) : null,
    sigmaMax: d.recurrent?.sigmaMax ?? null,
    spectralRadius: d.recurrent?.spectralRadius ?? null,
    recurrentBlocks: d.recurrent?.blocks ?? null,
  };
}

/** A recurrent layer of a trained model file, with its weights in our layout. */
async function trainedLayer(path: string, name: string | undefined, timesteps: number | undefined): Promise<{ spec: TraceSpec; weights: LayerWeights; name: string }> {
  const { readModelFile } = await import('../models/nodeSource');
  const { findLayer, toTraceSpec, unrollableLayers, ModelError } = await import('../models');
  try {
    const model = await readModelFile(path);
    const layer = findLayer(model, name);
    if (!layer.recurrent) {
      const names = unrollableLayers(model).map((l) => l.name);
      throw new CliError(`--layer: '${layer.name}' (${layer.className}) is not a recurrent layer; recurrent layers: ${names.join(', ') || 'none'}`);
    }
    return { spec: toTraceSpec(layer, timesteps), weights: layer.recurrent.weights, name: layer.name };
  } catch (e) {
    if (e instanceof ModelError) throw new CliError(`${e.message}${/sequence length/.test(e.message) ? ' (pass --timesteps T)' : ''}`);
    throw e;
  }
}

async function run(argv: string[]): Promise<unknown> {
  const { flags, positionals } = parseArgs(argv, FLAGS);
  if (positionals.length > 0) throw new CliError(`unexpected argument '${positionals[0]}'`);
  const specPath = flags.get('spec');
  const modelPath = flags.get('model');
  if (!specPath && !modelPath) throw new CliError('--spec (a JSON file describing the layer) or --model (a trained model file) is required');
  if (specPath && modelPath) throw new CliError('--spec and --model: give one of them (a trained model brings its own spec)');
  if (!modelPath && (flags.has('layer') || flags.has('timesteps'))) throw new CliError(`--${flags.has('layer') ? 'layer' : 'timesteps'}: only with --model`);
  const seed = numberFlag(flags, 'seed', 0, true);
  const jacobianMode = flags.get('jacobian') ?? 'auto';
  if (!['auto', 'on', 'off'].includes(jacobianMode)) throw new CliError(`--jacobian: expected auto, on or off, got '${jacobianMode}'`);

  const trained = modelPath ? await trainedLayer(modelPath, flags.get('layer'), flags.has('timesteps') ? numberFlag(flags, 'timesteps', 1, true) : undefined) : null;
  if (trained && flags.has('weights')) throw new CliError('--weights: not with --model (the model has its weights)');
  const rawSpec = trained ? {} : readJson('spec', specPath!);
  const spec = trained ? trained.spec : parseTraceSpec(rawSpec);
  const head = parseHead((rawSpec as Record<string, unknown>).head);
  const { timesteps: T, inputDim: D } = spec;
  const rng = createRng(seed + 1); // input and head draws, apart from the layer init stream
  const notes: string[] = [];

  const wPath = flags.get('weights');
  const rawW = wPath ? (readJson('weights', wPath) as Record<string, unknown>) : null;
  let weights: LayerWeights = trained ? trained.weights : rawW ? layerWeightsFromJson(spec, rawW) : initLayerWeights(spec, seed);
  const rho = flags.get('spectral-radius');
  if (rho !== undefined) {
    const target = numberFlag(flags, 'spectral-radius', 1, false);
    if (!(target >= 0)) throw new CliError(`--spectral-radius: must be ≥ 0, got '${rho}'`);
    weights = isBidirectionalWeights(weights)
      ? { forward: scaleRecurrent(spec, weights.forward, target), backward: scaleRecurrent(spec, weights.backward, target) }
      : scaleRecurrent(spec, weights, target);
  }

  const xPath = flags.get('input');
  const input = xPath ? fromNested('input', readJson('input', xPath), [T, D]) : uniformArray(rng, T * D, -1, 1);

  const mainShape = mainOutputShape(spec);
  let loss: TraceLoss;
  let headWeights: DenseWeights | null = null;
  if (head) {
    if (flags.has('dy')) throw new CliError('--dy: not allowed with a head (the head and --targets define the loss)');
    const tPath = flags.get('targets');
    if (!tPath) throw new CliError('--targets is required when spec.head is given');
    if (spec.bidirectional?.mergeMode === null) throw new CliError('head: needs a merged output (bidirectional.mergeMode must not be null)');
    const F = mainShape[mainShape.length - 1];
    const steps = spec.returnSequences ? T : 1;
    const rawHead = rawW?.head as Record<string, unknown> | undefined;
    headWeights = rawHead
      ? { kernel: fromNested('head.kernel', rawHead.kernel, [F, head.units]), bias: rawHead.bias == null ? null : fromNested('head.bias', rawHead.bias, [head.units]) }
      : initHeadWeights(head, F, rng);
    const targetShape = spec.returnSequences ? [steps, head.units] : [head.units];
    loss = { kind: 'head', head, weights: headWeights, targets: fromNested('targets', readJson('targets', tPath), targetShape) };
  } else {
    if (flags.has('targets')) throw new CliError('--targets: needs spec.head');
    const dyPath = flags.get('dy');
    const n = mainShape.reduce((a, b) => a * b, 1);
    loss = { kind: 'dy', dy: dyPath ? fromNested('dy', readJson('dy', dyPath), mainShape) : new Float64Array(n).fill(1) };
  }

  const trace = computeTrace(spec, weights, input, { loss });

  let jn: JacobianNorms[] | null = null;
  const cost = jacobianCost(spec);
  if (jacobianMode === 'on' || (jacobianMode === 'auto' && cost <= JACOBIAN_BUDGET)) jn = jacobianNorms(spec, weights, trace);
  else if (jacobianMode === 'auto') notes.push(`jacobianNorms skipped: about ${cost.toExponential(1)} multiply-adds (above ${JACOBIAN_BUDGET}); pass --jacobian on`);

  const dirs = trace.directions.map((d, i) => directionJson(spec, d, jn ? jn[i] : null));
  const out: Record<string, unknown> = {
    spec,
    seed,
    outputs: trace.outputs.map((o) => toNested(o.data, o.shape)),
    outputNames: trace.outputs.map((o) => o.name),
    outputShapes: trace.outputs.map((o) => o.shape),
    loss: trace.loss,
    stepLoss: Array.from(trace.stepLoss),
    ...dirs[0],
  };
  if (dirs.length === 2) out.backward = dirs[1];
  if (trace.head && head) {
    const steps = spec.returnSequences ? T : 1;
    const F = mainShape[mainShape.length - 1];
    out.head = {
      ...head,
      logits: toNested(trace.head.logits, [steps, head.units]),
      outputs: toNested(trace.head.outputs, [steps, head.units]),
      grads: { kernel: toNested(trace.head.grads.kernel, [F, head.units]), bias: trace.head.grads.bias ? Array.from(trace.head.grads.bias) : null },
    };
  }
  if (trained) out.model = { file: modelPath, layer: trained.name };
  if (!wPath && !trained) out.weights = layerWeightsToJson(spec, weights);
  else if (rho !== undefined) out.weights = layerWeightsToJson(spec, weights);
  if (headWeights && !(rawW && rawW.head)) {
    const F = mainShape[mainShape.length - 1];
    out.headWeights = { kernel: toNested(headWeights.kernel, [F, head!.units]), bias: headWeights.bias ? Array.from(headWeights.bias) : null };
  }
  if (!xPath) out.input = toNested(input, [T, D]);
  if (notes.length) out.notes = notes;
  return out;
}

export const trace: CliCommand = async (argv) => {
  try {
    return await run(argv);
  } catch (e) {
    // Engine input errors name their field; the CLI turns them into exit 2 + one line.
    if (e instanceof EngineInputError) throw new CliError(e.message.replace(/\s+/g, ' '));
    throw e;
  }
};
