// The training path's model: the same cells as the trace path, written as a hand-unrolled batched
// loop of tfjs ops (Keras weight layout, so weights move freely between tf.layers, Keras files and
// the typed-array kernels), a Dense head with its loss, and a plain SGD step inside tf.tidy.
// Per-step inputs are built from JS arrays rather than sliced from a [B,T,D] tensor: wasm slices
// copy the whole input (DESIGN.md §5).
import type * as tfn from '@tensorflow/tfjs';
import type { ActivationName, DenseWeights, TraceHead, TraceSpec, Weights } from '../../spec';
import type { TrainBatch } from './tasks';
import type { Tf } from './tfjs';

/** What one optimizer step saw. */
export interface StepStats {
  /** Mean loss over the batch before the step. */
  loss: number;
  /** Share of argmax hits over the batch's outputs (softmax heads), else null. */
  accuracy: number | null;
  /** Global L2 norm of the gradient before clipping. */
  gradNorm: number;
  /**
   * False when the loss or the gradient was not finite: nothing was applied, and the weights went
   * back to those before the previous update, the last ones that gave a finite loss.
   */
  applied: boolean;
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

/** B×T×K batch-major → T×B×K. Keras returns the processing-order sequence, so no reversal here. */
function timeMajor(a: Float64Array, B: number, T: number, K: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) out.set(a.subarray((b * T + t) * K, (b * T + t + 1) * K), (t * B + b) * K);
  return out;
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
    // A variable shares its initial tensor's data; that tensor object must still be disposed.
    const variable = (a: Float64Array, shape: number[]) => {
      const t = tf.tensor(Float32Array.from(a), shape);
      const v = tf.variable(t);
      t.dispose();
      return v;
    };
    this.kernel = variable(weights.kernel, [spec.inputDim, GH]);
    this.recurrentKernel = variable(weights.recurrentKernel, [H, GH]);
    this.bias = weights.bias ? variable(weights.bias, weights.bias.length === GH ? [GH] : [2, GH]) : null;
    this.headKernel = variable(headWeights.kernel, [F, head.units]);
    this.headBias = headWeights.bias ? variable(headWeights.bias, [head.units]) : null;
    this.matMul = tf.customGrad(((a: tfn.Tensor2D, b: tfn.Tensor2D, save: tfn.GradSaveFunc) => {
      save([a, b]);
      return {
        value: tf.matMul(a, b),
        gradFunc: (dy: tfn.Tensor2D, [sa, sb]: tfn.Tensor2D[]) => [tf.matMul(dy, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy)],
      };
    }) as unknown as Parameters<Tf['customGrad']>[0]) as (a: tfn.Tensor, b: tfn.Tensor) => tfn.Tensor2D;
    this.concatRows = tf.customGrad(((...args: unknown[]) => {
      const xs = args.slice(0, -1) as tfn.Tensor2D[];
      const rows = xs[0].shape[0];
      return {
        value: tf.concat(xs, 0),
        gradFunc: (dy: tfn.Tensor2D) => xs.map((_, i) => tf.gather(dy, tf.range(i * rows, (i + 1) * rows, 1, 'int32'))),
      };
    }) as unknown as Parameters<Tf['customGrad']>[0]) as (...xs: tfn.Tensor2D[]) => tfn.Tensor2D;
  }

  /**
   * matMul whose gradient multiplies by explicit transposes: the wasm backend's matMul with
   * transposeA/B (what tfjs's own gradient uses) is ~7× slower (DESIGN.md §5).
   */
  private readonly matMul: (a: tfn.Tensor, b: tfn.Tensor) => tfn.Tensor2D;
  /**
   * concat along rows whose gradient gathers each piece's rows: tfjs's own (split, as unstack for
   * stack) slices, and a wasm slice copies its whole input out of the heap first (DESIGN.md §5),
   * which made it an eighth of the step.
   */
  private readonly concatRows: (...xs: tfn.Tensor2D[]) => tfn.Tensor2D;
  /** The weights before the latest update (see StepStats.applied). */
  private previous: tfn.Tensor[] = [];

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
    const mm = this.matMul;
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
      let xw: tfn.Tensor2D = mm(x, this.kernel);
      if (bx) xw = tf.add(xw, bx);
      if (cell === 'simple_rnn') {
        h = A(tf.add(xw, mm(h, this.recurrentKernel)));
      } else if (cell === 'lstm') {
        const [zi, zf, zc, zo] = tf.split(tf.add(xw, mm(h, this.recurrentKernel)), 4, 1);
        c = tf.add(tf.mul(R(zf), c), tf.mul(R(zi), A(zc)));
        h = tf.mul(R(zo), A(c));
      } else if (resetAfter) {
        let q: tfn.Tensor2D = mm(h, this.recurrentKernel);
        if (bh) q = tf.add(q, bh);
        const [xz, xr, xh] = tf.split(xw, 3, 1);
        const [qz, qr, qh] = tf.split(q, 3, 1);
        const z = R(tf.add(xz, qz));
        const hh = A(tf.add(xh, tf.mul(R(tf.add(xr, qr)), qh)));
        h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
      } else {
        const [xzr, xh] = tf.split(xw, [2 * H, H], 1);
        const [z, r] = tf.split(R(tf.add(xzr, mm(h, uzr!))), 2, 1);
        const hh = A(tf.add(xh, mm(tf.mul(r, h), uh as tfn.Tensor2D)));
        h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
      }
      hs.push(h);
    }
    return hs;
  }

  /** The head's logits [B·T_out, K] and the loss, a mean over batch and output steps (and units for MSE), as Keras reduces it. Call inside tf.tidy. */
  private forward(batch: TrainBatch): { logits: tfn.Tensor2D; targets: tfn.Tensor2D; loss: tfn.Scalar } {
    const tf = this.tf;
    const { timesteps: T, returnSequences } = this.spec;
    const K = this.head.units;
    const hs = this.unroll(this.stepInputs(batch));
    const B = batch.size;
    // Time-major rows [T_out·B, H].
    const y = returnSequences ? this.concatRows(...hs) : hs[T - 1];
    let logits: tfn.Tensor2D = this.matMul(y as tfn.Tensor2D, this.headKernel);
    if (this.headBias) logits = tf.add(logits, this.headBias);
    const targets = tf.tensor2d(returnSequences ? timeMajor(batch.targets, B, T, K) : Float32Array.from(batch.targets), [logits.shape[0], K]);
    const loss = (
      this.head.activation === 'softmax'
        ? tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1)))
        : tf.mean(tf.square(tf.sub(logits, targets)))
    ) as tfn.Scalar;
    return { logits, targets, loss };
  }

  /**
   * One optimizer step on `batch`, the gradient clipped to global norm `clipNorm` (as Keras's
   * `global_clipnorm`). See StepStats.applied for a non-finite loss or gradient.
   */
  step(batch: TrainBatch, optimizer: tfn.Optimizer, clipNorm: number | null): StepStats {
    const tf = this.tf;
    const vars = this.variables();
    let hits: tfn.Scalar | null = null;
    const { value, grads, norm } = tf.tidy(() => {
      const g = tf.variableGrads(() => {
        const f = this.forward(batch);
        if (this.head.activation === 'softmax') hits = tf.keep(tf.mean(tf.cast(tf.equal(tf.argMax(f.logits, 1), tf.argMax(f.targets, 1)), 'float32')) as tfn.Scalar);
        return f.loss;
      }, vars);
      const list = vars.map((v) => g.grads[v.name]);
      return { value: g.value, grads: list, norm: tf.sqrt(tf.addN(list.map((d) => tf.sum(tf.square(d))))) };
    });
    const [loss, gradNorm] = [value.dataSync()[0], norm.dataSync()[0]];
    const accuracy = hits ? (hits as tfn.Scalar).dataSync()[0] : null;
    const applied = Number.isFinite(loss) && Number.isFinite(gradNorm);
    if (applied) {
      this.tf.dispose(this.previous);
      this.previous = vars.map((v) => tf.clone(v));
      const scale = clipNorm !== null && gradNorm > clipNorm ? clipNorm / gradNorm : 1;
      tf.tidy(() => optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: scale === 1 ? grads[i] : tf.mul(grads[i], scale) }))));
    }
    else vars.forEach((v, i) => this.previous[i] && v.assign(this.previous[i]));
    tf.dispose([value, norm, ...grads]);
    if (hits) tf.dispose(hits);
    return { loss, accuracy, gradNorm, applied };
  }

  /** Loss without updating (e.g. validation). */
  evaluate(batch: TrainBatch): number {
    const loss = this.tf.tidy(() => this.forward(batch).loss);
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
    this.tf.dispose([...this.variables(), ...this.previous]);
  }
}
