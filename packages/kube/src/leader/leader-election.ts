// Leader election on a Lease, so that of several operator replicas only one reconciles at a time (the
// semantics are client-go's). A candidate takes a Lease that is absent, released, or left unchanged
// for its whole duration; the leader renews it every retry period, and steps down if it cannot for
// the renew deadline, which is shorter than the lease duration: the old leader has stopped before
// anyone may take over. Expiry is judged by the candidate's own clock, from when it saw the Lease
// change, never from the times written in it: the replicas' clocks need not agree. Durations are
// measured on the monotonic clock, so that a step of the wall clock (NTP, a VM resumed) neither keeps a
// leader that cannot renew nor lets a candidate take the Lease early; the wall clock only dates the
// times written in the Lease, for people to read.
import { silentLogger, type Logger } from '@gko/runtime';
import { formatMicroTime, LeaseConflictError, type LeaseRecord, type LeaseStore } from './lease-store.ts';

export interface LeaderElectionOptions {
  store: LeaseStore;
  /** Unique to this replica, e.g. the pod name. */
  identity: string;
  /** How long the others wait after the last renewal before taking over (default 15 s). */
  leaseDurationMs?: number;
  /** How long the leader keeps trying to renew before it steps down (default 10 s). */
  renewDeadlineMs?: number;
  /** Time between attempts, to acquire or to renew (default 2 s). */
  retryPeriodMs?: number;
  onStartedLeading: () => void;
  /** Called once for each onStartedLeading, when leadership is lost or released. */
  onStoppedLeading: () => void;
  logger?: Logger;
  /** Wall-clock time, for the times written in the Lease (default Date.now). */
  now?: () => number;
  /** Monotonic time, for every duration (default performance.now). */
  monotonic?: () => number;
}

const DEFAULTS = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

/** Up to this fraction of the retry period is added at random to each wait: candidates drift apart. */
const JITTER = 0.2;

/** The Lease as read or written, and when, by our monotonic clock, it was last seen to change. */
interface Observation {
  record: LeaseRecord;
  at: number;
}

/** What one attempt to acquire or renew found; the caller decides what to make of it. */
type Attempt =
  | { kind: 'acquired'; seen: Observation; previousHolder: string | undefined }
  | { kind: 'held'; seen: Observation; holder: string; expiresInMs: number }
  | { kind: 'conflict' | 'failed'; seen: Observation | undefined; error: unknown };

const TIMED_OUT = Symbol('timed out');

/** The promise's outcome, or TIMED_OUT if it takes longer than ms; the timer is cleared either way. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function validate(identity: string, leaseDurationMs: number, renewDeadlineMs: number, retryPeriodMs: number): void {
  if (!identity) throw new Error('leader election needs a non-empty identity (e.g. the pod name)');
  if (!(retryPeriodMs > 0)) throw new Error(`leader election: retryPeriodMs must be positive (got ${retryPeriodMs})`);
  if (!(renewDeadlineMs < leaseDurationMs))
    throw new Error(
      `leader election: renewDeadlineMs (${renewDeadlineMs}) must be shorter than leaseDurationMs (${leaseDurationMs}), ` +
        'so that a leader that cannot renew steps down before another replica may take over',
    );
  if (!(retryPeriodMs < renewDeadlineMs))
    throw new Error(
      `leader election: retryPeriodMs (${retryPeriodMs}) must be shorter than renewDeadlineMs (${renewDeadlineMs}), ` +
        'so that a leader gets more than one try to renew',
    );
}

export class LeaderElector {
  private readonly options: LeaderElectionOptions;
  private readonly store: LeaseStore;
  private readonly identity: string;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly monotonic: () => number;
  private observed: Observation | undefined;
  private leading = false;
  private stopped = false;
  private running: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(options: LeaderElectionOptions) {
    this.options = options;
    this.store = options.store;
    this.identity = options.identity;
    this.leaseDurationMs = options.leaseDurationMs ?? DEFAULTS.leaseDurationMs;
    this.renewDeadlineMs = options.renewDeadlineMs ?? DEFAULTS.renewDeadlineMs;
    this.retryPeriodMs = options.retryPeriodMs ?? DEFAULTS.retryPeriodMs;
    validate(this.identity, this.leaseDurationMs, this.renewDeadlineMs, this.retryPeriodMs);
    this.logger = (options.logger ?? silentLogger).child({ identity: this.identity });
    this.now = options.now ?? (() => Date.now());
    this.monotonic = options.monotonic ?? (() => performance.now());
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Campaigns, then leads, in the background; after losing leadership, campaigns again. */
  start(): void {
    if (this.stopped) return;
    this.running ??= this.run();
  }

  /**
   * Stops the loop; if leading, calls onStoppedLeading and releases the Lease (best effort, bounded),
   * unless `release` is false: work of the leader that may still be running must not overlap a
   * successor's, which then waits for the Lease to expire.
   */
  stop(options: { release?: boolean } = {}): Promise<void> {
    return (this.stopping ??= this.shutDown(options.release ?? true));
  }

  private async shutDown(release: boolean): Promise<void> {
    this.stopped = true;
    this.wake?.();
    if (this.leading) {
      // The work stops before the release lets a successor start it.
      this.leading = false;
      this.logger.info('stopping: no longer the leader');
      this.notify('onStoppedLeading');
    }
    // An attempt in flight may still write the Lease: let it land, so the release has its version.
    if (this.running) await within(this.running, this.renewDeadlineMs);
    if (!release) this.logger.warn('leaving the lease to expire: work of this leader may still be running');
    else if (this.observed?.record.holderIdentity === this.identity) await this.release(this.observed.record);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const acquired = await this.acquire();
      // Stopped before leading: the Lease may be ours though, which stop() releases.
      if (!acquired || this.stopped) return;
      this.leading = true;
      this.logger.info('became the leader', { previousHolder: acquired.previousHolder });
      this.notify('onStartedLeading');
      const reason = await this.renew();
      // Stopped while leading: stop() has called onStoppedLeading and releases the Lease.
      if (this.stopped) return;
      this.leading = false;
      this.logger.info('lost leadership', { reason });
      this.notify('onStoppedLeading');
    }
  }

  /** Tries until the Lease is ours (the successful attempt), or until stopped (undefined). */
  private async acquire(): Promise<Extract<Attempt, { kind: 'acquired' }> | undefined> {
    while (!this.stopped) {
      // Bounded too: a store that never answers must not wedge the campaign.
      const attempt = await within(this.attempt(), this.renewDeadlineMs);
      if (attempt !== TIMED_OUT) this.note(attempt);
      if (this.stopped) return undefined;
      if (attempt === TIMED_OUT) this.logger.warn('no answer from the lease store; retrying');
      else if (attempt.kind === 'acquired') return attempt;
      else if (attempt.kind === 'conflict') this.logger.debug('another candidate wrote the lease first');
      else if (attempt.kind === 'failed')
        this.logger.warn('could not read or write the lease', { error: attempt.error });
      // Waiting for a Lease to expire: not a moment longer than needed, not more than a retry period.
      const held = attempt !== TIMED_OUT && attempt.kind === 'held';
      const wait = held ? Math.min(this.retryPeriodMs, attempt.expiresInMs) : this.retryPeriodMs;
      await this.sleep(wait + Math.random() * JITTER * this.retryPeriodMs);
    }
    return undefined;
  }

  /** Renews every retry period; returns why leadership was lost, or undefined once stopped. */
  private async renew(): Promise<string | undefined> {
    let renewedAt = this.observed?.at ?? this.monotonic();
    while (!this.stopped) {
      await this.sleep(this.retryPeriodMs);
      if (this.stopped) return undefined;
      // A renewal that hangs must not keep a leader past its deadline.
      const left = renewedAt + this.renewDeadlineMs - this.monotonic();
      const attempt = left > 0 ? await within(this.attempt(), left) : TIMED_OUT;
      if (attempt !== TIMED_OUT) this.note(attempt);
      if (this.stopped) return undefined;
      if (attempt === TIMED_OUT) return `the lease could not be renewed within ${this.renewDeadlineMs} ms`;
      if (attempt.kind === 'acquired') renewedAt = attempt.seen.at;
      else if (attempt.kind === 'held') return `the lease is held by ${attempt.holder}`;
      else if (this.monotonic() - renewedAt >= this.renewDeadlineMs)
        return `the lease could not be renewed within ${this.renewDeadlineMs} ms`;
      else this.logger.warn('could not renew the lease; retrying', { error: attempt.error });
    }
    return undefined;
  }

  /** Reads the Lease and, if it is free, expired or ours, writes it as ours. Never throws. */
  private async attempt(): Promise<Attempt> {
    const startedAt = this.monotonic();
    const time = formatMicroTime(this.now());
    let current: LeaseRecord | undefined;
    try {
      current = await this.store.get();
    } catch (error) {
      return { kind: 'failed', seen: undefined, error };
    }
    const leaseDurationSeconds = Math.max(1, Math.ceil(this.leaseDurationMs / 1000));
    if (!current) {
      const fresh = { holderIdentity: this.identity, leaseDurationSeconds, acquireTime: time, renewTime: time };
      return this.write(() => this.store.create({ ...fresh, leaseTransitions: 0 }), startedAt, undefined, undefined);
    }

    const seen = { record: current, at: this.hasChanged(current) ? startedAt : (this.observed?.at ?? startedAt) };
    const holder = current.holderIdentity || undefined;
    if (holder !== undefined && holder !== this.identity) {
      // The holder's promise, as written in the Lease, not ours: their configuration may differ.
      const durationMs = current.leaseDurationSeconds ? current.leaseDurationSeconds * 1000 : this.leaseDurationMs;
      const expiresInMs = seen.at + durationMs - startedAt;
      if (expiresInMs > 0) return { kind: 'held', seen, holder, expiresInMs };
    }
    const ours = holder === this.identity;
    const next: LeaseRecord = {
      holderIdentity: this.identity,
      leaseDurationSeconds,
      acquireTime: ours ? (current.acquireTime ?? time) : time,
      renewTime: time,
      leaseTransitions: (current.leaseTransitions ?? 0) + (ours ? 0 : 1),
      resourceVersion: current.resourceVersion,
    };
    return this.write(() => this.store.update(next), startedAt, holder, seen);
  }

  private async write(
    send: () => Promise<LeaseRecord>,
    startedAt: number,
    previousHolder: string | undefined,
    seen: Observation | undefined,
  ): Promise<Attempt> {
    try {
      return { kind: 'acquired', seen: { record: await send(), at: startedAt }, previousHolder };
    } catch (error) {
      return { kind: error instanceof LeaseConflictError ? 'conflict' : 'failed', seen, error };
    }
  }

  /** Whether the Lease differs from the one seen last: a live holder changes it at each renewal. */
  private hasChanged(current: LeaseRecord): boolean {
    const last = this.observed?.record;
    return (
      !last ||
      last.holderIdentity !== current.holderIdentity ||
      last.renewTime !== current.renewTime ||
      last.resourceVersion !== current.resourceVersion
    );
  }

  /** Keeps what an attempt saw, and logs a change of leader. */
  private note(attempt: Attempt): void {
    if (!attempt.seen) return;
    const previousHolder = this.observed?.record.holderIdentity || undefined;
    this.observed = attempt.seen;
    const holder = attempt.seen.record.holderIdentity || undefined;
    if (holder !== previousHolder && holder !== undefined && holder !== this.identity)
      this.logger.info('new leader observed', { holder, previousHolder });
  }

  /** Writes the Lease as free and short, so that a successor takes over at once, not after expiry. */
  private async release(record: LeaseRecord): Promise<void> {
    const time = formatMicroTime(this.now());
    const released = { ...record, holderIdentity: '', leaseDurationSeconds: 1, acquireTime: time, renewTime: time };
    try {
      // Shutting down should not wait long: at worst, a successor waits for the Lease to expire.
      const written = await within(this.store.update(released), this.retryPeriodMs);
      if (written === TIMED_OUT) {
        this.logger.warn('could not release the lease in time; a successor will wait for it to expire');
        return;
      }
      this.observed = { record: written, at: this.monotonic() };
      this.logger.info('released the lease');
    } catch (error) {
      this.logger.warn('could not release the lease; a successor will wait for it to expire', { error });
    }
  }

  private notify(callback: 'onStartedLeading' | 'onStoppedLeading'): void {
    try {
      this.options[callback]();
    } catch (error) {
      this.logger.error(`${callback} failed`, { error });
    }
  }

  private async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => (clearTimeout(timer), resolve());
    });
    this.wake = undefined;
  }
}
