// torch.save files → TrainedModel: container (zip or legacy stream) → restricted unpickle →
// state_dict → Keras-layout layers.
import type { TrainedModel } from '../types';
import type { ZipArchive } from '../zip';
import { openLegacyTorch, openTorchZip, type TorchFile } from './container';
import { mapStateDict } from './mapping';
import { toStateDict } from './stateDict';

export function readTorchZip(zip: ZipArchive, fileName: string): TrainedModel {
  return fromTorchFile(openTorchZip(zip, fileName), fileName);
}

export function readLegacyTorch(bytes: Uint8Array, fileName: string): TrainedModel {
  return fromTorchFile(openLegacyTorch(bytes, fileName), fileName);
}

function fromTorchFile(file: TorchFile, fileName: string): TrainedModel {
  const sd = toStateDict(file.root, fileName);
  const format = sd.modules !== null ? 'pytorch-module' : file.legacy ? 'pytorch-legacy' : 'pytorch-state-dict';
  return { format, producer: file.legacy ? 'torch < 1.6' : 'torch', layers: mapStateDict(sd, (t) => file.read(t), fileName) };
}
