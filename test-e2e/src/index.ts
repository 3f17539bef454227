export {
  startControlPlane,
  startControllerManager,
  writeUserKubeconfig,
  type ControlPlane,
  type ControlPlaneInfo,
} from './control-plane.ts';
export { kubectl, kubectlOk, type KubectlResult, type KubectlTarget } from './kubectl.ts';
export { reapStaleRuns, runsRoot } from './run-registry.ts';
export type { ManagedProcess } from './processes.ts';
export {
  apply,
  createNamespace,
  crdsDir,
  deleteNamespace,
  getObject,
  installCrds,
  missingFields,
  patchStatus,
  repoRoot,
} from './resources.ts';
export { WEBHOOK_LABEL, retryUntil, startWebhook, type RunningWebhook } from './webhook.ts';
export { EXAMPLE_USER, EXAMPLE_WAVES, exampleWave, type ExampleObject } from './examples.ts';
export { operatorUser, startOperator, waitReady, type RunningOperator } from './operator.ts';
export { buildJavaScript, programArgs, type ProgramForm } from './programs.ts';
export {
  NODE_NAME,
  startCluster,
  waitForServiceAccount,
  type Cluster,
  type ClusterInfo,
  type ClusterOptions,
} from './node/cluster.ts';
export { loadImage } from './node/images.ts';
export { routeService } from './node/services.ts';
export { scratchImage, type ScratchImage, type ScratchImageSpec } from './node/scratch-image.ts';
export { leftovers, runFootprint, type RunFootprint } from './node/footprint.ts';
export { metricValue } from './probe.ts';
