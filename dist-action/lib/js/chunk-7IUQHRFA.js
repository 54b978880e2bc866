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
} from "./chunk-NWKT7STZ.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-PNCNP6Z2.js";
import "./chunk-4AUDSAAO.js";
import "./chunk-TI3NT6YT.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-BEQHGTFU.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-6MC6W5IO.js";
import "./chunk-STVZCT5N.js";
import "./chunk-WCPAAHL4.js";
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
