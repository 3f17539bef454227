// Self-managed webhook certificates, for installs without cert-manager: the CA and serving pair live
// in a Secret that every replica shares (the first to write wins; the others adopt what it wrote),
// each replica serves the pair from its own files (so a new pod never waits for a volume refresh),
// and the caBundle of both webhook configurations follows the Secret's CA bundle.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { apiRequest, getObject, isConflict, SECRETS, type KubeConnection } from '@gko/kube';
import type { Logger } from '@gko/runtime';
import { injectedBundle, renewalReason, renewed, type CertificateData, type CertificatePolicy } from './plan.ts';

export interface SelfManagedCertificateSettings {
  namespace: string;
  secretName: string;
  validatingConfigurationName: string;
  mutatingConfigurationName: string;
  policy: CertificatePolicy;
  /** Where the server reads its pair (see server/tls.ts, which reloads it when it changes). */
  files: { certFile: string; keyFile: string };
  /** How often the Secret and the configurations are checked again. */
  checkEveryMs: number;
}

interface SecretObject {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  data?: Record<string, string>;
  type?: string;
}

interface WebhookConfigurationObject {
  metadata: { resourceVersion?: string };
  webhooks?: { clientConfig?: { caBundle?: string } }[];
}

const KEYS = ['ca', 'ca.key', 'cert', 'key'] as const;
const decode = (secret: SecretObject | undefined): CertificateData =>
  Object.fromEntries(
    KEYS.flatMap((k) => (secret?.data?.[k] ? [[k, Buffer.from(secret.data[k], 'base64').toString('utf8')]] : [])),
  );
const encode = (data: CertificateData): Record<string, string> =>
  Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v as string).toString('base64')]));

async function writeIfChanged(path: string, content: string, mode: number): Promise<boolean> {
  if ((await readFile(path, 'utf8').catch(() => undefined)) === content) return false;
  await mkdir(dirname(path), { recursive: true });
  // Replaced in one step: the server never reads half a file.
  await writeFile(`${path}.tmp`, content, { mode });
  await rename(`${path}.tmp`, path);
  return true;
}

const CONFIGURATION_PATHS = {
  validating: '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations',
  mutating: '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
};

export class SelfManagedCertificates {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly settings: SelfManagedCertificateSettings;
  private readonly connection: KubeConnection;
  private readonly logger: Logger;

  constructor(connection: KubeConnection, settings: SelfManagedCertificateSettings, logger: Logger) {
    this.connection = connection;
    this.settings = settings;
    this.logger = logger;
  }

  /** Brings the Secret, the files and the caBundles in line once; then keeps them so until stopped. */
  async start(): Promise<void> {
    await this.syncWithRetries();
    this.timer = setInterval(() => void this.check(), this.settings.checkEveryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async check(): Promise<void> {
    if (this.running) return;
    this.running = this.sync()
      .catch((error: unknown) =>
        this.logger.warn('cannot check the webhook certificate; trying again later', {
          error: (error as Error).message,
        }),
      )
      .finally(() => (this.running = undefined));
    await this.running;
  }

  private async syncWithRetries(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.sync();
      } catch (error) {
        if (attempt >= 8) throw error;
        this.logger.warn('cannot set up the webhook certificate yet; retrying', {
          attempt,
          error: (error as Error).message,
        });
        await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** attempt, 10_000)));
      }
    }
  }

  private async sync(): Promise<void> {
    const { namespace, secretName, policy, files } = this.settings;
    const key = { namespace, name: secretName };
    const secret = await getObject<SecretObject>(this.connection, SECRETS, key);
    if (!secret)
      throw new Error(
        `the Secret ${namespace}/${secretName} for the webhook certificate does not exist (the chart creates it)`,
      );
    let data = decode(secret);
    const reason = renewalReason(data, new Date(), policy);
    if (reason) {
      const next = await renewed(data, new Date(), policy);
      try {
        await apiRequest(this.connection, {
          method: 'PUT',
          path: `/api/v1/namespaces/${namespace}/secrets/${secretName}`,
          body: { ...secret, data: { ...secret.data, ...encode(next) } },
        });
        this.logger.info('webhook certificate issued', { reason, secret: `${namespace}/${secretName}` });
        data = next;
      } catch (error) {
        // Another replica wrote first: take what it wrote, on the next check (which comes at once).
        if (!isConflict(error)) throw error;
        return this.sync();
      }
    }
    // The API server trusts the CA before any replica serves a certificate it signed.
    await this.injectCaBundle('validating', this.settings.validatingConfigurationName, data.ca!);
    await this.injectCaBundle('mutating', this.settings.mutatingConfigurationName, data.ca!);
    // The key first: until the certificate matches it, the server keeps serving the previous pair.
    const changedKey = await writeIfChanged(files.keyFile, data.key!, 0o600);
    const changedCert = await writeIfChanged(files.certFile, data.cert!, 0o644);
    if (changedKey || changedCert) this.logger.info('serving certificate written', { certFile: files.certFile });
  }

  private async injectCaBundle(type: 'validating' | 'mutating', name: string, secretBundle: string): Promise<void> {
    const path = `${CONFIGURATION_PATHS[type]}/${name}`;
    for (let attempt = 1; ; attempt++) {
      const configuration = await apiRequest<WebhookConfigurationObject>(this.connection, { method: 'GET', path });
      const webhooks = configuration.webhooks ?? [];
      const updates = webhooks.map((w) => {
        const current = w.clientConfig?.caBundle
          ? Buffer.from(w.clientConfig.caBundle, 'base64').toString()
          : undefined;
        return injectedBundle(secretBundle, current, new Date());
      });
      if (updates.every((u) => u === undefined)) return;
      webhooks.forEach((webhook, i) => {
        const bundle = updates[i];
        if (bundle)
          webhook.clientConfig = { ...webhook.clientConfig, caBundle: Buffer.from(bundle).toString('base64') };
      });
      try {
        await apiRequest(this.connection, { method: 'PUT', path, body: configuration });
        this.logger.info('caBundle injected', { configuration: name, type });
        return;
      } catch (error) {
        // Someone else changed it meanwhile: read it again, a few times at most.
        if (!isConflict(error) || attempt >= 5)
          throw new Error(
            `cannot write the caBundle of ${type} webhook configuration ${name}: ${(error as Error).message}`,
            {
              cause: error,
            },
          );
      }
    }
  }
}
