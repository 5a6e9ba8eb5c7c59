// Placeholder detector (replaced by the full parser): Keras SimpleRNN/LSTM/GRU calls on one line.
import { kerasDefaults, type CellKind, type LayerSpec } from '../spec';

export type SourceLanguage = 'python' | 'javascript' | 'typescript';

const KINDS: Record<string, CellKind> = { SimpleRNN: 'simple_rnn', LSTM: 'lstm', GRU: 'gru' };

export function findLayers(text: string, language: SourceLanguage): LayerSpec[] {
  if (language !== 'python') return [];
  const out: LayerSpec[] = [];
  text.split('\n').forEach((lineText, line) => {
    const code = lineText.split('#')[0];
    for (const m of code.matchAll(/\b(SimpleRNN|LSTM|GRU)\(\s*(\d+)?([^)]*)/g)) {
      const kind = KINDS[m[1]];
      const units = m[2] ? Number(m[2]) : null;
      const rs = /return_sequences\s*=\s*(True|False)/.exec(m[3]);
      const st = /return_state\s*=\s*(True|False)/.exec(m[3]);
      out.push({
        framework: 'keras', kind, className: m[1], units, unitsText: m[2] ?? '', inputDim: null, timesteps: null,
        ...kerasDefaults(kind),
        returnSequences: rs ? rs[1] === 'True' : false, returnState: st ? st[1] === 'True' : false,
        bidirectional: null, inTimeDistributed: false, head: null,
        range: { line, character: m.index!, endLine: line, endCharacter: m.index! + m[1].length }, symbolic: [],
      });
    }
  });
  return out;
}
