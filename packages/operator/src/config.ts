// The operator's settings, from flags and environment variables. Where upstream's operator has a
// variable for the same setting, its name is accepted, so that existing configurations carry over.
import { hostname } from 'node:os';
import { DEFAULT_INGRESS_CLASSES, KINDS } from '@gko/api';
import type { IngressSettings } from '@gko/controller';
import type { ProxyOptions } from '@gko/mapi';
import { booleanSetting, integerSetting, listSetting, podNamespace, SettingError } from '@gko/runtime';

export interface OperatorConfig {
  controllers: boolean;
  webhook: boolean;
  /** Watched namespaces; all when empty. */
  namespaces: string[];
  maxConcurrentReconciles: number;
  /** Workers of the kinds that need another number than maxConcurrentReconciles. */
  concurrencyByKind: Record<string, number>;
  leaderElection?: {
    namespace: string;
    name: string;
    identity: string;
    leaseDurationMs: number;
    renewDeadlineMs: number;
    retryPeriodMs: number;
  };
  metricsPort: number;
  probesPort: number;
  host: string;
  templating: boolean;
  driftPeriodMs: number;
  /** How often every cached object is handed to its controller again (from the cache: no API call). */
  resyncPeriodMs: number;
  apim: {
    timeoutMs: number;
    maxConcurrency: number;
    insecureSkipVerify: boolean;
    caBundleFile?: string;
    proxy?: ProxyOptions;
  };
  logLevel: string;
  /** How long shutdown waits for reconciles and admission requests in flight. */
  shutdownGraceMs: number;
  /** How long a leader waits for its caches before it gives the Lease up and stops being healthy. */
  cacheSyncTimeoutMs: number;
  /** Server-side apply the CRDs this program was built with before starting (APPLY_CRDS, as upstream). */
  applyCrds: boolean;
  /** The Ingress controller's settings; off when absent (ENABLE_INGRESS). */
  ingress?: IngressSettings;
}

export { SettingError as ConfigError } from '@gko/runtime';

type Env = Record<string, string | undefined>;
const integer = integerSetting;
const flag = booleanSetting;

/** Upstream's lease name: one leader whichever of the two operators runs. */
export const DEFAULT_LEASE_NAME = '24d975d3.gravitee.io';

/**
 * Flags choose what runs: --controllers, --webhook, or both. Without flags, the controllers run
 * (unless ENABLE_CONTROLLERS=false) and the webhook runs when ENABLE_WEBHOOK=true, as upstream.
 */
function components(argv: string[], env: Env): { controllers: boolean; webhook: boolean } {
  const known = new Set(['--controllers', '--webhook']);
  const unknown = argv.filter((a) => !known.has(a));
  if (unknown.length > 0)
    throw new SettingError(`unknown argument ${unknown[0]}: use --controllers, --webhook, or both`);
  if (argv.length > 0) return { controllers: argv.includes('--controllers'), webhook: argv.includes('--webhook') };
  return { controllers: flag(env, 'ENABLE_CONTROLLERS', true), webhook: flag(env, 'ENABLE_WEBHOOK', false) };
}

function proxy(env: Env): ProxyOptions | undefined {
  // Upstream switches the proxy with HTTP_CLIENT_PROXY_ENABLED; a URL alone also turns it on here.
  if (!flag(env, 'HTTP_CLIENT_PROXY_ENABLED', true)) return undefined;
  if (flag(env, 'HTTP_CLIENT_PROXY_USE_SYSTEM_PROXY', false)) return { system: true };
  const url = env['HTTP_CLIENT_PROXY_URL'];
  if (!url) return undefined;
  return {
    url,
    ...(env['HTTP_CLIENT_PROXY_USERNAME'] ? { username: env['HTTP_CLIENT_PROXY_USERNAME'] } : {}),
    ...(env['HTTP_CLIENT_PROXY_PASSWORD'] ? { password: env['HTTP_CLIENT_PROXY_PASSWORD'] } : {}),
  };
}

/** "namespace/name", or a name in the default namespace given. */
function objectKeySetting(env: Env, name: string, defaultNamespace: string) {
  const value = env[name]?.trim();
  if (!value) return undefined;
  const parts = value.split('/');
  if (parts.length > 2 || parts.some((p) => !p))
    throw new SettingError(`${name} must be namespace/name or name, not ${value}`);
  return parts.length === 2 ? { namespace: parts[0]!, name: parts[1]! } : { namespace: defaultNamespace, name: value };
}

/** ENABLE_INGRESS and the settings of the Ingress controller, with upstream's names where it has them. */
function ingressSettings(env: Env): IngressSettings | undefined {
  if (!flag(env, 'ENABLE_INGRESS', false)) return undefined;
  const ownNamespace = podNamespace(env) || 'default';
  const classes = listSetting(env, 'INGRESS_CLASSES');
  const notFoundName = env['TEMPLATE_404_CONFIG_MAP_NAME']?.trim();
  const publishService = objectKeySetting(env, 'INGRESS_PUBLISH_SERVICE', ownNamespace);
  const publishAddresses = listSetting(env, 'INGRESS_PUBLISH_ADDRESSES');
  if (publishService && publishAddresses.length > 0)
    throw new SettingError('set INGRESS_PUBLISH_SERVICE or INGRESS_PUBLISH_ADDRESSES, not both');
  return {
    classes: classes.length > 0 ? classes : [...DEFAULT_INGRESS_CLASSES],
    ...(notFoundName
      ? {
          notFound: {
            name: notFoundName,
            namespace: env['TEMPLATE_404_CONFIG_MAP_NAMESPACE']?.trim() || ownNamespace,
          },
        }
      : {}),
    ...(publishService ? { publishService } : {}),
    ...(publishAddresses.length > 0 ? { publishAddresses } : {}),
  };
}

/** The kinds that have a controller, as MAX_CONCURRENT_RECONCILES_PER_KIND names them. */
export const CONTROLLED_KINDS = [...KINDS.map((k) => k.kind), 'Ingress'];

/** MAX_CONCURRENT_RECONCILES_PER_KIND: `Kind=N` pairs, comma-separated (e.g. `Subscription=8,ApiV4Definition=16`). */
function concurrencyByKind(env: Env): Record<string, number> {
  const name = 'MAX_CONCURRENT_RECONCILES_PER_KIND';
  const byKind: Record<string, number> = {};
  for (const pair of listSetting(env, name)) {
    const [kind = '', count, ...rest] = pair.split('=').map((p) => p.trim());
    if (!CONTROLLED_KINDS.includes(kind))
      throw new SettingError(
        `${name}: ${kind || pair} is not a kind with a controller (${CONTROLLED_KINDS.join(', ')})`,
      );
    if (!count || rest.length > 0)
      throw new SettingError(`${name}: give ${kind} one number of workers (${kind}=N), not ${pair}`);
    if (kind in byKind) throw new SettingError(`${name}: ${kind} is given twice`);
    if (!/^\d+$/.test(count))
      throw new SettingError(`${name} for ${kind} must be a whole number from 1 to 256, not ${count}`);
    byKind[kind] = integer({ [`${name} for ${kind}`]: count }, `${name} for ${kind}`, 1, 1, 256);
  }
  return byKind;
}

export function loadOperatorConfig(argv: string[], env: Env): OperatorConfig {
  const { controllers, webhook } = components(argv, env);
  if (!controllers && !webhook) throw new SettingError('nothing to run: enable the controllers, the webhook, or both');
  const leaseDurationMs = integer(env, 'LEADER_ELECTION_LEASE_DURATION_SECONDS', 15, 2, 600) * 1000;
  const renewDeadlineMs = integer(env, 'LEADER_ELECTION_RENEW_DEADLINE_SECONDS', 10, 1, 599) * 1000;
  const retryPeriodMs = integer(env, 'LEADER_ELECTION_RETRY_PERIOD_SECONDS', 2, 1, 598) * 1000;
  if (!(retryPeriodMs < renewDeadlineMs && renewDeadlineMs < leaseDurationMs))
    throw new SettingError(
      'leader election needs LEADER_ELECTION_RETRY_PERIOD_SECONDS < LEADER_ELECTION_RENEW_DEADLINE_SECONDS < LEADER_ELECTION_LEASE_DURATION_SECONDS',
    );
  const proxyOptions = proxy(env);
  const ingress = controllers ? ingressSettings(env) : undefined;
  return {
    controllers,
    webhook,
    namespaces: listSetting(env, 'NAMESPACE'),
    maxConcurrentReconciles: integer(env, 'MAX_CONCURRENT_RECONCILES', 4, 1, 256),
    concurrencyByKind: concurrencyByKind(env),
    ...(flag(env, 'ENABLE_LEADER_ELECTION', false)
      ? {
          leaderElection: {
            namespace: env['LEADER_ELECTION_NAMESPACE'] || podNamespace(env) || 'default',
            name: env['LEADER_ELECTION_ID'] || DEFAULT_LEASE_NAME,
            identity: env['POD_NAME'] || `${hostname()}-${process.pid}`,
            leaseDurationMs,
            renewDeadlineMs,
            retryPeriodMs,
          },
        }
      : {}),
    metricsPort: integer(env, 'METRICS_PORT', 8080, 0, 65535),
    probesPort: integer(env, 'PROBES_PORT', 8081, 0, 65535),
    host: env['OPS_HOST'] || '0.0.0.0',
    templating: flag(env, 'ENABLE_TEMPLATING', true),
    // Upstream's switch turns the periodic repair off altogether.
    driftPeriodMs: flag(env, 'ENABLE_DRIFT_DETECTION', true)
      ? integer(env, 'DRIFT_REPAIR_PERIOD_SECONDS', 600, 0, 7 * 24 * 3600) * 1000
      : 0,
    resyncPeriodMs: integer(env, 'RESYNC_PERIOD_SECONDS', 600, 0, 7 * 24 * 3600) * 1000,
    apim: {
      timeoutMs: integer(env, 'HTTP_CLIENT_TIMEOUT_SECONDS', 5, 1, 300) * 1000,
      maxConcurrency: integer(env, 'HTTP_CLIENT_MAX_CONCURRENCY', 8, 1, 256),
      insecureSkipVerify: flag(env, 'HTTP_CLIENT_INSECURE_SKIP_CERT_VERIFY', false),
      ...(env['HTTP_CLIENT_TRUSTSTORE_PATH'] ? { caBundleFile: env['HTTP_CLIENT_TRUSTSTORE_PATH'] } : {}),
      ...(proxyOptions ? { proxy: proxyOptions } : {}),
    },
    logLevel: env['LOGS_LEVEL'] ?? 'info',
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_SECONDS', 20, 1, 600) * 1000,
    cacheSyncTimeoutMs: integer(env, 'CACHE_SYNC_TIMEOUT_SECONDS', 120, 5, 3600) * 1000,
    applyCrds: flag(env, 'APPLY_CRDS', false),
    ...(ingress ? { ingress } : {}),
  };
}
