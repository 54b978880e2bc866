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
} from "./chunk-UOBQHCJ6.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-2SS7B64N.js";
import "./chunk-DKGE2L27.js";
import "./chunk-H65VLRAR.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-D3CMLKGH.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-6MC6W5IO.js";
import "./chunk-YQHZJAWK.js";
import "./chunk-AHFAQ2OK.js";
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
