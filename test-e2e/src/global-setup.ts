// vitest global setup for the end-to-end project: one control plane for the whole run.
import type { TestProject } from 'vitest/node';
import { startControlPlane, type ControlPlaneInfo } from './control-plane.ts';
import { buildJavaScript } from './programs.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    controlPlane: ControlPlaneInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Some suites run the programs as they ship: built as JavaScript.
  await buildJavaScript();
  const controlPlane = await startControlPlane();
  project.provide('controlPlane', controlPlane.info);
  return () => controlPlane.stop();
}
