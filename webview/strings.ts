// The webview's string bundle: English text is the key; the host sends the translations it got
// from vscode.l10n for the keys in WEBVIEW_STRINGS (src/protocol.ts), so one bundle serves both.
let table: Record<string, string> = {};

export function setStrings(strings: Record<string, string>): void {
  table = strings;
}

export function t(english: string): string {
  return table[english] ?? english;
}
