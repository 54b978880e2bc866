// The analysis engine as the driver and its workers use it: the engine of ./core.ts reading
// files from disk (with the loader's size limit). Everything else is re-exported unchanged.
import { readFileLimited } from '../load/files.js';
import { Engine as CoreEngine, loadAnalyzers, type EngineConfig, type SourceReader } from './core.js';

export * from './core.js';

/** Reads unit files from disk, refusing files over the size limit. */
export const diskReader: SourceReader = {
  read: (f, maxBytes) => readFileLimited(f.absPath, f.path, maxBytes),
};

export class Engine extends CoreEngine {
  /** An engine over the registry's analyzers, reading from `reader` (the disk by default). */
  static override async create(cfg: EngineConfig, reader: SourceReader = diskReader): Promise<Engine> {
    return new Engine(cfg, await loadAnalyzers(cfg.registry, cfg.enable), reader);
  }
}
