// The checks kube-apiserver makes on the name and namespace of every object.
import type { FieldError } from './field-error.ts';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function metadataErrors(metadata: unknown): FieldError[] {
  if (metadata === undefined || metadata === null || typeof metadata !== 'object') {
    return [{ path: 'metadata.name', type: 'Required', detail: 'name or generateName is required' }];
  }
  const { name, generateName, namespace } = metadata as Record<string, unknown>;
  const errors: FieldError[] = [];
  if (typeof name === 'string' && name !== '') {
    if (name.length > 253 || !SUBDOMAIN.test(name)) {
      errors.push({
        path: 'metadata.name',
        type: 'Invalid',
        detail: `${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      });
    }
  } else if (typeof generateName !== 'string' || generateName === '') {
    errors.push({ path: 'metadata.name', type: 'Required', detail: 'name or generateName is required' });
  }
  if (typeof namespace === 'string' && namespace !== '' && (namespace.length > 63 || !LABEL.test(namespace))) {
    errors.push({
      path: 'metadata.namespace',
      type: 'Invalid',
      detail: `${JSON.stringify(namespace)}: must be a lowercase RFC 1123 label`,
    });
  }
  return errors;
}
