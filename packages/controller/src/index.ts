export { DEFAULT_RETRY_POLICY, delayBeforeNextAttempt, type Outcome, type RetryPolicy } from './reconcile/result.ts';
