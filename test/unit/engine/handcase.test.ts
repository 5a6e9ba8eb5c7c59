// A SimpleRNN with H = D = 1 worked out by hand (pen-and-paper equations, evaluated with Math.tanh),
// including BPTT, the Jacobian norms and the recurrent diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeTrace } from '../../../src/engine/trace';
import { jacobianNorms } from '../../../src/engine/jacobian';
import { spec } from './helpers';

test('SimpleRNN H=1: forward, BPTT, weight gradients, Jacobian norms, σ and ρ by hand', () => {
  const W = 0.5;
  const U = -0.8;
  const b = 0.1;
  const x = [1, -1, 2];
  const s = spec({ cell: 'simple_rnn', units: 1, inputDim: 1, timesteps: 3, returnSequences: true });
  const dy = [0.3, -0.2, 1.0];
  const w = { kernel: Float64Array.of(W), recurrentKernel: Float64Array.of(U), bias: Float64Array.of(b) };
  const tr = computeTrace(s, w, Float64Array.from(x), { loss: { kind: 'dy', dy: Float64Array.from(dy) } });

  // Forward: h_t = tanh(W x_t + U h_{t−1} + b), h_0 = 0.
  const h1 = Math.tanh(W * 1 + b);
  const h2 = Math.tanh(W * -1 + U * h1 + b);
  const h3 = Math.tanh(W * 2 + U * h2 + b);
  const close = (a: number, e: number, what: string) => assert.ok(Math.abs(a - e) < 1e-15, `${what}: ${a} vs ${e}`);
  [h1, h2, h3].forEach((h, t) => close(tr.directions[0].h[t], h, `h${t + 1}`));
  [h1, h2, h3].forEach((h, t) => close(tr.outputs[0].data[t], h, `y${t + 1}`));
  close(tr.loss, 0.3 * h1 - 0.2 * h2 + 1.0 * h3, 'L = Σ dy·y');

  // BPTT: g_3 = dy_3; δ_t = g_t (1 − h_t²); g_{t−1} = dy_{t−1} + δ_t U.
  const g3 = 1.0;
  const d3 = g3 * (1 - h3 * h3);
  const g2 = -0.2 + d3 * U;
  const d2 = g2 * (1 - h2 * h2);
  const g1 = 0.3 + d2 * U;
  const d1 = g1 * (1 - h1 * h1);
  [g1, g2, g3].forEach((g, t) => close(tr.directions[0].dh[t], g, `dh${t + 1}`));
  close(tr.directions[0].dh0[0], d1 * U, 'dh0');
  close(tr.directions[0].grads.kernel[0], d1 * 1 + d2 * -1 + d3 * 2, 'dW');
  close(tr.directions[0].grads.recurrentKernel[0], d2 * h1 + d3 * h2, 'dU');
  close(tr.directions[0].grads.bias![0], d1 + d2 + d3, 'db');
  close(tr.directions[0].stepGradNorms.kernel[2], Math.abs(2 * d3), '‖x_3 δ_3‖');
  close(tr.directions[0].stepGradNorms.recurrentKernel[0], 0, 'step 1 sees h_0 = 0');

  // ∂h_3/∂h_k = Π_{j>k} U (1 − h_j²).
  const j3 = U * (1 - h3 * h3);
  const j2 = U * (1 - h2 * h2);
  const j1 = U * (1 - h1 * h1);
  const jn = jacobianNorms(s, w, tr)![0];
  close(jn.h[2], 1, '‖∂h3/∂h3‖');
  close(jn.h[1], Math.abs(j3), '‖∂h3/∂h2‖');
  close(jn.h[0], Math.abs(j3 * j2), '‖∂h3/∂h1‖');
  close(jn.initialH, Math.abs(j3 * j2 * j1), '‖∂h3/∂h0‖');

  close(tr.directions[0].recurrent!.sigmaMax, 0.8, 'σ_max');
  close(tr.directions[0].recurrent!.spectralRadius, 0.8, 'ρ');
});
