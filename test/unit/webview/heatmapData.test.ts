// The heatmap's pure pieces: unit binning, the RGBA buffer and strip geometry.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { binUnits, colorLut, columnEdge, fillColorBuffer, layoutStrips, locateCell, MAX_ROWS, NAN_RGBA, parseRgb, stripHeight } from '../../../webview/heatmapData';

const f64 = (...v: number[]) => Float64Array.from(v);

test('binUnits without binning transposes T×H to rows×T', () => {
  const b = binUnits(f64(1, 2, 3, 4, 5, 6), 2, 3);
  assert.equal(b.rows, 3);
  assert.deepEqual(Array.from(b.values), [1, 4, 2, 5, 3, 6]);
  assert.deepEqual(Array.from(b.edges), [0, 1, 2, 3]);
});

test('binUnits averages the units of each bin, uneven bins included', () => {
  // H=5 into 2 rows: units {0,1} and {2,3,4}.
  const b = binUnits(f64(1, 2, 3, 4, 5, 10, 20, 30, 40, 50), 2, 5, 2);
  assert.deepEqual(Array.from(b.edges), [0, 2, 5]);
  assert.deepEqual(Array.from(b.values), [1.5, 15, 4, 40]);
});

test('binUnits caps H=256 at 128 rows of two units each', () => {
  const T = 3;
  const H = 256;
  const data = Float64Array.from({ length: T * H }, (_, i) => i % H); // unit index
  const b = binUnits(data, T, H);
  assert.equal(MAX_ROWS, 128);
  assert.equal(b.rows, 128);
  assert.equal(b.values.length, 128 * T);
  for (let r = 0; r < b.rows; r++) {
    assert.equal(b.edges[r + 1] - b.edges[r], 2);
    for (let t = 0; t < T; t++) assert.equal(b.values[r * T + t], 2 * r + 0.5);
  }
});

test('binUnits: a NaN poisons its bin only', () => {
  const b = binUnits(f64(NaN, 1, 2, 3), 1, 4, 2);
  assert.ok(Number.isNaN(b.values[0]));
  assert.equal(b.values[1], 2.5);
});

test('parseRgb reads d3 colour strings', () => {
  assert.deepEqual(parseRgb('rgb(5, 48, 97)'), [5, 48, 97]);
  assert.deepEqual(parseRgb('#ff8000'), [255, 128, 0]);
  assert.throws(() => parseRgb('red'));
});

test('colorLut samples the colour function evenly over [0, 1]', () => {
  const lut = colorLut((p) => `rgb(${Math.round(p * 200)}, 0, 7)`, 3);
  assert.deepEqual(Array.from(lut), [0, 0, 7, 100, 0, 7, 200, 0, 7]);
});

// A 3-entry table: −M → blue, 0 → white, +M → red.
const LUT = Uint8ClampedArray.from([0, 0, 255, 255, 255, 255, 255, 0, 0]);
const pixel = (buf: Uint8ClampedArray, T: number, r: number, t: number) => Array.from(buf.subarray((r * T + t) * 4, (r * T + t) * 4 + 4));

test('fillColorBuffer: T×rows×4 bytes, values coloured on [−M, M], NaN grey', () => {
  const b = binUnits(f64(-2, 0, 2, NaN, 5, -9), 2, 3); // t0: −2 0 2; t1: NaN 5 −9
  const buf = new Uint8ClampedArray(2 * 3 * 4);
  fillColorBuffer(buf, b, { lo: -2, hi: 2 }, LUT, null);
  assert.deepEqual(pixel(buf, 2, 0, 0), [0, 0, 255, 255]);
  assert.deepEqual(pixel(buf, 2, 1, 0), [255, 255, 255, 255]);
  assert.deepEqual(pixel(buf, 2, 2, 0), [255, 0, 0, 255]);
  assert.deepEqual(pixel(buf, 2, 0, 1), [...NAN_RGBA]);
  assert.deepEqual(pixel(buf, 2, 1, 1), [255, 0, 0, 255], 'clamped above M');
  assert.deepEqual(pixel(buf, 2, 2, 1), [0, 0, 255, 255], 'clamped below −M');
  assert.throws(() => fillColorBuffer(new Uint8ClampedArray(8), b, { lo: -2, hi: 2 }, LUT, null), RangeError);
});

test('fillColorBuffer: columns after revealUpTo are transparent, earlier ones opaque', () => {
  const T = 5;
  const H = 2;
  const b = binUnits(new Float64Array(T * H).fill(1), T, H);
  const buf = new Uint8ClampedArray(T * H * 4).fill(77);
  fillColorBuffer(buf, b, { lo: -1, hi: 1 }, LUT, 2);
  for (let r = 0; r < H; r++) {
    for (let t = 0; t < T; t++) {
      if (t <= 2) assert.deepEqual(pixel(buf, T, r, t), [255, 0, 0, 255], `r=${r} t=${t}`);
      else assert.deepEqual(pixel(buf, T, r, t), [0, 0, 0, 0], `r=${r} t=${t}`);
    }
  }
  fillColorBuffer(buf, b, { lo: -1, hi: 1 }, LUT, -1);
  assert.ok(buf.every((v) => v === 0), 'nothing revealed before step 0');
});

test('fillColorBuffer on [0, 1]: a sigmoid gate spans the whole table, not its upper half', () => {
  const b = binUnits(f64(0, 0.5, 1), 1, 3);
  const buf = new Uint8ClampedArray(3 * 4);
  fillColorBuffer(buf, b, { lo: 0, hi: 1 }, LUT, null);
  assert.deepEqual(pixel(buf, 1, 0, 0), [0, 0, 255, 255], '0 → first entry');
  assert.deepEqual(pixel(buf, 1, 1, 0), [255, 255, 255, 255], '½ → middle');
  assert.deepEqual(pixel(buf, 1, 2, 0), [255, 0, 0, 255], '1 → last entry');
});

test('columnEdge: whole device pixels; pieces drawn column range by range tile the strip exactly', () => {
  const [x, w, T, dpr] = [30, 421.5, 200, 1.25];
  assert.equal(columnEdge(x, w, T, 0, dpr), Math.round(x * dpr));
  assert.equal(columnEdge(x, w, T, T, dpr), Math.round((x + w) * dpr));
  for (let c = 0; c < T; c++) {
    const a = columnEdge(x, w, T, c, dpr);
    const b = columnEdge(x, w, T, c + 1, dpr);
    assert.ok(Number.isInteger(a) && b >= a && b - a <= Math.ceil((w / T) * dpr), `column ${c}: ${a}…${b}`);
  }
});

test('stripHeight: a few pixels per unit, between a minimum and one pixel per drawn row', () => {
  assert.equal(stripHeight(1), 28);
  assert.equal(stripHeight(16), 64);
  assert.equal(stripHeight(128), 128);
  assert.equal(stripHeight(1000), 128);
});

test('layoutStrips stacks strips and locateCell finds step and row under a point', () => {
  const layout = layoutStrips([16, 128], 400);
  const [a, b] = layout.strips;
  assert.ok(b.y >= a.y + a.h, 'second strip below the first');
  assert.equal(a.h, 64);
  assert.equal(b.h, 128);
  assert.ok(layout.height > b.y + b.h);
  const shapes = [
    { T: 10, rows: 16 },
    { T: 10, rows: 128 },
  ];
  // Centre of step 3, row 5 of the second strip.
  const hit = locateCell(layout, shapes, b.x + (b.w * 3.5) / 10, b.y + (b.h * 5.5) / 128);
  assert.deepEqual(hit, { strip: 1, step: 3, row: 5 });
  assert.deepEqual(locateCell(layout, shapes, a.x, a.y), { strip: 0, step: 0, row: 0 });
  assert.deepEqual(locateCell(layout, shapes, a.x + a.w - 0.01, a.y + a.h - 0.01), { strip: 0, step: 9, row: 15 });
  assert.equal(locateCell(layout, shapes, a.x - 1, a.y + 1), null, 'left of the strip');
  assert.equal(locateCell(layout, shapes, a.x + 1, a.y - 2), null, 'on the label line');
});
