// The rule registry: every analyzer, in catalogue order. The driver loads this module (also in
// worker threads) and picks the enabled rules by id.
import type { Analyzer } from '../analysis/analyzer.js';
import type { RuleMeta } from '../findings/model.js';
import { analyzer as deferInLoop } from './defer-in-loop.js';
import { analyzer as deferInInfiniteLoop } from './defer-in-infinite-loop.js';
import { analyzer as deferNotOpenCoded } from './defer-not-open-coded.js';
import { analyzer as unnecessaryDefer } from './unnecessary-defer.js';
import { analyzer as deferCloseChanWithSender } from './defer-close-chan-with-sender.js';
import { analyzer as loopVarCapture } from './loop-var-capture.js';
import { analyzer as deferEagerEvaluation } from './defer-eager-evaluation.js';
import { analyzer as deferCallChain } from './defer-call-chain.js';
import { analyzer as deferIneffectiveReturn } from './defer-ineffective-return.js';
import { analyzer as deferFuncResultNotCalled } from './defer-func-result-not-called.js';
import { analyzer as lockLeakedOnReturn } from './lock-leaked-on-return.js';

import { analyzer as deferCloseUncheckedWrite } from './defer-close-unchecked-write.js';
import { analyzer as deferOrderInverted } from './defer-order-inverted.js';
import { analyzer as deferNilFunc } from './defer-nil-func.js';

import { analyzer as deferBeforeErrorCheck } from './defer-before-error-check.js';
import { analyzer as deferLockMismatch } from './defer-lock-mismatch.js';
import { analyzer as lockReentryUnderDefer } from './lock-reentry-under-defer.js';
import { analyzer as goroutineBlockedSend } from './goroutine-blocked-send.js';
import { analyzer as recoverIneffective } from './recover-ineffective.js';
import { analyzer as recoverSwallowsPanic } from './recover-swallows-panic.js';
import { analyzer as waitgroupDonePath } from './waitgroup-done-path.js';
import { analyzer as goroutineOutsideRecover } from './goroutine-outside-recover.js';
import { analyzer as deferBlockingCall } from './defer-blocking-call.js';
import { analyzer as exitSkipsDefer } from './exit-skips-defer.js';
import { analyzer as signalSkipsDefer } from './signal-skips-defer.js';
import { analyzer as bannedCall } from './banned-call.js';
export const analyzers: readonly Analyzer[] = [deferInLoop, deferInInfiniteLoop, deferNotOpenCoded, unnecessaryDefer, deferCloseChanWithSender, loopVarCapture, deferEagerEvaluation, deferCallChain, deferIneffectiveReturn, deferFuncResultNotCalled, lockLeakedOnReturn, deferCloseUncheckedWrite, deferOrderInverted, deferNilFunc, deferBeforeErrorCheck, deferLockMismatch, lockReentryUnderDefer, goroutineBlockedSend, recoverIneffective, recoverSwallowsPanic, waitgroupDonePath, goroutineOutsideRecover, deferBlockingCall, exitSkipsDefer, signalSkipsDefer, bannedCall];

export function ruleMetas(): RuleMeta[] {
  return analyzers.map((a) => a.meta);
}

export function ruleById(id: string): Analyzer | undefined {
  return analyzers.find((a) => a.meta.id === id);
}

/** Ids of the rules that run when none are enabled or disabled explicitly. */
export function defaultEnabled(): string[] {
  return analyzers.filter((a) => a.meta.enabledByDefault).map((a) => a.meta.id);
}

/** URL of this module, for the driver's workers (which import the registry themselves). */
export const REGISTRY_URL = import.meta.url;
