// Every user-visible string has a Korean translation, and no translation is left over.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { WEBVIEW_STRINGS } from '../../src/protocol';

const root = join(__dirname, '../../..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');
const tsFiles = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

/** String literals passed to a call named `name` (single-line, ' or " quoted). */
function literalsOf(source: string, name: RegExp): string[] {
  const out: string[] = [];
  const re = new RegExp(`${name.source}\\(\\s*(['"])((?:\\\\.|(?!\\1).)*)\\1`, 'g');
  for (const m of source.matchAll(re)) out.push(m[2].replace(/\\(['"\\])/g, '$1'));
  return out;
}

const ko = JSON.parse(read('media/l10n/bundle.l10n.ko.json')) as Record<string, string>;

test('the Korean bundle translates every string the host passes to a translator (vscode.l10n.t or t)', () => {
  const used = tsFiles('src').flatMap((f) => literalsOf(read(f), /\bt/));
  assert.ok(used.length > 5, 'found the host strings');
  for (const s of used) assert.ok(s in ko, `missing Korean for: ${s}`);
});

test('every t() string of the webview is declared in WEBVIEW_STRINGS and translated', () => {
  const used = tsFiles('webview').flatMap((f) => literalsOf(read(f), /\bt/));
  assert.ok(used.length > 3, 'found the webview strings');
  for (const s of used) {
    assert.ok((WEBVIEW_STRINGS as readonly string[]).includes(s), `not in WEBVIEW_STRINGS: ${s}`);
    assert.ok(s in ko, `missing Korean for: ${s}`);
  }
});

test('package.nls.json and package.nls.ko.json have the same keys, and the manifest uses them all', () => {
  const en = Object.keys(JSON.parse(read('package.nls.json')) as object).sort();
  const k = Object.keys(JSON.parse(read('package.nls.ko.json')) as object).sort();
  assert.deepEqual(k, en);
  const manifest = read('package.json');
  for (const key of en) assert.ok(manifest.includes(`%${key}%`), `unused nls key ${key}`);
});
