// The example manifests of @gko/api in the order they can be applied: what an object refers to is
// applied before it. Used by the end-to-end suites and by the demo.
import { API_VERSION } from '@gko/api';
import { examples } from '@gko/api/corpus';

/** Contexts and their Secrets, then what APIs use (and portals), then APIs and applications, then what names them. */
export const EXAMPLE_WAVES = [
  ['Secret', 'ConfigMap', 'ManagementContext'],
  ['ApiResource', 'SharedPolicyGroup', 'Group', 'Notification', 'Dictionary', 'Portal'],
  ['ApiDefinition', 'ApiV4Definition', 'Application', 'PortalLink'],
  ['Subscription', 'PortalListing', 'Documentation'],
] as const;

export interface ExampleObject {
  file: string;
  object: Record<string, unknown>;
}

/**
 * The example objects of one wave, with the context the examples share (`apim`) pointed at `apimUrl`
 * (the simulator's URL), and every other context at a local port where nothing listens: no test and
 * no demo ever sends a request off this machine.
 */
export function exampleWave(wave: readonly string[], apimUrl: string): ExampleObject[] {
  const all = examples().flatMap(({ file, objects }) => objects.map((object) => ({ file, object })));
  return all
    .filter(({ object }) => wave.includes(String(object['kind'])))
    .sort((a, b) => wave.indexOf(String(a.object['kind'])) - wave.indexOf(String(b.object['kind'])))
    .map(({ file, object }) => ({ file, object: pointedAt(object, apimUrl) }));
}

/** Where the example contexts other than `apim` point: a port nothing listens on. */
export const UNREACHABLE_APIM = 'http://127.0.0.1:1';

function pointedAt(object: Record<string, unknown>, apimUrl: string): Record<string, unknown> {
  if (object['apiVersion'] !== API_VERSION || object['kind'] !== 'ManagementContext') return object;
  const baseUrl = (object['metadata'] as { name: string }).name === 'apim' ? apimUrl : UNREACHABLE_APIM;
  return { ...object, spec: { ...(object['spec'] as object), baseUrl } };
}

/** The credentials of the `apim` example context, for the simulator to accept. */
export const EXAMPLE_USER = { username: 'platform-bot', password: 'change-me' };
