import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  REGISTRY_URL,
  analyzers,
  defaultEnabled,
  ruleById,
  ruleMetas
} from "./chunk-BNGGAWJJ.js";
import "./chunk-X2CHC4MP.js";
import "./chunk-YTCJ642O.js";
import "./chunk-BXUJ5AUT.js";
export {
  REGISTRY_URL,
  analyzers,
  defaultEnabled,
  ruleById,
  ruleMetas
};
