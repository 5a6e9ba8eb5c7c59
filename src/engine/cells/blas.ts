// The three loops every cell is made of, on row-major (rows × cols) matrices restricted to the
// column window [c0, c0+n): y += v·M, y = M·g (row dots), and M += v ⊗ g. Four rows per pass:
// the accumulator row is loaded and stored a quarter as often (≈2× faster in V8 at H = 64).

/** out[oOff+j] += Σ_k v[vOff+k] · M[k, c0+j] for j < n, k < rows. */
export function vecMatAdd(
  out: Float64Array,
  oOff: number,
  v: Float64Array,
  vOff: number,
  M: Float64Array,
  rows: number,
  cols: number,
  c0: number,
  n: number,
): void {
  let k = 0;
  for (; k + 3 < rows; k += 4) {
    const v0 = v[vOff + k];
    const v1 = v[vOff + k + 1];
    const v2 = v[vOff + k + 2];
    const v3 = v[vOff + k + 3];
    const r0 = k * cols + c0;
    const r1 = r0 + cols;
    const r2 = r1 + cols;
    const r3 = r2 + cols;
    for (let j = 0; j < n; j++) out[oOff + j] += v0 * M[r0 + j] + v1 * M[r1 + j] + v2 * M[r2 + j] + v3 * M[r3 + j];
  }
  for (; k < rows; k++) {
    const vk = v[vOff + k];
    const r = k * cols + c0;
    for (let j = 0; j < n; j++) out[oOff + j] += vk * M[r + j];
  }
}

/** out[oOff+i] = Σ_j g[gOff+j] · M[i, c0+j] for i < rows (g times the window's transpose). */
export function matVecRows(
  out: Float64Array,
  oOff: number,
  g: Float64Array,
  gOff: number,
  M: Float64Array,
  rows: number,
  cols: number,
  c0: number,
  n: number,
): void {
  let i = 0;
  for (; i + 3 < rows; i += 4) {
    const r0 = i * cols + c0;
    const r1 = r0 + cols;
    const r2 = r1 + cols;
    const r3 = r2 + cols;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < n; j++) {
      const gj = g[gOff + j];
      s0 += gj * M[r0 + j];
      s1 += gj * M[r1 + j];
      s2 += gj * M[r2 + j];
      s3 += gj * M[r3 + j];
    }
    out[oOff + i] = s0;
    out[oOff + i + 1] = s1;
    out[oOff + i + 2] = s2;
    out[oOff + i + 3] = s3;
  }
  for (; i < rows; i++) {
    const r = i * cols + c0;
    let s = 0;
    for (let j = 0; j < n; j++) s += g[gOff + j] * M[r + j];
    out[oOff + i] = s;
  }
}

/** M[k, c0+j] += v[vOff+k] · g[gOff+j]. */
export function outerAdd(
  M: Float64Array,
  rows: number,
  cols: number,
  c0: number,
  n: number,
  v: Float64Array,
  vOff: number,
  g: Float64Array,
  gOff: number,
): void {
  for (let k = 0; k < rows; k++) {
    const vk = v[vOff + k];
    if (vk === 0) continue;
    const r = k * cols + c0;
    for (let j = 0; j < n; j++) M[r + j] += vk * g[gOff + j];
  }
}

/**
 * The recurrent side of a step's backward in one pass over U's rows:
 * dU[i, c0..] += h[i]·g and out[i] = g·U[i, c0..]ᵀ (saves a second sweep over g and U).
 */
export function outerAddAndRowDots(
  dM: Float64Array,
  M: Float64Array,
  rows: number,
  cols: number,
  c0: number,
  n: number,
  h: Float64Array,
  hOff: number,
  g: Float64Array,
  gOff: number,
  out: Float64Array,
  oOff: number,
): void {
  let i = 0;
  for (; i + 3 < rows; i += 4) {
    const h0 = h[hOff + i];
    const h1 = h[hOff + i + 1];
    const h2 = h[hOff + i + 2];
    const h3 = h[hOff + i + 3];
    const r0 = i * cols + c0;
    const r1 = r0 + cols;
    const r2 = r1 + cols;
    const r3 = r2 + cols;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < n; j++) {
      const gj = g[gOff + j];
      dM[r0 + j] += h0 * gj;
      dM[r1 + j] += h1 * gj;
      dM[r2 + j] += h2 * gj;
      dM[r3 + j] += h3 * gj;
      s0 += gj * M[r0 + j];
      s1 += gj * M[r1 + j];
      s2 += gj * M[r2 + j];
      s3 += gj * M[r3 + j];
    }
    out[oOff + i] = s0;
    out[oOff + i + 1] = s1;
    out[oOff + i + 2] = s2;
    out[oOff + i + 3] = s3;
  }
  for (; i < rows; i++) {
    const hi = h[hOff + i];
    const r = i * cols + c0;
    let s = 0;
    for (let j = 0; j < n; j++) {
      const gj = g[gOff + j];
      dM[r + j] += hi * gj;
      s += gj * M[r + j];
    }
    out[oOff + i] = s;
  }
}

export function sqNorm(a: Float64Array, off: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[off + i] * a[off + i];
  return s;
}

/** The steps all cells share once ∂L/∂pre_s is known: ∂W, ∂b, ∂x_s and their per-step norms. */
export function inputSideBackward(
  ctx: { T: number; D: number; GH: number; W: Float64Array; x: Float64Array; dW: Float64Array; dx: Float64Array; dPre: Float64Array; normW: Float64Array },
  s: number,
): number {
  const { D, GH } = ctx;
  const pOff = s * GH;
  const xOff = s * D;
  outerAddAndRowDots(ctx.dW, ctx.W, D, GH, 0, GH, ctx.x, xOff, ctx.dPre, pOff, ctx.dx, xOff);
  const dp2 = sqNorm(ctx.dPre, pOff, GH);
  // ‖x_sᵀ·δ_s‖_F = ‖x_s‖·‖δ_s‖ for an outer product: no need to form it.
  ctx.normW[s] = Math.sqrt(sqNorm(ctx.x, xOff, D) * dp2);
  return dp2;
}
