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
} from "./chunk-IALJJAWQ.js";
import "./chunk-SSUQ7A2Q.js";
import "./chunk-2P4ZDN7Q.js";
import "./chunk-UQK7O6NQ.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-OIJTYWCJ.js";
import "./chunk-PWUJX36G.js";
import "./chunk-BDHKUSGJ.js";
import "./chunk-KAQSCNWI.js";
import "./chunk-HHAEO6HM.js";
import "./chunk-LQ7G2ULF.js";
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
