// Loads tfjs for the training path with the wasm backend, its .wasm files read from a local folder
// (the extension's dist/, or node_modules/@tensorflow/tfjs-backend-wasm/dist/ in tests): no network.
// Only the training path imports this module; the trace path never loads tfjs.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type Tf = typeof tf;
export type TrainBackend = 'wasm' | 'cpu';

/** Resolves to tfjs with `backend` active. `wasmDir` is the folder holding the tfjs-backend-wasm*.wasm files. */
export async function loadTfjs(backend: TrainBackend, wasmDir?: string): Promise<Tf> {
  tf.enableProdMode(); // also silences the "install tfjs-node" banner (DESIGN.md §5)
  if (backend === 'wasm') {
    if (!wasmDir) throw new Error('loadTfjs: the wasm backend needs the folder of its .wasm files');
    setWasmPaths(wasmDir.endsWith('/') ? wasmDir : wasmDir + '/');
  }
  if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) throw new Error(`tfjs backend '${backend}' failed to initialize`);
  await tf.ready();
  return tf;
}
