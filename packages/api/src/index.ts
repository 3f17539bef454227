export { API_VERSION, CATEGORY, GROUP, VERSION, isGraviteeObject, type TypeMeta } from './group.ts';
export {
  referenceKey,
  resolveReference,
  sameReference,
  type ObjectReference,
  type ResolvedReference,
} from './references.ts';
