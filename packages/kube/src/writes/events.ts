// Kubernetes Events (events.k8s.io/v1) for what a user should see in `kubectl describe`. Repeats of
// the same event on the same object are folded into one Event whose series count grows, so a failing
// object retried with backoff does not flood the namespace. Recording is best effort: a lost event
// must never fail a reconcile.
import type { KubernetesObject } from '@kubernetes/client-node';
import { silentLogger, type Logger } from '@gko/runtime';
import { apiRequest } from '../client/api-request.ts';
import type { KubeConnection } from '../client/connection.ts';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  /** `reason` is a CamelCase word (e.g. UpdateSucceeded); `note` a sentence for people. */
  record(object: KubernetesObject, type: EventType, reason: string, note: string, action?: string): Promise<void>;
}

export interface EventRecorderOptions {
  /** reportingController, e.g. gravitee.io/operator. */
  controller: string;
  /** reportingInstance: this process (pod name). */
  instance: string;
  logger?: Logger;
  /** Repeats within this window update the series of the first Event instead of creating one. */
  seriesWindowMs?: number;
  now?: () => Date;
}

interface Recent {
  name: string;
  namespace: string;
  count: number;
  firstSeen: number;
}

const MAX_NOTE = 1024;
const MAX_REMEMBERED = 4096;

const microTime = (date: Date) => date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export function createEventRecorder(connection: KubeConnection, options: EventRecorderOptions): EventRecorder {
  const logger = options.logger ?? silentLogger;
  const windowMs = options.seriesWindowMs ?? 10 * 60_000;
  const now = options.now ?? (() => new Date());
  const recent = new Map<string, Recent>();
  let sequence = 0;

  return {
    async record(object, type, reason, note, action = 'Reconcile') {
      const metadata = object.metadata ?? {};
      const namespace = metadata.namespace ?? 'default';
      const text = note.length > MAX_NOTE ? `${note.slice(0, MAX_NOTE - 1)}…` : note;
      const key = `${metadata.uid ?? `${namespace}/${metadata.name}`}|${type}|${reason}|${text}`;
      const at = now();
      try {
        const seen = recent.get(key);
        if (seen && at.getTime() - seen.firstSeen < windowMs) {
          seen.count++;
          await apiRequest(connection, {
            method: 'PATCH',
            path: `/apis/events.k8s.io/v1/namespaces/${encodeURIComponent(seen.namespace)}/events/${encodeURIComponent(seen.name)}`,
            body: { series: { count: seen.count, lastObservedTime: microTime(at) } },
            contentType: 'application/merge-patch+json',
            timeoutMs: 5_000,
          });
          return;
        }
        const created = await apiRequest<{ metadata: { name: string } }>(connection, {
          method: 'POST',
          path: `/apis/events.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/events`,
          body: {
            apiVersion: 'events.k8s.io/v1',
            kind: 'Event',
            // As client-go names events: the object's name and the time in hexadecimal nanoseconds.
            metadata: {
              name: `${metadata.name ?? 'object'}.${(BigInt(at.getTime()) * 1_000_000n + BigInt(sequence++ % 1_000_000)).toString(16)}`,
              namespace,
            },
            eventTime: microTime(at),
            reportingController: options.controller,
            reportingInstance: options.instance,
            action,
            reason,
            note: text,
            type,
            regarding: {
              apiVersion: object.apiVersion,
              kind: object.kind,
              namespace,
              name: metadata.name,
              uid: metadata.uid,
              resourceVersion: metadata.resourceVersion,
            },
          },
          timeoutMs: 5_000,
        });
        if (recent.size >= MAX_REMEMBERED) recent.delete(recent.keys().next().value!);
        recent.set(key, { name: created.metadata.name, namespace, count: 1, firstSeen: at.getTime() });
      } catch (error) {
        recent.delete(key);
        logger.warn('could not record an event', { reason, object: `${namespace}/${metadata.name}`, error });
      }
    },
  };
}
