// The training path's model: the same cells as the trace path, written as a hand-unrolled batched
// loop of tfjs ops (Keras weight layout, so weights move freely between tf.layers, Keras files and
// the typed-array kernels), a Dense head with its loss, and a plain SGD step inside tf.tidy.
// Per-step inputs are built from JS arrays rather than sliced from a [B,T,D] tensor: wasm slices
// copy the whole input (DESIGN.md §5).
import type * as tfn from '@tensorflow/tfjs';
import type { ActivationName, DenseWeights, TraceHead, TraceSpec, Weights } from '../../spec';
import type { Tf } from './tfjs';

/** A batch, batch-major: x is B×T×D, targets B×T_out×K (T_out = T with return_sequences, else 1). */
export interface TrainBatch {
  size: number;
  x: Float64Array;
  targets: Float64Array;
}

function activation(tf: Tf, name: ActivationName, x: tfn.Tensor): tfn.Tensor {
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
      return tf.clipByValue(tf.add(tf.mul(x, 1 / 6), 0.5), 0, 1);
  }
}

export class TfRnnModel {
  readonly kernel: tfn.Variable;
  readonly recurrentKernel: tfn.Variable;
  readonly bias: tfn.Variable | null;
  readonly headKernel: tfn.Variable;
  readonly headBias: tfn.Variable | null;

  constructor(
    private readonly tf: Tf,
    readonly spec: TraceSpec,
    weights: Weights,
    readonly head: TraceHead,
    headWeights: DenseWeights,
  ) {
    if (spec.bidirectional) throw new Error('TfRnnModel: Bidirectional training is not implemented yet');
    const H = spec.units;
    const GH = weights.recurrentKernel.length / H;
    const F = H;
    this.kernel = tf.variable(tf.tensor2d(Float32Array.from(weights.kernel), [spec.inputDim, GH]));
    this.recurrentKernel = tf.variable(tf.tensor2d(Float32Array.from(weights.recurrentKernel), [H, GH]));
    this.bias = weights.bias
      ? tf.variable(weights.bias.length === GH ? tf.tensor1d(Float32Array.from(weights.bias)) : tf.tensor2d(Float32Array.from(weights.bias), [2, GH]))
      : null;
    this.headKernel = tf.variable(tf.tensor2d(Float32Array.from(headWeights.kernel), [F, head.units]));
    this.headBias = headWeights.bias ? tf.variable(tf.tensor1d(Float32Array.from(headWeights.bias))) : null;
  }

  variables(): tfn.Variable[] {
    return [this.kernel, this.recurrentKernel, this.bias, this.headKernel, this.headBias].filter((v): v is tfn.Variable => v !== null);
  }

  /** Step inputs [B, D] in processing order, from the batch-major JS array. */
  private stepInputs(batch: TrainBatch): tfn.Tensor2D[] {
    const { timesteps: T, inputDim: D, goBackwards } = this.spec;
    const B = batch.size;
    const out: tfn.Tensor2D[] = [];
    for (let s = 0; s < T; s++) {
      const t = goBackwards ? T - 1 - s : s;
      const a = new Float32Array(B * D);
      for (let b = 0; b < B; b++) for (let d = 0; d < D; d++) a[b * D + d] = batch.x[(b * T + t) * D + d];
      out.push(this.tf.tensor2d(a, [B, D]));
    }
    return out;
  }

  /** h_t for every processing step, [B, H] each. Call inside tf.tidy. */
  private unroll(xs: tfn.Tensor2D[]): tfn.Tensor2D[] {
    const tf = this.tf;
    const { units: H, cell } = this.spec;
    const B = xs[0].shape[0];
    const A = (x: tfn.Tensor) => activation(tf, this.spec.activation, x) as tfn.Tensor2D;
    const R = (x: tfn.Tensor) => activation(tf, this.spec.recurrentActivation, x) as tfn.Tensor2D;
    const resetAfter = cell === 'gru' && this.spec.resetAfter;
    let bx: tfn.Tensor | null = this.bias;
    let bh: tfn.Tensor | null = null;
    if (this.bias && resetAfter) [bx, bh] = tf.unstack(this.bias);
    // Recurrent blocks split once, not per step.
    const [uz, ur, uh] = cell === 'gru' && !resetAfter ? tf.split(this.recurrentKernel, 3, 1) : [];
    const uzr = cell === 'gru' && !resetAfter ? tf.concat([uz, ur], 1) : null;
    let h: tfn.Tensor2D = tf.zeros([B, H]);
    let c: tfn.Tensor2D = tf.zeros([B, H]);
    const hs: tfn.Tensor2D[] = [];
    for (const x of xs) {
      let xw: tfn.Tensor2D = tf.matMul(x, this.kernel);
      if (bx) xw = tf.add(xw, bx);
      if (cell === 'simple_rnn') {
        h = A(tf.add(xw, tf.matMul(h, this.recurrentKernel)));
      } else if (cell === 'lstm') {
        const [zi, zf, zc, zo] = tf.split(tf.add(xw, tf.matMul(h, this.recurrentKernel)), 4, 1);
        c = tf.add(tf.mul(R(zf), c), tf.mul(R(zi), A(zc)));
        h = tf.mul(R(zo), A(c));
      } else if (resetAfter) {
        let q: tfn.Tensor2D = tf.matMul(h, this.recurrentKernel);
        if (bh) q = tf.add(q, bh);
        const [xz, xr, xh] = tf.split(xw, 3, 1);
        const [qz, qr, qh] = tf.split(q, 3, 1);
        const z = R(tf.add(xz, qz));
        const hh = A(tf.add(xh, tf.mul(R(tf.add(xr, qr)), qh)));
        h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
      } else {
        const [xzr, xh] = tf.split(xw, [2 * H, H], 1);
        const [z, r] = tf.split(R(tf.add(xzr, tf.matMul(h, uzr!))), 2, 1);
        const hh = A(tf.add(xh, tf.matMul(tf.mul(r, h), uh)));
        h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
      }
      hs.push(h);
    }
    return hs;
  }

  /** Mean loss over batch and output steps (and units for MSE), as Keras reduces it. Call inside tf.tidy. */
  lossOf(batch: TrainBatch): tfn.Scalar {
    const tf = this.tf;
    const { timesteps: T, returnSequences } = this.spec;
    const K = this.head.units;
    const hs = this.unroll(this.stepInputs(batch));
    const B = batch.size;
    // [B, T_out, H] → [B·T_out, H]; Keras returns the processing-order sequence.
    const y = returnSequences ? tf.reshape(tf.stack(hs, 1), [B * T, this.spec.units]) : hs[T - 1];
    let logits = tf.matMul(y, this.headKernel);
    if (this.headBias) logits = tf.add(logits, this.headBias);
    const targets = tf.tensor2d(Float32Array.from(batch.targets), [logits.shape[0], K]);
    if (this.head.activation === 'softmax') {
      return tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1))) as tfn.Scalar;
    }
    return tf.mean(tf.square(tf.sub(logits, targets))) as tfn.Scalar;
  }

  /** One SGD step w ← w − lr·∂L/∂w; returns the loss before the step. */
  sgdStep(batch: TrainBatch, lr: number): number {
    const tf = this.tf;
    const vars = this.variables();
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => this.lossOf(batch), vars);
      for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name], lr)));
      return value;
    });
    const l = loss.dataSync()[0];
    loss.dispose();
    return l;
  }

  /** Loss without updating (e.g. validation). */
  evaluate(batch: TrainBatch): number {
    const loss = this.tf.tidy(() => this.lossOf(batch));
    const l = loss.dataSync()[0];
    loss.dispose();
    return l;
  }

  /** Current weights as float64 copies (Keras layout). */
  readWeights(): { weights: Weights; head: DenseWeights } {
    const read = (v: tfn.Variable | null) => (v ? Float64Array.from(v.dataSync()) : null);
    return {
      weights: { kernel: read(this.kernel)!, recurrentKernel: read(this.recurrentKernel)!, bias: read(this.bias) },
      head: { kernel: read(this.headKernel)!, bias: read(this.headBias) },
    };
  }

  dispose(): void {
    this.tf.dispose(this.variables());
  }
}
