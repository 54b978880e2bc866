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
} from "./chunk-SDEDIGPJ.js";
import "./chunk-QKVRI6XG.js";
import "./chunk-SU757THM.js";
import "./chunk-AOG5V3N7.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-DVE27RWL.js";
import "./chunk-PWUJX36G.js";
import "./chunk-MNROK7FQ.js";
import "./chunk-Z52FZORI.js";
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
