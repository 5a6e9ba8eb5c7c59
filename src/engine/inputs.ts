// The panel's input presets as a T×D sequence (row-major, time order): a sine wave, one-hot
// characters of a text, seeded uniform noise, or the user's own numbers.
import type { InputPreset } from '../protocol';
import { EngineInputError } from './errors';
import { createRng, uniformArray } from './rng';

export interface InputRequest {
  preset: InputPreset;
  timesteps: number;
  inputDim: number;
  seed: number;
  text: string;
  numbers: string;
  /** A trained model's Embedding (V×E rows): the `tokens` preset looks token ids up in it. */
  embedding?: { vocab: number; dim: number; weights: Float64Array } | null;
}

/** Something the user should know about how their input was used. */
export type InputNote =
  | { kind: 'vocabFolded'; vocab: number; inputDim: number }
  | { kind: 'textRepeated'; length: number }
  | { kind: 'numbersRepeated'; given: number; needed: number };

export const DEFAULT_TEXT = 'hello, recurrent world';

/** Period of the sine preset in steps; each input feature is phase-shifted. */
const SINE_PERIOD = 12;

export function makeInput(req: InputRequest): { x: Float64Array; notes: InputNote[] } {
  const { timesteps: T, inputDim: D } = req;
  const x = new Float64Array(T * D);
  const notes: InputNote[] = [];
  switch (req.preset) {
    case 'sine':
      for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) x[t * D + d] = Math.sin((2 * Math.PI * t) / SINE_PERIOD + (2 * Math.PI * d) / D);
      break;
    case 'random':
      x.set(uniformArray(createRng(req.seed + 1), T * D, -1, 1));
      break;
    case 'text': {
      const chars = [...(req.text.length > 0 ? req.text : DEFAULT_TEXT)];
      const vocab = [...new Set(chars)].sort();
      // More distinct characters than input features: fold them, and say so.
      if (vocab.length > D) notes.push({ kind: 'vocabFolded', vocab: vocab.length, inputDim: D });
      if (chars.length < T) notes.push({ kind: 'textRepeated', length: chars.length });
      const index = new Map(vocab.map((c, i) => [c, i % D]));
      for (let t = 0; t < T; t++) x[t * D + index.get(chars[t % chars.length])!] = 1;
      break;
    }
    case 'tokens': {
      const e = req.embedding;
      if (!e) throw new EngineInputError('preset', 'token ids need a trained model with an Embedding in front of the layer');
      if (e.dim !== D) throw new EngineInputError('embedding', `the Embedding is ${e.dim} wide but the layer reads ${D} features`);
      const ids = numbersOf(req.numbers).map((v) => {
        if (!Number.isInteger(v) || v < 0 || v >= e.vocab) throw new EngineInputError('numbers', `token id ${v} is not in the vocabulary (0…${e.vocab - 1})`);
        return v;
      });
      if (ids.length < T) notes.push({ kind: 'numbersRepeated', given: ids.length, needed: T });
      // The Embedding layer's forward pass: token id k → row k.
      for (let t = 0; t < T; t++) x.set(e.weights.subarray(ids[t % ids.length] * D, (ids[t % ids.length] + 1) * D), t * D);
      break;
    }
    case 'numbers': {
      const values = numbersOf(req.numbers);
      if (values.length < T * D) notes.push({ kind: 'numbersRepeated', given: values.length, needed: T * D });
      for (let i = 0; i < T * D; i++) x[i] = values[i % values.length];
      break;
    }
  }
  return { x, notes };
}

/** The numbers the user typed or pasted, separated by spaces, commas, semicolons or brackets. */
function numbersOf(text: string): number[] {
  const tokens = text.split(/[\s,;[\]]+/).filter((s) => s.length > 0);
  if (tokens.length === 0) throw new EngineInputError('numbers', 'type or paste some numbers first (separated by spaces, commas or new lines)');
  return tokens.map((tok) => {
    const v = Number(tok);
    if (!Number.isFinite(v)) throw new EngineInputError('numbers', `“${tok.slice(0, 20)}” is not a number`);
    return v;
  });
}
