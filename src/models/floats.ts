// Decoding of 16-bit floats, which DataView cannot read (float16 in TF.js quantization, PyTorch
// HalfStorage; bfloat16 in PyTorch BFloat16Storage).

export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

const scratch = new DataView(new ArrayBuffer(4));

/** bfloat16 is the top half of a float32. */
export function bfloat16ToFloat(b: number): number {
  scratch.setUint32(0, (b & 0xffff) << 16);
  return scratch.getFloat32(0);
}
