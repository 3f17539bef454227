// The manager runs the controllers of every kind over one set of caches: it routes informer events to
// the controllers (the object itself, the users of a changed dependency, the owner of a gateway
// ConfigMap changed behind its back), starts the workers only while this process leads, runs drift
// repair, and says whether the process is ready.
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  addFinalizer,
  CONFIG_MAPS,
  kubernetesLeaseStore,
  NOT_LISTED_YET,
  removeFinalizers,
  SECRETS,
  LeaderElector,
  type ClusterCache,
  type LeaseStore,
  type EventRecorder,
  type InformerEvent,
  type KubeConnection,
} from '@gko/kube';
import type { ApimClientPool } from '@gko/mapi';
import type { Logger } from '@gko/runtime';
import type { Registry } from 'prom-client';
import { DependencyRouter } from '../dependencies/router.ts';
import { installDependencyIndexes } from '../dependencies/users.ts';
import { installIdentityIndexes } from '../sync/identity.ts';
import { isGraviteeObject, objectDependencies } from '@gko/api';
import { markChanges } from './source-marks.ts';
import { keepsData, sourcesNamedBy, sourcesNeededBy } from './source-data.ts';
import type { SourceId } from './extension.ts';
import { isLocalModeConfigMap } from '../local-mode/configmap.ts';
import type { ControllerSettings, ReconcileContext, Reconciler } from '../reconcile/contract.ts';
import { Controller } from './controller.ts';
import type { ManagerExtension, Target } from './extension.ts';
import { DriftScheduler } from './drift-scheduler.ts';
import { controllerMetrics, type ControllerMetrics } from './metrics.ts';

export interface LeaderElectionSettings {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Where the Lease is kept (default: the Lease named above; tests give one in memory). */
  store?: LeaseStore;
}

export interface ManagerOptions {
  connection: KubeConnection;
  cache: ClusterCache;
  logger: Logger;
  registry: Registry;
  settings: ControllerSettings;
  apim: ApimClientPool;
  events: EventRecorder;
  /** Workers per kind (MAX_CONCURRENT_RECONCILES). */
  concurrency: number;
  /** Workers of the kinds named here instead (MAX_CONCURRENT_RECONCILES_PER_KIND). */
  concurrencyByKind?: Record<string, number>;
  /** Without it, this process reconciles as soon as it starts. */
  leaderElection?: LeaderElectionSettings;
  /** Called when leadership is lost without a shutdown: the process must stop reconciling at once. */
  onLostLeadership: () => void;
  /** Not ready while a watch has been failing for longer than this (default 60 s). */
  unhealthyAfterMs?: number;
  /**
   * How long the leader waits for its caches to fill (default 2 min, as controller-runtime). Past it,
   * it reports which resource could not be listed, is not healthy, and gives the Lease up (to campaign
   * again once they fill): a leader that cannot reconcile must not keep another replica from it.
   */
  cacheSyncTimeoutMs?: number;
}

/** How long cancelled reconciles get to unwind at shutdown, out of the grace period. */
const ABANDON_MS = 5_000;

/** The kinds whose objects gateways may read from a ConfigMap of the same name. */
const LOCAL_MODE_KINDS = ['ApiDefinition', 'ApiV4Definition'];

const keyOf = (object: KubernetesObject) => `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;

export class Manager {
  private readonly options: ManagerOptions;
  private readonly controllers = new Map<string, Controller>();
  private readonly extensions: ManagerExtension[] = [];
  /** The Secrets and ConfigMaps each object of ours names, as last seen, to notice those it drops. */
  private readonly readerSources = new Map<string, string[]>();
  private readonly metrics: ControllerMetrics;
  private readonly drift: DriftScheduler;
  private elector: LeaderElector | undefined;
  private leading = false;
  private stopping = false;
  /** Each leadership, to tell a wait for the caches that belongs to a Lease given up since. */
  private term = 0;
  /** The caches did not fill within the timeout (and have not since). */
  private syncStuck = false;

  constructor(options: ManagerOptions) {
    this.options = options;
    this.metrics = controllerMetrics(options.registry);
    this.drift = new DriftScheduler(options.settings.driftPeriodMs, options.logger.child({ component: 'drift' }));
  }

  register(kind: string, reconcile: Reconciler, options: { drift: boolean } = { drift: false }): void {
    const { cache } = this.options;
    const controller = new Controller({
      kind,
      // Not before the data of the Secrets and ConfigMaps it reads is in the cache.
      reconcile: async (key, context) => {
        const object = cache.get(kind, key.namespace, key.name);
        await this.readSources(object ? sourcesNeededBy(object, cache, this.extensions) : []);
        return reconcile(key, context);
      },
      concurrency: this.options.concurrencyByKind?.[kind] ?? this.options.concurrency,
      contextFor: (k, key, reconcileId, verifyRemote) => this.contextFor(k, key, reconcileId, verifyRemote),
      logger: this.options.logger,
      metrics: this.metrics,
    });
    this.controllers.set(kind, controller);
    if (!options.drift) return;
    this.drift.add({
      keys: () =>
        this.options.cache
          .list(kind)
          .filter((o) => (o as { status?: { syncHash?: string } }).status?.syncHash && !o.metadata?.deletionTimestamp)
          .map(keyOf),
      requestVerify: (key) => controller.requestVerify(key),
    });
  }

  /** Adds a controller beyond our kinds (its reconcilers, indexes, routes and leader-only work); before start. */
  use(extension: ManagerExtension): void {
    this.extensions.push(extension);
    for (const { kind, reconcile } of extension.controllers) this.register(kind, reconcile);
  }

  private enqueue(target: Target): void {
    this.controllers.get(target.kind)?.enqueue(target.key);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Installs indexes and event routes; call before the cache starts, so that the first list is seen. */
  start(): void {
    const { cache } = this.options;
    installDependencyIndexes(cache);
    installIdentityIndexes(cache);
    for (const extension of this.extensions)
      for (const index of extension.indexes ?? []) cache.addIndex(index.kind, index.name, index.values);
    cache.keepDataOnlyWhere(keepsData(cache, this.extensions));
    const router = new DependencyRouter(cache, (user) =>
      this.controllers.get(user.kind)?.enqueue(`${user.namespace}/${user.name}`),
    );
    cache.onChange((object, event) => {
      this.route(object, event);
      router.onChange(object, event);
      for (const extension of this.extensions)
        for (const target of extension.route?.(object, event, cache) ?? []) this.enqueue(target);
    });
    if (!this.options.leaderElection) {
      this.lead();
      return;
    }
    this.campaign(this.options.leaderElection);
  }

  private campaign(election: LeaderElectionSettings): void {
    const { logger } = this.options;
    const elector: LeaderElector = new LeaderElector({
      store: election.store ?? kubernetesLeaseStore(this.options.connection, election.namespace, election.name),
      identity: election.identity,
      ...(election.leaseDurationMs ? { leaseDurationMs: election.leaseDurationMs } : {}),
      ...(election.renewDeadlineMs ? { renewDeadlineMs: election.renewDeadlineMs } : {}),
      ...(election.retryPeriodMs ? { retryPeriodMs: election.retryPeriodMs } : {}),
      logger: logger.child({ component: 'leader-election' }),
      onStartedLeading: () => this.lead(),
      onStoppedLeading: () => {
        this.leading = false;
        this.metrics.leader.set(0);
        // Stopping, or the Lease given up on purpose (see cacheSyncTimedOut).
        if (this.stopping || this.elector !== elector) return;
        // Another replica may lead already: stop taking keys now, whatever the program does next.
        for (const controller of this.controllers.values()) void controller.stop(0);
        this.drift.stop();
        for (const extension of this.extensions) extension.stop?.();
        this.options.onLostLeadership();
      },
    });
    this.elector = elector;
    elector.start();
  }

  private lead(): void {
    const term = ++this.term;
    const timeoutMs = this.options.cacheSyncTimeoutMs ?? 120_000;
    const timer = setTimeout(() => this.cacheSyncTimedOut(term, timeoutMs), timeoutMs);
    timer.unref();
    // Caches first: a leader that reconciles from a half-filled cache would take missing objects
    // for deleted ones.
    void this.options.cache.synced().then(() => {
      clearTimeout(timer);
      if (this.stopping || term !== this.term) return;
      this.leading = true;
      this.metrics.leader.set(1);
      this.options.logger.info('leading: reconciling', { kinds: [...this.controllers.keys()] });
      for (const controller of this.controllers.values()) controller.start();
      this.drift.start();
      for (const extension of this.extensions)
        extension.start?.({
          kube: this.options.connection,
          logger: this.options.logger,
          cache: this.options.cache,
          enqueue: (target) => this.enqueue(target),
        });
      for (const kind of ['Secret', 'ConfigMap'])
        for (const object of this.options.cache.list(kind)) this.updateMarks(object);
    });
  }

  private cacheSyncTimedOut(term: number, timeoutMs: number): void {
    if (this.stopping || term !== this.term) return;
    const { cache, logger } = this.options;
    const notSynced = cache.unsynced();
    this.syncStuck = true;
    // Secrets and ConfigMaps waiting for their turn to be listed are not what failed.
    for (const { resource, namespace, error } of notSynced)
      if (error !== NOT_LISTED_YET) this.metrics.cacheNotSynced.set({ resource, namespace: namespace ?? '' }, 1);
    logger.error('the caches did not fill in time: nothing can be reconciled', {
      timeoutMs,
      notSynced: notSynced.map(
        (s) => `${s.resource}${s.namespace ? ` in namespace ${s.namespace}` : ''}${s.error ? `: ${s.error}` : ''}`,
      ),
    });
    const election = this.options.leaderElection;
    const elector = this.elector;
    if (election && elector) {
      // Given up, so that a replica that can list everything leads; this one campaigns again once
      // its caches fill (a permission granted, a CRD installed).
      this.term++;
      this.elector = undefined;
      void elector.stop().then(() => logger.warn('gave the lease up until the caches fill'));
    }
    void cache.synced().then(() => {
      if (this.stopping) return;
      this.syncStuck = false;
      this.metrics.cacheNotSynced.reset();
      logger.info('the caches filled');
      if (election && !this.elector) this.campaign(election);
    });
  }

  /** Liveness: false while the caches could not fill within the timeout. */
  healthy(): boolean {
    return !this.syncStuck;
  }

  private route(object: KubernetesObject, event: InformerEvent): void {
    const controller = object.kind ? this.controllers.get(object.kind) : undefined;
    if (controller) {
      if (event === 'add' || event === 'update') this.readData(sourcesNamedBy(object, this.extensions));
      // A delete too: the reconcile finds the object gone and forgets what it remembered of it.
      controller.enqueue(keyOf(object));
      if (isGraviteeObject(object)) this.followSources(object, event);
      if (event === 'delete') this.wakeBlockedDeletes(object);
      return;
    }
    // Resyncs too: a change of marks that failed is tried again.
    if (event !== 'delete') this.updateMarks(object);
    // A ConfigMap named like a local-mode API may be what kept the API from deploying.
    if (object.kind === 'ConfigMap' && event !== 'resync')
      for (const kind of LOCAL_MODE_KINDS)
        if (this.options.cache.get(kind, object.metadata?.namespace ?? '', object.metadata?.name ?? ''))
          this.enqueue({ kind, key: keyOf(object) });
    // A gateway ConfigMap changed or deleted by someone else: its API puts it back.
    if (object.kind === 'ConfigMap' && (event === 'update' || event === 'delete') && isLocalModeConfigMap(object)) {
      for (const owner of object.metadata?.ownerReferences ?? [])
        this.controllers.get(owner.kind)?.requestVerify(`${object.metadata?.namespace}/${owner.name}`);
    }
  }

  /** Starts reading the data of the Secrets and ConfigMaps an object names, when cached without it. */
  private readData(sources: SourceId[]): void {
    void this.readSources(sources);
  }

  /**
   * Reads the data of these when cached without it; a read that fails is logged, and a reconcile
   * that needs it then meets DataNotLoadedError and waits.
   */
  private async readSources(sources: SourceId[]): Promise<void> {
    const { cache, logger } = this.options;
    await Promise.all(
      sources.map(({ kind, namespace, name }) =>
        cache
          .loadData(kind, namespace, name)
          .catch((error: unknown) =>
            logger.warn('could not read the data of a Secret or ConfigMap', { kind, namespace, name, error }),
          ),
      ),
    );
  }

  /** The objects a deleted one used whose own deletion waited for it go on at once. */
  private wakeBlockedDeletes(deleted: KubernetesObject): void {
    for (const dependency of objectDependencies(deleted)) {
      const found = this.options.cache.get(dependency.kind, dependency.namespace, dependency.name);
      if (found?.metadata?.deletionTimestamp)
        this.enqueue({ kind: dependency.kind, key: `${dependency.namespace}/${dependency.name}` });
    }
  }

  /**
   * The Secrets and ConfigMaps a reader starts or stops naming (or all of them, when it is deleted)
   * may need their marks changed: a context's credentials held, the last reader's marks released.
   */
  private followSources(reader: KubernetesObject, event: InformerEvent): void {
    const key = `${reader.kind}/${keyOf(reader)}`;
    const previous = this.readerSources.get(key) ?? [];
    const current =
      event === 'delete'
        ? []
        : objectDependencies(reader)
            .filter((d) => d.kind === 'Secret' || d.kind === 'ConfigMap')
            .map((d) => `${d.kind}/${d.namespace}/${d.name}`);
    if (current.length > 0) this.readerSources.set(key, current);
    else this.readerSources.delete(key);
    const changed = [
      ...previous.filter((source) => !current.includes(source)),
      ...current.filter((source) => !previous.includes(source)),
    ];
    for (const source of changed) {
      const [kind = '', namespace = '', name = ''] = source.split('/');
      const found = this.options.cache.get(kind, namespace, name);
      if (found) this.updateMarks(found);
      // One it stopped naming: its data goes unless another reader needs it.
      if (!current.includes(source)) this.options.cache.releaseData(kind, namespace, name);
    }
  }

  /** See source-marks.ts: changed by the leader only. */
  private updateMarks(object: KubernetesObject): void {
    const resource = object.kind === 'Secret' ? SECRETS : object.kind === 'ConfigMap' ? CONFIG_MAPS : undefined;
    const changes = this.leading && resource ? markChanges(object, this.options.cache) : undefined;
    if (!resource || !changes) return;
    const { connection, logger } = this.options;
    const fields = { kind: object.kind, namespace: object.metadata?.namespace, name: object.metadata?.name };
    const release = changes.finalizers.length + changes.annotations.length > 0;
    const work = async () => {
      if (changes.add.length > 0) {
        for (const finalizer of changes.add) await addFinalizer(connection, resource, object, finalizer);
        logger.info('holding the credentials of a ManagementContext until no context names them', fields);
      }
      if (release) {
        await removeFinalizers(connection, resource, object, changes.finalizers, { annotations: changes.annotations });
        logger.info('released marks no reader needs any more', {
          ...fields,
          finalizers: changes.finalizers,
          annotations: changes.annotations,
        });
      }
    };
    work().catch((error: unknown) =>
      logger.warn('could not update the marks of a Secret or ConfigMap', { ...fields, error }),
    );
  }

  private contextFor(kind: string, key: string, reconcileId: string, verifyRemote: boolean): ReconcileContext {
    const [namespace, name] = key.split('/');
    const { options } = this;
    return {
      logger: options.logger.child({ kind, namespace, name, reconcileId }),
      cache: options.cache,
      kube: options.connection,
      events: options.events,
      settings: options.settings,
      apim: (context, apimOptions) => options.apim.forContext(context, apimOptions),
      verifyRemote,
      now: () => new Date(),
    };
  }

  /** Ready once the caches are filled, and while no watch has been failing for long. */
  ready(): boolean {
    const { cache } = this.options;
    return !this.stopping && cache.isSynced && cache.failingForMs() < (this.options.unhealthyAfterMs ?? 60_000);
  }

  /**
   * Finishes the reconciles in flight (within graceMs, then cancels them), and only once none runs
   * gives up the lease, so that another replica leads at once without overlapping this one.
   */
  async stop(graceMs = 20_000): Promise<void> {
    this.stopping = true;
    this.drift.stop();
    for (const extension of this.extensions) extension.stop?.();
    // Within graceMs in all: what still runs after most of it is cancelled, with time to unwind.
    const abandonMs = Math.min(ABANDON_MS, graceMs / 4);
    const idle = await Promise.all([...this.controllers.values()].map((c) => c.stop(graceMs - abandonMs, abandonMs)));
    await this.elector?.stop({ release: idle.every(Boolean) });
    this.leading = false;
    this.metrics.leader.set(0);
  }
}
