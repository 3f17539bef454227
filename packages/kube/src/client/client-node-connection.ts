// A kubeconfig whose user runs a command (exec: cloud CLIs, kubelogin) or an auth provider (OIDC,
// legacy cloud plugins), or whose cluster is reached through a proxy: the client library knows all of
// them. It is imported here only, and only then, for the memory it costs (its generated API, some
// 80 MiB resident): every other user pays nothing for it.
import { Agent, type Dispatcher } from 'undici';
import type { KubeConnection } from './connection.ts';

export async function clientNodeConnection(file: string): Promise<KubeConnection> {
  const { HttpMethod, KubeConfig, RequestContext } = await import('@kubernetes/client-node');
  const config = new KubeConfig();
  config.loadFromFile(file);
  const cluster = config.getCurrentCluster();
  if (!cluster?.server) throw new Error(`kubeconfig ${file}: the current context has no cluster with a server`);
  const server = cluster.server.replace(/\/+$/, '');

  // The library authenticates a request context: it fills its headers (running the command, or
  // refreshing the provider's token, when the one it caches is due) and gives it a new dispatcher.
  const authenticated = async () => {
    const context = new RequestContext(server, HttpMethod.GET);
    await config.applySecurityAuthentication(context);
    return context;
  };
  const discard = (dispatcher: Dispatcher | undefined) => void dispatcher?.close().catch(() => {});

  // The first dispatcher is kept for every request, so that connections are kept alive.
  const dispatcher = (await authenticated()).getDispatcher() ?? new Agent();
  return {
    server,
    dispatcher,
    async headers() {
      const context = await authenticated();
      discard(context.getDispatcher());
      return { ...context.getHeaders() };
    },
    close: () => dispatcher.close(),
  };
}
