import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  REGISTRY_URL,
  analyzers,
  defaultEnabled,
  ruleById,
  ruleMetas
} from "./chunk-IUC7WVWE.js";
import "./chunk-ZVHFWBVV.js";
import "./chunk-C5TEEY35.js";
import "./chunk-BXUJ5AUT.js";
export {
  REGISTRY_URL,
  analyzers,
  defaultEnabled,
  ruleById,
  ruleMetas
};
