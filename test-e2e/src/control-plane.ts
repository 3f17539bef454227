// A real control plane for tests and the local demo: etcd + kube-apiserver (TLS, client-certificate
// admin, RBAC on), with kube-controller-manager on request.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { controlPlaneBinaries, type ControlPlaneBinaries } from '../control-plane/binaries.ts';
import { createClusterPki, issueClientCertificate, pkiFiles, type ClusterPkiFiles } from './cluster-pki.ts';
import { startEtcd } from './etcd.ts';
import { startKubeApiserver, type NodeSupport } from './kube-apiserver.ts';
import { startKubeControllerManager } from './kube-controller-manager.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import type { KubectlTarget } from './kubectl.ts';
import type { ManagedProcess } from './processes.ts';
import { attachRun, openRun, reapStaleRuns } from './run-registry.ts';

/** Everything a test needs to talk to the cluster; plain data, so it can cross to test workers. */
export interface ControlPlaneInfo extends KubectlTarget {
  runDir: string;
  server: string;
  kubernetesVersion: string;
  caPem: string;
  binaries: Omit<ControlPlaneBinaries, 'kubernetesVersion'>;
}

export interface ControlPlane {
  info: ControlPlaneInfo;
  /**
   * Stops kube-apiserver (etcd keeps the data) and starts it again on the same address after
   * `downMs`. With `compact`, etcd is compacted to its latest revision meanwhile, so that every watch
   * resumed from an earlier version is answered 410 Gone.
   */
  restartApiServer(options?: { downMs?: number; compact?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  /** Configure the API server for pods that run on a node (see node/cluster.ts). */
  node?: { serviceCidr: string };
}

export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  // Whatever an interrupted earlier run left behind goes first.
  await reapStaleRuns();
  const { kubernetesVersion, ...binaries } = await controlPlaneBinaries();
  const run = await openRun();
  const started: ManagedProcess[] = [];
  const stop = async () => {
    for (const process of started.reverse()) await process.stop();
    await run.remove();
  };
  try {
    const pki = await createClusterPki(run.dir, options.node && firstAddress(options.node.serviceCidr));
    const admin = await issueClientCertificate(pki, 'admin', ['system:masters']);
    const etcd = await startEtcd(run, binaries.etcd);
    started.push(etcd.process);
    const apiserverOptions = {
      binary: binaries['kube-apiserver'],
      etcdUrl: etcd.clientUrl,
      pki,
      admin,
      ...(options.node ? { node: { ...(await kubeletClientFiles(pki)), serviceCidr: options.node.serviceCidr } } : {}),
    };
    let apiserver = await startKubeApiserver(run, apiserverOptions);
    started.push(apiserver.process);
    const caPem = await readFile(pki.caCert, 'utf8');
    const kubeconfig = join(run.dir, 'admin.kubeconfig');
    await writeKubeconfig(kubeconfig, apiserver.url, caPem, 'admin', admin);
    return {
      info: {
        runDir: run.dir,
        server: apiserver.url,
        kubernetesVersion,
        caPem,
        kubeconfig,
        kubectl: binaries.kubectl,
        binaries,
      },
      async restartApiServer({ downMs = 0, compact = false } = {}) {
        const port = Number(new URL(apiserver.url).port);
        await apiserver.process.stop();
        started.splice(started.indexOf(apiserver.process), 1);
        if (compact) await compactEtcd(etcd.clientUrl);
        await new Promise((resolve) => setTimeout(resolve, downMs));
        apiserver = await startKubeApiserver(run, { ...apiserverOptions, port });
        started.push(apiserver.process);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Compacts etcd's history to its latest revision (through its JSON gateway). */
async function compactEtcd(clientUrl: string): Promise<void> {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${clientUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`etcd ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { header?: { revision?: string } };
  };
  const { header } = await post('/v3/kv/range', { key: Buffer.from('/').toString('base64') });
  await post('/v3/kv/compaction', { revision: header?.revision, physical: true });
}

/** The first address of an IPv4 range: the API server gives it to the kubernetes Service. */
function firstAddress(cidr: string): string {
  const octets = (cidr.split('/')[0] ?? '').split('.').map(Number);
  return [...octets.slice(0, 3), (octets[3] ?? 0) + 1].join('.');
}

/** The API server's client certificate towards kubelets, in the cluster's PKI folder. */
async function kubeletClientFiles(pki: ClusterPkiFiles): Promise<Omit<NodeSupport, 'serviceCidr'>> {
  const credentials = await issueClientCertificate(pki, 'kube-apiserver-kubelet-client', ['system:masters']);
  const files = {
    kubeletClientCert: join(pki.dir, 'apiserver-kubelet-client.crt'),
    kubeletClientKey: join(pki.dir, 'apiserver-kubelet-client.key'),
  };
  await writeFile(files.kubeletClientCert, credentials.certPem);
  await writeFile(files.kubeletClientKey, credentials.keyPem, { mode: 0o600 });
  return files;
}

/**
 * Starts kube-controller-manager against a running control plane, for suites that need garbage
 * collection or namespace deletion. It joins the control plane's run, so an interrupted run cleans
 * it up too; stop it when the suite is done.
 */
export async function startControllerManager(info: ControlPlaneInfo, controllers?: string[]): Promise<ManagedProcess> {
  return startKubeControllerManager(attachRun(info.runDir), {
    binary: info.binaries['kube-controller-manager'],
    kubeconfig: info.kubeconfig,
    pki: pkiFiles(info.runDir),
    ...(controllers ? { controllers } : {}),
  });
}

/** A kubeconfig for another user of the cluster, e.g. to check what a service account may do. */
export async function writeUserKubeconfig(
  info: ControlPlaneInfo,
  user: string,
  groups: string[] = [],
): Promise<string> {
  const pki: ClusterPkiFiles = pkiFiles(info.runDir);
  const credentials = await issueClientCertificate(pki, user, groups);
  const path = join(info.runDir, `${user.replace(/[^a-zA-Z0-9.-]/g, '_')}.kubeconfig`);
  await writeKubeconfig(path, info.server, info.caPem, user, credentials);
  return path;
}
