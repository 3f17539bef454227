// The local-mode ConfigMap of an ApiV4Definition (written when its definitionContext.syncFrom is
// KUBERNETES): the gateway form of the API, flagged as a 4.0.0 definition so that gateways do not
// parse it as a v2 one.
import type { ApiV4Definition } from '@gko/api';
import type { ApiReferences } from '@gko/mapi';
import { localConfigMap, type LocalConfigMap, type LocalDeployment } from '../../local-mode/configmap.ts';
import { GATEWAY_DEFINITION_VERSION, gatewayApiV4 } from './gateway-definition.ts';

export function apiV4LocalConfigMap(
  api: ApiV4Definition,
  refs: ApiReferences,
  deployment: LocalDeployment,
): LocalConfigMap {
  return localConfigMap(
    api,
    { definition: gatewayApiV4(api, refs, deployment), apiDefinitionVersion: GATEWAY_DEFINITION_VERSION },
    deployment,
  );
}
