// Narrowing helpers for JSON read from model files: every value is `unknown` until checked.

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(o: JsonObject, key: string): string | null {
  const v = o[key];
  return typeof v === 'string' ? v : null;
}

export function num(o: JsonObject, key: string): number | null {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function bool(o: JsonObject, key: string, dflt: boolean): boolean {
  const v = o[key];
  return typeof v === 'boolean' ? v : dflt;
}

export function obj(o: JsonObject, key: string): JsonObject | null {
  const v = o[key];
  return isObject(v) ? v : null;
}

/** A Keras shape list: integers or null. Anything else → null (unknown). */
export function shapeOf(v: unknown): (number | null)[] | null {
  if (!Array.isArray(v)) return null;
  const out: (number | null)[] = [];
  for (const x of v) {
    if (x === null) out.push(null);
    else if (typeof x === 'number' && Number.isInteger(x) && x >= 0) out.push(x);
    else return null;
  }
  return out;
}

export function parseJson(text: string): unknown {
  // Keras writes NaN / Infinity into configs (e.g. a clip value); JSON.parse rejects them.
  return JSON.parse(text.replace(/(?<=[:,[]\s*)-?(NaN|Infinity)(?=\s*[,}\]])/g, 'null'));
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export function utf8Text(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
