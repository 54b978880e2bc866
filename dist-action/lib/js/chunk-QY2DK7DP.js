import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  UsageError,
  allRuleMetas,
  colorWanted,
  configStart,
  parseCheckArgs,
  resolveConfig,
  run,
  selectRules
} from "./chunk-F6I7ZVZE.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-NXCAJDMM.js";
import "./chunk-P53EVTIR.js";
import "./chunk-HOYC7I3J.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-SZ3NK6C2.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-6MC6W5IO.js";
import "./chunk-NQ2WI7FJ.js";
import "./chunk-6JUZGCUM.js";
import "./chunk-C5TEEY35.js";
import "./chunk-BXUJ5AUT.js";
export {
  UsageError,
  allRuleMetas,
  colorWanted,
  configStart,
  parseCheckArgs,
  resolveConfig,
  run,
  selectRules
};
