// Engine worker entry (worker_threads): runs engine requests off the extension host's thread.
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', () => {});
