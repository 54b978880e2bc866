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
} from "./chunk-K26UWSYN.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-LCAHAOTC.js";
import "./chunk-WL3DGQPO.js";
import "./chunk-77EAT2IT.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-C62AZV7N.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-B2QNH7MC.js";
import "./chunk-HW4EQXM6.js";
import "./chunk-GTUTQ6UQ.js";
import "./chunk-DO6F2IKR.js";
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
