export { API_VERSION, CATEGORY, GROUP, VERSION, isGraviteeObject, type TypeMeta } from './group.ts';
export {
  referenceKey,
  resolveReference,
  sameReference,
  type ObjectReference,
  type ResolvedReference,
} from './references.ts';
export {
  READ_GRANT_ANNOTATION,
  grantsReadTo,
  refusedReferences,
  unreadableDetail,
  unreadableMessage,
} from './namespace-grants.ts';
export { KINDS, kindDefinition, type KindName } from './registry.ts';
export {
  DELETION_POLICY_ANNOTATION,
  DRIFT_ANNOTATION,
  KINDS_WITHOUT_OWN_COPY,
  RECONCILE_ANNOTATION,
  managementPolicies,
  onlyPoliciesChanged,
  type ManagementPolicies,
  type PolicyProblem,
} from './policies.ts';
export { kindFolder, type KindDefinition, type PrinterColumn } from './kinds/kind.ts';
export { CONDITION_TYPES } from './fragments/status.ts';
export { API_V4_TYPES } from './kinds/api-v4-definition/index.ts';
// The validator (ajv, CEL) and the CRD builder are their own entry points (`@gko/api/validation`,
// `@gko/api/crd`): the programs do not need them, and they are heavy to load.
export type * from './generated/types.ts';
export {
  compileTemplates,
  hasTemplates,
  templateReferences,
  type TemplateProblem,
  type TemplateReference,
  type TemplateSource,
} from './templating/templates.ts';
export {
  DEPENDS_ON_INDEX,
  dependencyKey,
  dependsOnValues,
  objectDependencies,
  objectReferences,
  v4Steps,
  type Dependency,
  type StepAt,
} from './dependencies/object-references.ts';
export {
  DEFAULT_INGRESS_CLASSES,
  EXTENDS_ANNOTATION,
  EXTENDS_INGRESS,
  GENERATED_FROM_TEMPLATE_ANNOTATION,
  INGRESS_CLASS_ANNOTATION,
  INGRESS_CONTROLLER_NAME,
  TEMPLATE_ANNOTATION,
  ingressClassOf,
  isHandledIngress,
  isIngressTemplate,
  templateNameOf,
  type IngressLike,
} from './ingress/ingress.ts';
