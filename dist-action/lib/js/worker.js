import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  Engine
} from "./chunk-ZBIIT5WW.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-BEBMU46B.js";
import "./chunk-X2CHC4MP.js";
import "./chunk-YTCJ642O.js";
import "./chunk-BXUJ5AUT.js";

// src/analysis/worker.ts
import { parentPort, workerData } from "node:worker_threads";
var port = parentPort;
if (!port) throw new Error("analysis/worker.ts must run in a worker thread");
var engine;
try {
  engine = await Engine.create(workerData);
  port.postMessage({ type: "ready", notes: engine.notes });
} catch (e) {
  port.postMessage({ type: "fatal", error: e.message });
}
port.on("message", (m) => {
  if (m.type === "stop" || !engine) {
    port.close();
    return;
  }
  try {
    port.postMessage({ type: "result", result: engine.analyze(m.unit) });
  } catch (e) {
    port.postMessage({ type: "failed", key: m.unit.key, error: e.message });
  }
});
