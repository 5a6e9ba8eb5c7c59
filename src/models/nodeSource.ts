// Reading model files from disk (CLI, tests, bench). The extension side builds its FileSource on
// workspace.fs instead; nothing else in src/models touches the file system.
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ModelError } from './errors';
import { readModel, type ReadOptions } from './read';
import type { FileSource, TrainedModel } from './types';

export function nodeFileSource(folder: string): FileSource {
  return { read: async (relativePath) => new Uint8Array(await readFile(join(folder, relativePath))) };
}

export async function readModelFile(path: string, options: ReadOptions = {}): Promise<TrainedModel> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new ModelError('missing-file', code === 'ENOENT' ? `${path} does not exist` : code === 'EISDIR' ? `${path} is a folder; give the model file` : `${path} cannot be read`);
  }
  return readModel(basename(path), bytes, nodeFileSource(dirname(path)), options);
}
