import { headerMap, httpClientOptions, sslOptions, v4EndpointService } from '../../fragments/endpoints.ts';
import { array, boolean, enumeration, freeForm, integer, named, object, required, string } from '../../schema/index.ts';

const endpoint = named(
  'V4Endpoint',
  object('A backend, reached through an endpoint plugin.', {
    name: string('Name of the endpoint, unique in the API.'),
    type: required(string('Endpoint plugin, for example http-proxy, kafka, mock, llm-proxy or native-kafka.')),
    inheritConfiguration: required(boolean("Whether the endpoint uses its group's shared configuration.")),
    configuration: freeForm('Configuration of the endpoint plugin, for example its target URL.'),
    sharedConfigurationOverride: freeForm('Shared configuration values that replace the group ones for this endpoint.'),
    weight: integer('Share of traffic sent to this endpoint by weighted load balancing.', { format: 'int32' }),
    secondary: boolean('Whether the endpoint is only used when the others fail.', { default: false }),
    tenants: array('Tenants the endpoint serves.', string('A tenant.'), { default: [] }),
    services: object('Services run for this endpoint.', { healthCheck: v4EndpointService }),
  }),
);

export const endpointGroup = named(
  'V4EndpointGroup',
  object('Endpoints of one type, load-balanced together.', {
    name: required(string('Name of the group, unique in the API.')),
    type: string('Endpoint plugin of the endpoints of the group.'),
    loadBalancer: object('How requests are spread over the endpoints.', {
      type: required(
        enumeration(['ROUND_ROBIN', 'RANDOM', 'WEIGHTED_ROUND_ROBIN', 'WEIGHTED_RANDOM'], 'Load-balancing algorithm.', {
          default: 'ROUND_ROBIN',
        }),
      ),
    }),
    sharedConfiguration: freeForm('Configuration shared by the endpoints of the group.'),
    endpoints: array('Endpoints of the group.', endpoint, { default: [] }),
    services: object('Services run for the endpoints of the group.', {
      discovery: v4EndpointService,
      healthCheck: v4EndpointService,
    }),
    http: httpClientOptions,
    ssl: sslOptions,
    headers: headerMap,
  }),
);
