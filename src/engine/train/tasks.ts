// Toy tasks for live training: each one makes seeded batches in the layout the training path
// and the trace kernels share (batch-major x: B×T×D, targets: B×T_out×K). Pure: no tfjs.
import type { TaskKind, TraceHead } from '../../spec';
import { EngineInputError } from '../errors';
import { createRng, type Rng } from '../rng';


/** A batch, batch-major: x is B×T×D, targets B×T_out×K (T_out = T with return_sequences, else 1). */
export interface TrainBatch {
  size: number;
  x: Float64Array;
  targets: Float64Array;
}

export interface TrainTask {
  kind: TaskKind;
  timesteps: number;
  inputDim: number;
  head: TraceHead;
  /** Many-to-many (a target at every step) or many-to-one (only after the last step). */
  returnSequences: boolean;
  /** Characters of the one-hot features (next_char), null otherwise. */
  vocab: string[] | null;
  /** Accuracy is the share of argmax hits; meaningless for regression. */
  hasAccuracy: boolean;
  batch(rng: Rng, size: number): TrainBatch;
}

/** The default text of next-character prediction: short, with few distinct characters. */
export const DEFAULT_TEXTS = {
  en: 'the quick brown fox jumps over the lazy dog. a recurrent network reads one character at a time and carries what it has seen in its hidden state. to guess the next letter it must remember the last few, and the longer it remembers, the better it guesses. ',
  ko: '바람이 불어 오는 곳 그곳으로 가네 그대의 머릿결 같은 나무 아래로. 순환 신경망은 한 번에 한 글자씩 읽고 본 것을 은닉 상태에 담아 둔다. 다음 글자를 맞히려면 앞의 몇 글자를 기억해야 한다. ',
} as const;

/** Distinct characters one-hot encoding can take: more would make D too large to draw or train. */
export const MAX_VOCAB = 128;
/** "Remember the first symbol": symbols to remember and noise symbols in between. */
export const MEMORY_SYMBOLS = 4;
export const MEMORY_NOISE = 4;

export function makeTask(kind: TaskKind, timesteps: number, text: string = DEFAULT_TEXTS.en): TrainTask {
  switch (kind) {
    case 'next_char':
      return nextCharTask(timesteps, text);
    case 'sine':
      return sineTask(timesteps);
    case 'memory':
      return memoryTask(timesteps);
  }
}

/** Next-character prediction: one-hot characters in, a softmax over the vocabulary at every step. */
function nextCharTask(T: number, text: string): TrainTask {
  const chars = Array.from(text);
  if (chars.length < 2) throw new EngineInputError('text', 'needs at least two characters to predict one from the other');
  const vocab = [...new Set(chars)].sort();
  if (vocab.length > MAX_VOCAB) throw new EngineInputError('text', `has ${vocab.length} distinct characters; the limit is ${MAX_VOCAB}`);
  const index = new Map(vocab.map((c, i) => [c, i]));
  const ids = chars.map((c) => index.get(c)!);
  const V = vocab.length;
  return {
    kind: 'next_char', timesteps: T, inputDim: V, head: { units: V, activation: 'softmax' }, returnSequences: true, vocab, hasAccuracy: true,
    batch(rng, B) {
      const x = new Float64Array(B * T * V);
      const targets = new Float64Array(B * T * V);
      for (let b = 0; b < B; b++) {
        // A window of T+1 characters; the text wraps around when it is shorter than the window.
        const start = Math.floor(rng.next() * ids.length);
        for (let t = 0; t < T; t++) {
          x[(b * T + t) * V + ids[(start + t) % ids.length]] = 1;
          targets[(b * T + t) * V + ids[(start + t + 1) % ids.length]] = 1;
        }
      }
      return { size: B, x, targets };
    },
  };
}

/** Sine continuation: x_t = sin(ωt + φ) with random ω and φ per sequence; predict x_{t+1}. */
function sineTask(T: number): TrainTask {
  return {
    kind: 'sine', timesteps: T, inputDim: 1, head: { units: 1, activation: 'linear' }, returnSequences: true, vocab: null, hasAccuracy: false,
    batch(rng, B) {
      const x = new Float64Array(B * T);
      const targets = new Float64Array(B * T);
      for (let b = 0; b < B; b++) {
        const omega = rng.uniform(0.1, 0.5);
        const phi = rng.uniform(0, 2 * Math.PI);
        for (let t = 0; t < T; t++) {
          x[b * T + t] = Math.sin(omega * t + phi);
          targets[b * T + t] = Math.sin(omega * (t + 1) + phi);
        }
      }
      return { size: B, x, targets };
    },
  };
}

/**
 * Remember the first symbol: step 1 shows one of MEMORY_SYMBOLS symbols (one-hot), every later step
 * noise (uniform in [−1, 1] on MEMORY_NOISE other channels); after the last step the model names the
 * first symbol. Only gradient that survives T−1 steps back can teach it, so it gets harder as T
 * grows. Real-valued noise, not one-hot noise symbols: with one-hot noise an orthogonally initialized
 * SimpleRNN stays near-linear and isometric and solves T = 40 easily, which teaches the wrong lesson.
 */
function memoryTask(T: number): TrainTask {
  const D = MEMORY_SYMBOLS + MEMORY_NOISE;
  const K = MEMORY_SYMBOLS;
  return {
    kind: 'memory', timesteps: T, inputDim: D, head: { units: K, activation: 'softmax' }, returnSequences: false, vocab: null, hasAccuracy: true,
    batch(rng, B) {
      const x = new Float64Array(B * T * D);
      const targets = new Float64Array(B * K);
      for (let b = 0; b < B; b++) {
        const symbol = Math.floor(rng.next() * K);
        x[b * T * D + symbol] = 1;
        for (let t = 1; t < T; t++) for (let k = 0; k < MEMORY_NOISE; k++) x[(b * T + t) * D + K + k] = rng.uniform(-1, 1);
        targets[b * K + symbol] = 1;
      }
      return { size: B, x, targets };
    },
  };
}

/** The one sequence whose trace the panel shows while a model trains (the same for every report). */
export function probeBatch(task: TrainTask, seed: number): TrainBatch {
  return task.batch(createRng(seed + 2), 1);
}
