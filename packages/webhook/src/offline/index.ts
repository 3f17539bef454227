// Checking manifests without the webhook server: the same rules, from the objects of a set. Its own
// entry point, so that the webhook program does not load the schema validator.
export {
  checkManifests,
  ofGraviteeGroup,
  referencedObjects,
  type CheckOptions,
  type FindingSource,
  type ObjectReport,
  type ReportedFinding,
} from './check.ts';
export type { KubeObject } from '../rules/rule.ts';
