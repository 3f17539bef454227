// A real control plane for tests and the local demo: etcd + kube-apiserver (TLS, client-certificate
// admin, RBAC on), with kube-controller-manager on request.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { controlPlaneBinaries, type ControlPlaneBinaries } from '../control-plane/binaries.ts';
import { createClusterPki, issueClientCertificate, pkiFiles, type ClusterPkiFiles } from './cluster-pki.ts';
import { startEtcd } from './etcd.ts';
import { startKubeApiserver } from './kube-apiserver.ts';
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
  stop(): Promise<void>;
}

export async function startControlPlane(): Promise<ControlPlane> {
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
    const pki = await createClusterPki(run.dir);
    const admin = await issueClientCertificate(pki, 'admin', ['system:masters']);
    const etcd = await startEtcd(run, binaries.etcd);
    started.push(etcd.process);
    const apiserver = await startKubeApiserver(run, {
      binary: binaries['kube-apiserver'],
      etcdUrl: etcd.clientUrl,
      pki,
      admin,
    });
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
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
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
