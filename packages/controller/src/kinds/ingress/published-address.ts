// The address clients reach the gateways at, for the status of handled Ingresses (what `kubectl get
// ingress` shows in ADDRESS): fixed addresses from the settings, or those of the gateway Service,
// read every 30 s with one request whatever the number of Ingresses. A change enqueues them all.
import { isIP } from 'node:net';
import { getObject, SERVICES, type KubeConnection } from '@gko/kube';
import type { Logger } from '@gko/runtime';
import type { IngressLoadBalancerIngress } from './ingress.ts';
import type { IngressSettings } from './settings.ts';

const POLL_MS = 30_000;
const READ_TIMEOUT_MS = 5_000;

interface ServiceLike {
  spec?: { type?: string; clusterIP?: string; externalIPs?: string[] };
  status?: { loadBalancer?: { ingress?: IngressLoadBalancerIngress[] } };
}

const asAddress = (value: string): IngressLoadBalancerIngress => (isIP(value) ? { ip: value } : { hostname: value });

/** Where a Service is reached from outside: its load balancer, else its external IPs, else its cluster IP. */
export function serviceAddresses(service: ServiceLike): IngressLoadBalancerIngress[] {
  const balanced = (service.status?.loadBalancer?.ingress ?? []).flatMap((i): IngressLoadBalancerIngress[] =>
    i.ip ? [{ ip: i.ip }] : i.hostname ? [{ hostname: i.hostname }] : [],
  );
  if (balanced.length > 0) return balanced;
  if (service.spec?.externalIPs?.length) return service.spec.externalIPs.map(asAddress);
  const clusterIp = service.spec?.clusterIP;
  return clusterIp && clusterIp !== 'None' ? [asAddress(clusterIp)] : [];
}

export class PublishedAddress {
  private readonly settings: IngressSettings;
  private current: IngressLoadBalancerIngress[] | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();

  constructor(settings: IngressSettings) {
    this.settings = settings;
    if (settings.publishAddresses?.length) this.current = settings.publishAddresses.map(asAddress);
  }

  /** The addresses to publish, or undefined when the status is not this controller's to write. */
  addresses(): IngressLoadBalancerIngress[] | undefined {
    return this.current;
  }

  start(kube: KubeConnection, logger: Logger, onChange: () => void): void {
    const service = this.settings.publishService;
    if (!service || this.timer) return;
    const poll = async () => {
      try {
        const found = (await getObject(kube, SERVICES, service, {
          timeoutMs: READ_TIMEOUT_MS,
          signal: this.abort.signal,
        })) as ServiceLike | undefined;
        const next = found ? serviceAddresses(found) : [];
        if (!found) logger.warn('the gateway Service to publish does not exist', { service });
        if (JSON.stringify(next) !== JSON.stringify(this.current)) {
          this.current = next;
          onChange();
        }
      } catch (error) {
        if (!this.abort.signal.aborted) logger.warn('could not read the gateway Service', { service, error });
      }
      if (!this.abort.signal.aborted) this.timer = setTimeout(() => void poll(), POLL_MS).unref();
    };
    this.timer = setTimeout(() => void poll(), 0).unref();
  }

  stop(): void {
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
  }
}
