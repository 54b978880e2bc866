// Worker thread of the driver: builds an Engine from workerData, then analyses the units it is
// sent, one at a time, answering with their findings.
import { parentPort, workerData } from 'node:worker_threads';
import { Engine, type EngineConfig, type Unit } from './engine.js';

export type ToWorker = { type: 'unit'; unit: Unit } | { type: 'stop' };
export type FromWorker =
  | { type: 'ready'; notes: string[] }
  | { type: 'fatal'; error: string }
  | { type: 'result'; result: ReturnType<Engine['analyze']> }
  | { type: 'failed'; key: string; error: string };

const port = parentPort;
if (!port) throw new Error('analysis/worker.ts must run in a worker thread');

let engine: Engine | undefined;
try {
  engine = await Engine.create(workerData as EngineConfig);
  port.postMessage({ type: 'ready', notes: engine.notes } satisfies FromWorker);
} catch (e) {
  port.postMessage({ type: 'fatal', error: (e as Error).message } satisfies FromWorker);
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'stop' || !engine) {
    port.close();
    return;
  }
  try {
    port.postMessage({ type: 'result', result: engine.analyze(m.unit) } satisfies FromWorker);
  } catch (e) {
    port.postMessage({ type: 'failed', key: m.unit.key, error: (e as Error).message } satisfies FromWorker);
  }
});
