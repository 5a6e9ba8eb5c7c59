// Independent references built on tfjs (float32): tf.layers RNN layers configured like Keras, and
// a hand-written cell loop in tf ops with zero "probe" tensors added to every h_t (and c_t), so
// tf.grads yields ∂L/∂h_t (RNN-SEMANTICS §4.5). Nothing here imports src/engine.
import * as tf from '@tensorflow/tfjs';
import type { ActivationName, TraceSpec, Weights } from '../../../src/spec';

tf.enableProdMode();

const TF_ACT: Record<ActivationName, string> = {
  tanh: 'tanh',
  relu: 'relu',
  sigmoid: 'sigmoid',
  linear: 'linear',
  hard_sigmoid: 'hardSigmoid',
  hard_sigmoid_k3: 'unsupported',
};

/** Keras-shaped tensors of one layer's weights, for setWeights. */
export function weightTensors(spec: TraceSpec, w: Weights): tf.Tensor[] {
  const GH = w.recurrentKernel.length / spec.units;
  const out: tf.Tensor[] = [
    tf.tensor2d(Float32Array.from(w.kernel), [spec.inputDim, GH]),
    tf.tensor2d(Float32Array.from(w.recurrentKernel), [spec.units, GH]),
  ];
  if (w.bias) out.push(w.bias.length === GH ? tf.tensor1d(Float32Array.from(w.bias)) : tf.tensor2d(Float32Array.from(w.bias), [2, GH]));
  return out;
}

/** A tf.layers RNN (or Bidirectional) with every Keras-differing default set explicitly. */
export function kerasLikeLayer(spec: TraceSpec): tf.layers.Layer {
  const common = {
    units: spec.units,
    activation: TF_ACT[spec.activation],
    useBias: spec.useBias,
    returnSequences: spec.returnSequences,
    returnState: spec.returnState,
    goBackwards: spec.goBackwards,
    // Weights are set explicitly; zeros also avoids tfjs's slow-orthogonal warning.
    kernelInitializer: 'zeros',
    recurrentInitializer: 'zeros',
    biasInitializer: 'zeros',
  } as const;
  const rec = { recurrentActivation: TF_ACT[spec.recurrentActivation] } as const;
  let layer: tf.layers.Layer;
  // The string-typed activation unions in tfjs's typings do not accept a computed string.
  /* eslint-disable @typescript-eslint/no-explicit-any */
  if (spec.cell === 'simple_rnn') layer = tf.layers.simpleRNN(common as any);
  else if (spec.cell === 'lstm') layer = tf.layers.lstm({ ...common, ...rec, unitForgetBias: false } as any);
  else layer = tf.layers.gru({ ...common, ...rec, resetAfter: false } as any);
  if (spec.bidirectional) layer = tf.layers.bidirectional({ layer: layer as any, mergeMode: spec.bidirectional.mergeMode as any });
  /* eslint-enable @typescript-eslint/no-explicit-any */
  return layer;
}

/** Runs the layer once to build it, then sets the weights (forward then backward for Bidirectional). */
export function buildLayer(layer: tf.layers.Layer, spec: TraceSpec, weights: Weights[], x: tf.Tensor3D): void {
  tf.dispose(layer.apply(x) as tf.Tensor | tf.Tensor[]);
  const ts = weights.flatMap((w) => weightTensors(spec, w));
  layer.setWeights(ts);
  tf.dispose(ts);
}

export function asList(y: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  return Array.isArray(y) ? y : [y];
}

function act(name: ActivationName, x: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'tanh':
      return tf.tanh(x);
    case 'relu':
      return tf.relu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'linear':
      return x;
    case 'hard_sigmoid':
      return tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1);
    case 'hard_sigmoid_k3':
      return tf.clipByValue(tf.add(tf.div(x, 6), 0.5), 0, 1);
  }
}

export interface LoopTensors {
  kernel: tf.Tensor2D;
  recurrentKernel: tf.Tensor2D;
  /** [GH] or [2, GH] (GRU reset_after). */
  bias: tf.Tensor | null;
}

/**
 * One direction, batch 1, written from the Keras equations (RNN-SEMANTICS §1.2). `xs` are the
 * inputs in processing order ([1, D] each); probeH/probeC[t] are added to h_t / c_t. With one
 * weight set per step (all equal), the gradient w.r.t. set t is step t's contribution.
 * Returns h_t for every step.
 */
export function handLoop(
  spec: TraceSpec,
  weights: LoopTensors | LoopTensors[],
  xs: tf.Tensor2D[],
  probeH: tf.Tensor2D[],
  probeC: tf.Tensor2D[] | null,
): tf.Tensor2D[] {
  const H = spec.units;
  let h: tf.Tensor2D = tf.zeros([1, H]);
  let c: tf.Tensor2D = tf.zeros([1, H]);
  const hs: tf.Tensor2D[] = [];
  const rA = (x: tf.Tensor) => act(spec.recurrentActivation, x) as tf.Tensor2D;
  const A = (x: tf.Tensor) => act(spec.activation, x) as tf.Tensor2D;
  const resetAfter = spec.cell === 'gru' && spec.resetAfter;
  for (let t = 0; t < xs.length; t++) {
    const w = Array.isArray(weights) ? weights[t] : weights;
    const bx = !w.bias ? null : resetAfter ? (tf.squeeze(tf.slice(w.bias, [0, 0], [1, -1]), [0]) as tf.Tensor1D) : w.bias;
    const bh = w.bias && resetAfter ? (tf.squeeze(tf.slice(w.bias, [1, 0], [1, -1]), [0]) as tf.Tensor1D) : null;
    let xw: tf.Tensor2D = tf.matMul(xs[t], w.kernel);
    if (bx) xw = tf.add(xw, bx);
    if (spec.cell === 'simple_rnn') {
      h = A(tf.add(xw, tf.matMul(h, w.recurrentKernel)));
    } else if (spec.cell === 'lstm') {
      const z = tf.add(xw, tf.matMul(h, w.recurrentKernel));
      const [zi, zf, zc, zo] = tf.split(z, 4, 1);
      c = tf.add(tf.add(tf.mul(rA(zf), c), tf.mul(rA(zi), A(zc))), probeC ? probeC[t] : 0) as tf.Tensor2D;
      h = tf.mul(rA(zo), A(c));
    } else {
      const [xz, xr, xh] = tf.split(xw, 3, 1);
      const [uz, ur, uh] = tf.split(w.recurrentKernel, 3, 1);
      if (resetAfter) {
        let q: tf.Tensor2D = tf.matMul(h, w.recurrentKernel);
        if (bh) q = tf.add(q, bh);
        const [qz, qr, qh] = tf.split(q, 3, 1);
        const z = rA(tf.add(xz, qz));
        const r = rA(tf.add(xr, qr));
        const hh = A(tf.add(xh, tf.mul(r, qh)));
        h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
      } else {
        const z = rA(tf.add(xz, tf.matMul(h, uz)));
        const r = rA(tf.add(xr, tf.matMul(h, ur)));
        const hh = A(tf.add(xh, tf.matMul(tf.mul(r, h), uh)));
        h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
      }
    }
    h = tf.add(h, probeH[t]);
    hs.push(h);
  }
  return hs;
}

export { tf };
