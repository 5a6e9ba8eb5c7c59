// Elementwise nonlinearities and their derivatives over flat Float64Array ranges. The switch sits
// outside the loop so each loop stays monomorphic (V8 keeps it tight).
import type { ActivationName } from '../spec';

export const ACTIVATIONS: readonly ActivationName[] = ['tanh', 'relu', 'sigmoid', 'linear', 'hard_sigmoid', 'hard_sigmoid_k3'];

export function isActivationName(v: unknown): v is ActivationName {
  return typeof v === 'string' && (ACTIVATIONS as readonly string[]).includes(v);
}

function sigmoid(x: number): number {
  // Two branches keep exp() from overflowing for large |x|.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Keras 2 / tfjs hard sigmoid clip(0.2x+0.5, 0, 1) and Keras 3's clip(x/6+0.5, 0, 1). */
function hardSigmoid(x: number, slope: number): number {
  const y = slope * x + 0.5;
  return y <= 0 ? 0 : y >= 1 ? 1 : y;
}

/** Largest |γ| of the derivative, for the ‖J_t‖ ≤ γ·σ_max(U) bound. */
export function derivativeBound(name: ActivationName): number {
  switch (name) {
    case 'sigmoid':
      return 0.25;
    case 'hard_sigmoid':
      return 0.2;
    case 'hard_sigmoid_k3':
      return 1 / 6;
    default:
      return 1;
  }
}

export function activate(name: ActivationName, x: number): number {
  switch (name) {
    case 'tanh':
      return Math.tanh(x);
    case 'relu':
      return x > 0 ? x : 0;
    case 'sigmoid':
      return sigmoid(x);
    case 'linear':
      return x;
    case 'hard_sigmoid':
      return hardSigmoid(x, 0.2);
    case 'hard_sigmoid_k3':
      return hardSigmoid(x, 1 / 6);
  }
}

/** dst[dOff+k] = f(src[sOff+k]) for k < n. */
export function activateRange(
  name: ActivationName,
  src: Float64Array,
  sOff: number,
  dst: Float64Array,
  dOff: number,
  n: number,
): void {
  switch (name) {
    case 'tanh':
      for (let k = 0; k < n; k++) dst[dOff + k] = Math.tanh(src[sOff + k]);
      return;
    case 'relu':
      for (let k = 0; k < n; k++) {
        const v = src[sOff + k];
        dst[dOff + k] = v > 0 ? v : 0;
      }
      return;
    case 'sigmoid':
      for (let k = 0; k < n; k++) dst[dOff + k] = sigmoid(src[sOff + k]);
      return;
    case 'linear':
      for (let k = 0; k < n; k++) dst[dOff + k] = src[sOff + k];
      return;
    case 'hard_sigmoid':
      for (let k = 0; k < n; k++) dst[dOff + k] = hardSigmoid(src[sOff + k], 0.2);
      return;
    case 'hard_sigmoid_k3':
      for (let k = 0; k < n; k++) dst[dOff + k] = hardSigmoid(src[sOff + k], 1 / 6);
      return;
  }
}

/** f′(x), given x and y = f(x) (tanh and sigmoid are cheaper from y). */
export function derivative(name: ActivationName, x: number, y: number): number {
  switch (name) {
    case 'tanh':
      return 1 - y * y;
    case 'relu':
      return x > 0 ? 1 : 0;
    case 'sigmoid':
      return y * (1 - y);
    case 'linear':
      return 1;
    case 'hard_sigmoid':
      return y > 0 && y < 1 ? 0.2 : 0;
    case 'hard_sigmoid_k3':
      return y > 0 && y < 1 ? 1 / 6 : 0;
  }
}

/** out[oOff+k] = g[gOff+k] · f′(pre[pOff+k]) with y = act[pOff+k]. */
export function backpropRange(
  name: ActivationName,
  pre: Float64Array,
  act: Float64Array,
  pOff: number,
  g: Float64Array,
  gOff: number,
  out: Float64Array,
  oOff: number,
  n: number,
): void {
  switch (name) {
    case 'tanh':
      for (let k = 0; k < n; k++) {
        const y = act[pOff + k];
        out[oOff + k] = g[gOff + k] * (1 - y * y);
      }
      return;
    case 'sigmoid':
      for (let k = 0; k < n; k++) {
        const y = act[pOff + k];
        out[oOff + k] = g[gOff + k] * y * (1 - y);
      }
      return;
    case 'linear':
      for (let k = 0; k < n; k++) out[oOff + k] = g[gOff + k];
      return;
    default:
      for (let k = 0; k < n; k++) out[oOff + k] = g[gOff + k] * derivative(name, pre[pOff + k], act[pOff + k]);
  }
}
