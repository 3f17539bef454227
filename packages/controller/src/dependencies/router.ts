// When an object changes, the objects that depend on it must be synchronised again: the APIs of a
// context whose URL or Secret changed, the APIs inlining a changed ApiResource, the APIs of a
// Notification whose group changed... The router follows the dependsOn index transitively and
// enqueues every user that has a controller. Status-only updates of our kinds (and periodic replays
// of the cache) change nothing their users read, and are not routed.
import { READ_GRANT_ANNOTATION } from '@gko/api';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { InformerEvent } from '@gko/kube';
import { stableHash } from '@gko/runtime';
import { countedBy } from './counters.ts';
import type { CacheReader } from '../reconcile/contract.ts';
import { directUsers, idOf, type ObjectId } from './users.ts';

/**
 * What of an object its users read; an update that leaves it unchanged is not routed. Besides the
 * spec (generation), the APIM ids in its status (APIs refer to shared policy groups by their ids, and
 * a subscription waits until its API, plan and application exist in APIM), whether what users wait
 * for is Ready (a user waiting quietly for it says so once it fails) and its read grant.
 */
/** The kinds an object may wait for on their way to APIM (see notInApimYet). */
const WAITED_ON = new Set(['ApiDefinition', 'ApiV4Definition', 'Application', 'Portal']);

function relevantVersion(object: KubernetesObject): string {
  const status = (
    object as {
      status?: {
        crossId?: string;
        id?: string;
        plans?: unknown;
        conditions?: { type: string; status: string; observedGeneration?: number }[];
      };
    }
  ).status;
  // Only for what users wait on (an API, its plans, an application): a context whose APIM comes and
  // goes must not wake every object that uses it.
  const ready = WAITED_ON.has(object.kind ?? '') ? status?.conditions?.find((c) => c.type === 'Ready') : undefined;
  // The namespaces allowed to refer to it are in an annotation, which moves no generation.
  const grant = object.metadata?.annotations?.[READ_GRANT_ANNOTATION] ?? '';
  return `${object.metadata?.generation}|${status?.id}|${status?.crossId}|${stableHash(status?.plans ?? null)}|${ready?.status}@${ready?.observedGeneration}|${grant}`;
}

export class DependencyRouter {
  private readonly cache: CacheReader;
  private readonly enqueue: (user: ObjectId) => void;
  private readonly seen = new Map<string, string>();

  constructor(cache: CacheReader, enqueue: (user: ObjectId) => void) {
    this.cache = cache;
    this.enqueue = enqueue;
  }

  onChange(object: KubernetesObject, event: InformerEvent): void {
    if (event === 'resync') return;
    const id = idOf(object);
    const key = `${id.kind}/${id.namespace}/${id.name}`;
    // Any event of a Secret or ConfigMap is a change of its data (they have no status).
    const plain = id.kind === 'Secret' || id.kind === 'ConfigMap';
    if (event === 'delete') this.seen.delete(key);
    else if (!plain) {
      const version = relevantVersion(object);
      const previous = this.seen.get(key);
      this.seen.set(key, version);
      if (event === 'update' && previous === version) return;
    }
    this.route(id, new Set([key]));
    // A subscription that comes or goes changes the counters of its API and application.
    if (id.kind === 'Subscription' && (event !== 'update' || object.metadata?.deletionTimestamp))
      for (const target of countedBy(object)) this.enqueue(target);
  }

  /** Breadth first, each object once: every transitive user is reached, whatever the order of the index. */
  private route(target: ObjectId, visited: Set<string>): void {
    let level = [target];
    while (level.length > 0) {
      const next: ObjectId[] = [];
      for (const dependency of level) {
        for (const user of directUsers(this.cache, dependency)) {
          const id = idOf(user);
          const key = `${id.kind}/${id.namespace}/${id.name}`;
          if (visited.has(key)) continue;
          visited.add(key);
          this.enqueue(id);
          next.push(id);
        }
      }
      level = next;
    }
  }
}
