import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);

// src/analysis/options.ts
var BANNED_CONTEXTS = ["defer", "defer-in-loop", "loop", "handler", "anywhere"];
function defaultRuleOptions() {
  return { banned: [], blockingCalls: [], handlers: [], rules: {} };
}

export {
  BANNED_CONTEXTS,
  defaultRuleOptions
};
