import { readFile } from 'node:fs/promises';
import type { ClientCredentials, ClusterPkiFiles } from './cluster-pki.ts';
import { freePorts } from './ports.ts';
import { get } from './probe.ts';
import { startProcess, waitUntilReady, type ManagedProcess } from './processes.ts';
import type { Run } from './run-registry.ts';

/** Service ClusterIPs of a cluster without node: nothing connects to them. */
export const SERVICE_CIDR = '10.0.0.0/24';

export interface KubeApiserver {
  process: ManagedProcess;
  url: string;
}

/** What an API server needs for pods to run on a node (see node/cluster.ts). */
export interface NodeSupport {
  /** The API server's client certificate towards kubelets (logs, exec), signed by the cluster CA. */
  kubeletClientCert: string;
  kubeletClientKey: string;
  /** A range of its own: this machine routes each cluster's Service addresses to its own pods. */
  serviceCidr: string;
}

export async function startKubeApiserver(
  run: Run,
  options: {
    binary: string;
    etcdUrl: string;
    pki: ClusterPkiFiles;
    admin: ClientCredentials;
    timeoutMs?: number;
    node?: NodeSupport;
    /** The port of an earlier run, for a restart that clients must not notice but as an outage. */
    port?: number;
  },
): Promise<KubeApiserver> {
  const port = options.port ?? ((await freePorts(1)) as [number])[0];
  const url = `https://127.0.0.1:${port}`;
  const { pki } = options;
  const process = await startProcess(run, {
    name: 'kube-apiserver',
    binary: options.binary,
    // Webhooks of the tests listen on loopback: never through a proxy the machine may have.
    env: { NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' },
    args: [
      `--etcd-servers=${options.etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${port}`,
      `--tls-cert-file=${pki.apiserverCert}`,
      `--tls-private-key-file=${pki.apiserverKey}`,
      `--client-ca-file=${pki.caCert}`,
      ...(options.node ? nodeArgs(options.node, pki) : ['--authorization-mode=RBAC']),
      `--service-account-issuer=${url}`,
      `--service-account-key-file=${pki.serviceAccountPublicKey}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      `--service-cluster-ip-range=${options.node?.serviceCidr ?? SERVICE_CIDR}`,
      '--allow-privileged=true',
      // Without a node, no controller creates service accounts: Pods must not wait for their tokens.
      ...(options.node ? [] : ['--disable-admission-plugins=ServiceAccount']),
      '--profiling=false',
      '--v=1',
    ],
  });
  const tls = { ca: await readFile(pki.caCert, 'utf8'), cert: options.admin.certPem, key: options.admin.keyPem };
  await waitUntilReady(
    process,
    async () => {
      if ((await get(`${url}/readyz`, tls)).status !== 200) return false;
      // The bootstrap controller creates the default namespace shortly after the server is ready.
      return (await get(`${url}/api/v1/namespaces/default`, tls)).status === 200;
    },
    options.timeoutMs ?? 90_000,
  );
  return { process, url };
}

function nodeArgs(node: NodeSupport, pki: ClusterPkiFiles): string[] {
  return [
    // The Node authorizer lets a kubelet read what its pods need (secrets, config maps, tokens).
    '--authorization-mode=Node,RBAC',
    '--enable-admission-plugins=NodeRestriction',
    `--kubelet-client-certificate=${node.kubeletClientCert}`,
    `--kubelet-client-key=${node.kubeletClientKey}`,
    `--kubelet-certificate-authority=${pki.caCert}`,
    // The node's only address is its host name, which resolves to loopback.
    '--kubelet-preferred-address-types=Hostname,InternalIP',
  ];
}
