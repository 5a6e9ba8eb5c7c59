// Property test: mutated and truncated inputs (what an editor holds while someone types) never
// make the parser throw, never take more than 50 ms, and every range it reports lies inside the
// text. A small seeded mutation fuzzer: the same cases on every run, so a failure reproduces.
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseNotebook, type SourceLanguage } from '../../../src/parse';
import { parseUnchecked } from '../../../src/parse/source';
import { assertPruningExact, corpus, corpusDir } from './helpers';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fragments that upset lexers: openers without closers, string starts, continuations. */
const NASTY = ['(', ')', '[', ']', '{', '}', '"', "'", '"""', "'''", '`', '${', '}', '#', '//', '/*', '*/', '\\', '\\\n', '\n', '\r\n', '\r', ',', '=', '==', '**', '...', '?.', ' as ', 'f"{', 'r"', '/', '@', ':', 'LSTM(', 'layers.GRU(', 'tf.layers.lstm({', 'nn.RNN(', '\t', '\u00e9', '\ud83d', '\0'];

function mutate(text: string, r: () => number): string {
  const pos = (): number => Math.floor(r() * (text.length + 1));
  const ops = 1 + Math.floor(r() * 4);
  for (let k = 0; k < ops; k++) {
    const a = pos();
    switch (Math.floor(r() * 6)) {
      case 0: // truncate
        text = text.slice(0, a);
        break;
      case 1: {
        // delete a range
        const b = Math.min(text.length, a + Math.floor(r() * 80));
        text = text.slice(0, a) + text.slice(b);
        break;
      }
      case 2: // insert a nasty fragment
        text = text.slice(0, a) + NASTY[Math.floor(r() * NASTY.length)] + text.slice(a);
        break;
      case 3: {
        // duplicate a range elsewhere
        const b = Math.min(text.length, a + Math.floor(r() * 120));
        const c = pos();
        text = text.slice(0, c) + text.slice(a, b) + text.slice(c);
        break;
      }
      case 4: {
        // swap two halves around a point
        text = text.slice(a) + text.slice(0, a);
        break;
      }
      default: {
        // random printable bytes
        let junk = '';
        const n = Math.floor(r() * 12);
        for (let i = 0; i < n; i++) junk += String.fromCharCode(32 + Math.floor(r() * 95));
        text = text.slice(0, a) + junk + text.slice(a);
      }
    }
  }
  return text;
}

/** Milliseconds of CPU this process spent in `fn`: unlike wall time, not inflated when other jobs share the cores. */
function cpuMs(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}

function check(text: string, language: SourceLanguage, label: string): void {
  let elapsed = Infinity;
  // The budget applies to the fastest of three runs, in CPU time: this machine's cores are shared.
  for (let attempt = 0; attempt < 3 && elapsed > 50; attempt++) {
    let result: ReturnType<typeof parseUnchecked> | undefined;
    const ms = cpuMs(() => {
      try {
        result = parseUnchecked(text, language);
      } catch (e) {
        assert.fail(`${label}: parser threw ${e instanceof Error ? e.stack : String(e)}\n--- input ---\n${text}`);
      }
    });
    elapsed = Math.min(elapsed, ms);
    if (!result) continue;
    assertPruningExact(text, language, label);
    const lineCount = text.split(/\r\n|\r|\n/).length;
    for (const l of result.layers) {
      const { line, character, endLine, endCharacter } = l.spec.range;
      assert.ok(line >= 0 && line < lineCount && endLine >= line && character >= 0 && endCharacter >= 0, `${label}: bad range ${JSON.stringify(l.spec.range)}`);
    }
  }
  assert.ok(elapsed <= 50, `${label}: took ${elapsed.toFixed(1)} ms`);
}

describe('fuzz: mutated and truncated real code', () => {
  const files = readdirSync(corpusDir()).filter((f) => !f.endsWith('.ipynb'));

  it('never throws, stays under 50 ms, reports ranges inside the text (≈400 cases)', () => {
    const r = rng(20240601);
    let cases = 0;
    for (const file of files) {
      const language: SourceLanguage = file.endsWith('.js') ? 'javascript' : 'python';
      const original = corpus(file);
      for (let k = 0; k < 30; k++) {
        check(mutate(original, r), language, `${file} #${k}`);
        // The same mutation read as the other language family: lexers meet foreign syntax.
        if (k % 5 === 0) check(mutate(original, r), language === 'python' ? 'typescript' : 'python', `${file} #${k} (other language)`);
        cases++;
      }
    }
    assert.ok(cases >= 300);
  });

  it('every prefix of a file parses (typing it from the first character)', () => {
    for (const [file, language] of [
      ['keras_io_lstm_seq2seq.py', 'python'],
      ['tfjs_sentiment_train.js', 'javascript'],
    ] as [string, SourceLanguage][]) {
      const text = corpus(file);
      for (let end = 0; end <= text.length; end += 97) check(text.slice(0, end), language, `${file}[0:${end}]`);
    }
  });

  it('pathological inputs', () => {
    const deep = '('.repeat(5000) + 'layers.LSTM(8' + ')'.repeat(10);
    const closers = ')]}'.repeat(3000);
    const quotes = '"""'.repeat(1001) + "'".repeat(999);
    const longLine = 'x = ' + 'layers.GRU(4)('.repeat(100) + 'y' + ')'.repeat(100);
    const chain = 'from keras import layers\n' + 'x = layers.LSTM(4, return_sequences=True)(x)\n'.repeat(100);
    const template = '`${'.repeat(2000) + 'tf.layers.lstm({units: 1})';
    for (const [text, language] of [
      [deep, 'python'],
      [closers, 'python'],
      [closers, 'typescript'],
      [quotes, 'python'],
      [longLine, 'python'],
      [chain, 'python'],
      [template, 'javascript'],
      ['', 'python'],
      ['\\', 'python'],
      ['/', 'javascript'],
      ['LSTM(', 'python'],
    ] as [string, SourceLanguage][]) {
      check(text, language, JSON.stringify(text.slice(0, 30)));
    }
  });

  it('malformed notebooks are rejected with a clear error, never a crash', () => {
    const r = rng(7);
    const nb = corpus('tf_docs_text_generation.ipynb');
    for (let k = 0; k < 40; k++) {
      const text = mutate(nb, r);
      try {
        parseNotebook(text);
      } catch (e) {
        assert.ok(e instanceof Error && /notebook/.test(e.message), `unexpected error ${String(e)}`);
      }
    }
  });
});
