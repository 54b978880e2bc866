import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  REGISTRY_URL,
  analyzers,
  defaultEnabled,
  ruleById,
  ruleMetas
} from "./chunk-JWVIC5GN.js";
import "./chunk-AWJARIXA.js";
import "./chunk-DO6F2IKR.js";
import "./chunk-BXUJ5AUT.js";
export {
  REGISTRY_URL,
  analyzers,
  defaultEnabled,
  ruleById,
  ruleMetas
};
