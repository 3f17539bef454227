// Changes made to stored objects behind the operator's back, as someone in the APIM console would
// make them, so that tests can check that the operator notices drift and repairs it. They act on
// the state directly: they never show in the request log, nor count as requests in flight.
import type { Automation, ManagementV1 } from '@gko/mapi';
import { apiV2Entity } from './kinds/api-entity.ts';
import type { EnvironmentState, SimulatorState } from './state.ts';

/** The kinds that can be edited, each as the operator reads it back. */
export interface EditableObjects {
  /** v4 APIs, by HRID. */
  apis: Automation.ApiV4State;
  /** v2 APIs, by id. */
  v2Apis: ManagementV1.ApiV2Entity;
  applications: Automation.ApplicationState;
  sharedPolicyGroups: Automation.SharedPolicyGroupState;
  groups: Automation.GroupState;
  dictionaries: Automation.DictionaryState;
}

export type EditableKind = keyof EditableObjects;

const KINDS: readonly string[] = [
  'apis',
  'v2Apis',
  'applications',
  'sharedPolicyGroups',
  'groups',
  'dictionaries',
] satisfies EditableKind[];

export const isEditableKind = (kind: string): kind is EditableKind => KINDS.includes(kind);

/** Where the object lives. Default: DEFAULT / DEFAULT. */
export interface EditScope {
  organizationId?: string;
  environmentId?: string;
}

/** A request for an edit that could not happen in APIM; status is what the control route answers. */
export class EditError extends Error {
  readonly status: 400 | 404;

  constructor(message: string, status: 400 | 404) {
    super(message);
    this.name = 'EditError';
    this.status = status;
  }
}

// The console cannot change what identifies an object; letting a test do it would leave an object
// stored under a key that no longer names it.
const IDENTITY = ['id', 'hrid', 'crossId'];

function environmentOf(state: SimulatorState, scope: EditScope): EnvironmentState {
  const organizationId = scope.organizationId ?? 'DEFAULT';
  const environmentId = scope.environmentId ?? 'DEFAULT';
  const env = state.environment(organizationId, environmentId);
  if (!env) throw new EditError(`environment [${organizationId}/${environmentId}] cannot be found`, 404);
  return env;
}

/** A shallow merge; fields the patch sets to undefined are removed. */
function merge<T extends object>(stored: T, patch: object): T {
  const before = new Map(Object.entries(stored));
  for (const [field, value] of Object.entries(patch))
    if (IDENTITY.includes(field) && value !== before.get(field))
      throw new EditError(`the ${field} of an object cannot be edited`, 400);
  const merged = Object.entries({ ...stored, ...patch }).filter(([, value]) => value !== undefined);
  return Object.fromEntries(merged) as T;
}

/** Merges the patch into the stored object; answers the object as read back now, or undefined when absent. */
export function editObject<K extends EditableKind>(
  state: SimulatorState,
  kind: K,
  key: string,
  patch: Partial<EditableObjects[K]>,
  scope: EditScope = {},
): EditableObjects[K] | undefined {
  const env = environmentOf(state, scope);
  if (kind === 'v2Apis') {
    const stored = env.v2Apis.get(key);
    if (!stored) return undefined;
    const definition = merge(stored.definition, patch);
    // Stopping or starting the API in the console changes the state APIM reports.
    const status = 'state' in patch ? { ...stored.status, state: definition.state } : stored.status;
    const edited = { definition, status };
    env.v2Apis.set(key, edited);
    return apiV2Entity(edited) as EditableObjects[K];
  }
  const objects = env[kind] as Map<string, object>;
  const stored = objects.get(key);
  if (!stored) return undefined;
  const edited = merge(stored, patch);
  objects.set(key, edited);
  return edited as EditableObjects[K];
}

/** Deletes the stored object; answers whether there was one. */
export function removeObject(state: SimulatorState, kind: EditableKind, key: string, scope: EditScope = {}): boolean {
  const env = environmentOf(state, scope);
  const removed = env[kind].delete(key);
  // Deleting an API takes its subscriptions with it, as the Automation API's delete does.
  if (removed && kind === 'apis') env.subscriptions.delete(key);
  return removed;
}
