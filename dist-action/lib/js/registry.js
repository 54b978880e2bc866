import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  REGISTRY_URL,
  analyzers,
  defaultEnabled,
  ruleById,
  ruleMetas
} from "./chunk-MUP2YTAZ.js";
import "./chunk-6LXSCEPH.js";
import "./chunk-HHAEO6HM.js";
import "./chunk-BXUJ5AUT.js";
export {
  REGISTRY_URL,
  analyzers,
  defaultEnabled,
  ruleById,
  ruleMetas
};
