// `rnn-unroll inspect MODEL_FILE [--architecture JSON]`: the layers of a trained model (Keras
// .h5/.keras, TF.js model.json, PyTorch state_dict) as JSON — class, name, units, flags and weight
// shapes in our Keras layout. A file we cannot read is one line on stderr (exit 2).
import { readFile } from 'node:fs/promises';
import { ModelError, summarizeModel, type ModelSummary } from '../models';
import { readModelFile } from '../models/nodeSource';
import { CliError, parseArgs, type CliCommand } from './common';

export const inspect: CliCommand = async (argv: string[]): Promise<ModelSummary> => {
  const { flags, positionals } = parseArgs(argv, ['architecture']);
  if (positionals.length !== 1) throw new CliError('usage: inspect MODEL_FILE [--architecture ARCHITECTURE.json]');
  let architecture: string | undefined;
  const archPath = flags.get('architecture');
  if (archPath !== undefined) {
    try {
      architecture = await readFile(archPath, 'utf8');
    } catch {
      throw new CliError(`cannot read the architecture file ${archPath}`);
    }
  }
  try {
    return summarizeModel(await readModelFile(positionals[0], { architecture }));
  } catch (e) {
    if (e instanceof ModelError) throw new CliError(e.message);
    throw e;
  }
};
