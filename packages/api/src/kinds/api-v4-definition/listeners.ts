// Listeners stay open objects (unknown fields are kept, as plugins add their own), but the fields
// every listener type shares are typed so that mistakes in them are caught.
import { array, boolean, freeForm, integer, named, object, required, string, type Schema } from '../../schema/index.ts';

const open = (schema: Schema): Schema => ({ ...schema, 'x-kubernetes-preserve-unknown-fields': true });

const entrypoint = named(
  'V4Entrypoint',
  open(
    object('A protocol the listener accepts, served by an entrypoint plugin.', {
      type: required(string('Entrypoint plugin, for example http-proxy, sse, webhook, mcp or native-kafka.')),
      qos: string('Quality of service of message entrypoints: NONE, AUTO, AT_MOST_ONCE or AT_LEAST_ONCE.'),
      dlq: object('Dead letter queue of the entrypoint.', {
        endpoint: string('Endpoint (or endpoint group) that receives the messages that could not be delivered.'),
      }),
      configuration: freeForm('Configuration of the entrypoint plugin.'),
    }),
  ),
);

export const listener = named(
  'V4Listener',
  open(
    object('How clients reach the API. The type says which other fields apply.', {
      type: required(string('HTTP (paths), SUBSCRIPTION (push plans), TCP (hosts) or KAFKA (host and port).')),
      paths: array(
        'HTTP listeners: where clients call the API.',
        open(
          object('An entrypoint path.', {
            host: string('Host name clients use; any host when left out.'),
            path: required(string('Context path, for example /orders.')),
            overrideAccess: boolean('Whether this path is used to build the URL shown in the portal.'),
          }),
        ),
      ),
      pathMappings: array('HTTP listeners: path patterns used to group analytics.', string('A path mapping.')),
      entrypoints: array('Entrypoints of the listener.', entrypoint),
      servers: array('Ids of the gateway servers the listener is bound to.', string('A server id.')),
      hosts: array('TCP listeners: SNI host names the API answers to.', string('A host name.')),
      host: string('KAFKA listeners: host name the API answers to.'),
      port: integer('KAFKA listeners: port of the API.'),
    }),
  ),
);
