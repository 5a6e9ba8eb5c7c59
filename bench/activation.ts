// Activation cost of dist/extension.js: load + activate() against a recording stub of the
// `vscode` module. It measures our own work (the bundle's top level and the registrations),
// which is what we control; VS Code's own extension loading comes on top.
import Module from 'node:module';
import { join } from 'node:path';
import { timeIt, type BenchRow } from './stats';

const REPO = join(__dirname, '../..');

/** A vscode module where every registration returns a disposable and every class constructs. */
function vscodeStub(): unknown {
  const disposable = { dispose() {} };
  const handler: ProxyHandler<object> = {
    get(target, prop) {
      if (prop === 'then') return undefined;
      if (prop in target) return (target as Record<string | symbol, unknown>)[prop];
      return new Proxy(function () {
        return disposable;
      }, handler);
    },
    apply: () => disposable,
    construct: () => new Proxy({ event: () => disposable, fire() {}, dispose() {} }, handler),
  };
  const anything = new Proxy(function () {
    return disposable;
  }, handler);
  // esbuild's ESM interop copies the module's own keys, so name the ones the extension touches.
  const names = ['CodeLens', 'Range', 'EventEmitter', 'Uri', 'window', 'workspace', 'languages', 'commands', 'l10n', 'env', 'ConfigurationTarget', 'Selection', 'Disposable', 'extensions'];
  return Object.fromEntries(names.map((n) => [n, anything]));
}

export async function benchActivation(): Promise<BenchRow[]> {
  const stub = vscodeStub();
  const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = mod._load;
  mod._load = (request, ...rest) => (request === 'vscode' ? stub : original(request, ...rest));
  const path = join(REPO, 'dist/extension.js');
  try {
    const context = { subscriptions: [] as unknown[], extensionUri: {}, extensionPath: REPO };
    const r = await timeIt(() => {
      delete require.cache[require.resolve(path)];
      // A fresh CommonJS load each run is the thing being measured, so require() it is.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const ext = require(path) as { activate(c: unknown): unknown };
      ext.activate(context);
    }, 30);
    return [{ name: 'activation: load dist/extension.js + activate()', median: r.median, p90: r.p90, unit: 'ms', note: 'vscode API stubbed; no tfjs on this path' }];
  } finally {
    mod._load = original;
  }
}
