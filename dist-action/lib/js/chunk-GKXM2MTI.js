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
} from "./chunk-E5TCH7II.js";
import "./chunk-7L5MEL2Z.js";
import "./chunk-FX5DOGEO.js";
import "./chunk-QEXB4XXN.js";
import "./chunk-BKGXC46M.js";
import "./chunk-IHQ3K3RT.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-OLPKVP35.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-VTHKDBT2.js";
import "./chunk-7EPHNBPP.js";
import "./chunk-OUDSTEBT.js";
import "./chunk-MECTE26U.js";
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
