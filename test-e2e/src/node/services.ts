// There is no kube-proxy: the API server (a process on this machine) reaches a Service, e.g. a
// webhook's, through one NAT rule per Service port, from the ClusterIP to the port its pod listens on
// with the host network.
import { setTimeout as sleep } from 'node:timers/promises';
import { kubectlOk, type KubectlTarget } from '../kubectl.ts';
import { addNatRedirect, type NatRedirect } from './iptables.ts';
import { runId } from './paths.ts';

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
}

interface EndpointSlicePort {
  name?: string;
  port?: number;
}

async function namedPort(
  cluster: KubectlTarget,
  namespace: string,
  service: string,
  portName: string,
  timeoutMs: number,
): Promise<number> {
  // A named target port is known once an endpoint exists: the port the selected pod declares.
  for (const deadline = Date.now() + timeoutMs; ; await sleep(200)) {
    const slices = JSON.parse(
      await kubectlOk(cluster, [
        'get',
        'endpointslices',
        '-n',
        namespace,
        '-l',
        `kubernetes.io/service-name=${service}`,
        '-o',
        'json',
      ]),
    ) as { items: { ports?: EndpointSlicePort[] | null }[] };
    const port = slices.items.flatMap((slice) => slice.ports ?? []).find((p) => p.name === portName)?.port;
    if (port) return port;
    if (Date.now() > deadline)
      throw new Error(`service ${namespace}/${service}: no endpoint declares the port named ${portName}`);
  }
}

/**
 * Adds, for each port of the Service, a NAT rule from its ClusterIP and port to the target port on
 * 127.0.0.1, tagged with the cluster's run id (stop() and the reaper remove it). Returns a function
 * that removes the rules earlier.
 */
export async function routeService(
  cluster: KubectlTarget & { runDir: string },
  namespace: string,
  name: string,
  options: { timeoutMs?: number } = {},
): Promise<() => Promise<void>> {
  const service = JSON.parse(await kubectlOk(cluster, ['get', 'service', '-n', namespace, name, '-o', 'json'])) as {
    spec: { clusterIP?: string; ports?: ServicePort[] };
  };
  const clusterIp = service.spec.clusterIP;
  if (!clusterIp || clusterIp === 'None') throw new Error(`service ${namespace}/${name} has no ClusterIP`);
  const removers: (() => Promise<void>)[] = [];
  for (const port of service.spec.ports ?? []) {
    const target = port.targetPort ?? port.port;
    const redirect: NatRedirect = {
      clusterIp,
      port: port.port,
      protocol: port.protocol === 'UDP' ? 'udp' : 'tcp',
      toPort:
        typeof target === 'number'
          ? target
          : await namedPort(cluster, namespace, name, port.name ?? '', options.timeoutMs ?? 60_000),
    };
    removers.push(await addNatRedirect(runId(cluster.runDir), redirect));
  }
  return async () => {
    for (const remove of removers) await remove();
  };
}
