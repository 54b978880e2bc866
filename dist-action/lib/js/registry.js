import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  REGISTRY_URL,
  analyzers,
  defaultEnabled,
  ruleById,
  ruleMetas
} from "./chunk-TX4DPZ5V.js";
import "./chunk-JFWTQ2HV.js";
import "./chunk-MECTE26U.js";
import "./chunk-BXUJ5AUT.js";
export {
  REGISTRY_URL,
  analyzers,
  defaultEnabled,
  ruleById,
  ruleMetas
};
