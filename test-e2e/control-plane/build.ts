// Builds the control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl,
// kubelet, pause) and the cluster tools (Helm, helm-unittest, cert-manager) from our Go modules,
// each once per module state and Go version, one after the other, into the cache folders named by
// cached-build.ts. Usage: node test-e2e/control-plane/build.ts
import { ensureBuilt, pruneUnusedBuilds } from './cached-build.ts';
import { RECIPES } from './recipes.ts';

// One at a time: a Go build already uses every core, and two at once only compete for memory.
for (const recipe of RECIPES) {
  const identity = await recipe.identity();
  const steps = recipe.steps(identity);
  await ensureBuilt(identity, steps);
  await pruneUnusedBuilds(identity);
  console.error(`${steps.label}: ${steps.product} ${identity.version} in ${identity.dir}`);
}
