// The admission webhook's HTTPS server: AdmissionReview in, AdmissionReview out, for every route the
// registry declares. It answers even when something goes wrong (a malformed review gets a 400, a
// rule that fails or overruns its deadline gets a denial that says so), never crashes on input.
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import express, { type NextFunction, type Request, type Response } from 'express';
import { GROUP } from '@gko/api';
import { withApimDeadline } from '@gko/mapi';
import type { Logger } from '@gko/runtime';
import { handleAdmission, type WebhookMode } from '../admission/handle.ts';
import { parseAdmissionReview, reviewResponse, type AdmissionRequest, type Verdict } from '../admission/review.ts';
import { webhookPath } from '../paths.ts';
import { ADMISSIONS } from '../registry.ts';
import type { LookupSource } from '../rules/rule.ts';
import type { WebhookMetrics } from './metrics.ts';
import { readKeyPair, watchKeyPair, type TlsFiles } from './tls.ts';

/** AdmissionReviews carry the object and the old object; large APIs run to megabytes. */
export const BODY_LIMIT_BYTES = 8 * 1024 * 1024;

class BodyTooLarge extends Error {}

/** Reads a JSON body: no more than the limit, whatever the content type says. */
async function readJson(req: Request): Promise<unknown> {
  // Decoded as it comes: no second copy of a large body in native memory.
  const decoder = new StringDecoder('utf8');
  const parts: string[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT_BYTES) throw new BodyTooLarge();
    parts.push(decoder.write(chunk));
  }
  parts.push(decoder.end());
  return JSON.parse(parts.join(''));
}

export interface WebhookServerOptions {
  port: number;
  host: string;
  tls: TlsFiles;
  lookups: LookupSource;
  logger: Logger;
  metrics: WebhookMetrics;
  /** Time left to answer a request; kept under the configuration's timeoutSeconds. */
  deadlineMs: number;
  ready: () => boolean;
  /** PEM file of the CA that signs kube-apiserver's client certificate: when set, callers must present one. */
  clientCaFile?: string;
}

export interface WebhookServer {
  port: number;
  /**
   * Goes on answering for drainMs (requests keep coming until the endpoints are updated), then stops
   * accepting requests and waits (up to graceMs) for those in flight.
   */
  close(graceMs?: number, drainMs?: number): Promise<void>;
}

/** Kept from the APIM calls of a request for everything else it does. */
const APIM_MARGIN_MS = 2_000;

class DeadlineExceeded extends Error {}

/** Runs the work with a deadline; when it passes, what the work still waits for is aborted. */
function withDeadline<T>(work: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>(
    (_, reject) =>
      (timer = setTimeout(() => {
        abort.abort();
        reject(new DeadlineExceeded());
      }, ms)),
  );
  return Promise.race([work(abort.signal), deadline]).finally(() => clearTimeout(timer));
}

export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const { logger, metrics } = options;
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => void res.type('text').send('ok'));
  app.get(
    '/readyz',
    (_req, res) =>
      void res
        .status(options.ready() ? 200 : 503)
        .type('text')
        .send(options.ready() ? 'ready' : 'not ready'),
  );

  const answer = async (mode: WebhookMode, request: AdmissionRequest): Promise<Verdict> => {
    const subject = `${request.kind.kind} ${request.namespace}/${request.name}`;
    try {
      // APIM gets what is left of the deadline, less a margin to answer in: a hanging APIM costs a
      // warning (the rules' answer to a timeout), never the whole request.
      const apimDeadline = Date.now() + Math.max(options.deadlineMs - APIM_MARGIN_MS, options.deadlineMs / 2);
      return await withDeadline(
        (signal) =>
          withApimDeadline({ at: apimDeadline, signal }, () => handleAdmission(mode, request, options.lookups, signal)),
        options.deadlineMs,
      );
    } catch (error) {
      if (error instanceof DeadlineExceeded) {
        logger.warn('admission did not finish in time', {
          mode,
          kind: request.kind.kind,
          namespace: request.namespace,
          name: request.name,
          deadlineMs: options.deadlineMs,
        });
        return {
          allowed: false,
          code: 504,
          message: `${subject}: the checks did not finish within ${options.deadlineMs} ms; try again`,
        };
      }
      logger.error('admission failed', {
        mode,
        kind: request.kind.kind,
        namespace: request.namespace,
        name: request.name,
        error,
      });
      return {
        allowed: false,
        code: 500,
        message: `${subject}: the webhook could not check it: ${(error as Error).message}`,
      };
    }
  };

  for (const admission of ADMISSIONS) {
    const modes: WebhookMode[] = admission.mutate ? ['validate', 'mutate'] : ['validate'];
    for (const mode of modes) {
      app.post(webhookPath(mode, admission.kind), async (req: Request, res: Response) => {
        const refuse = (status: number, reason: string, error: string) => {
          metrics.refused.inc({ reason });
          res.status(status).json({ error });
        };
        let body: unknown;
        try {
          body = await readJson(req);
        } catch (error) {
          if (error instanceof BodyTooLarge)
            return refuse(413, 'body_too_large', `the request is larger than ${BODY_LIMIT_BYTES} bytes`);
          return refuse(400, 'not_json', 'the body is not JSON');
        }
        const parsed = parseAdmissionReview(body);
        if (!parsed.ok) return refuse(400, 'not_admission_review', `not a valid AdmissionReview: ${parsed.error}`);
        const { request } = parsed;
        // Only what this path was registered for: the kind of the request must be the path's.
        if (request.kind.kind !== admission.kind || request.kind.group !== GROUP)
          return refuse(400, 'wrong_kind', `this path only takes ${admission.kind} of ${GROUP}`);
        const stop = metrics.duration.startTimer({ kind: admission.kind, mode });
        void answer(mode, request).then((verdict) => {
          stop();
          metrics.requests.inc({
            kind: admission.kind,
            operation: request.operation,
            mode,
            allowed: String(verdict.allowed),
          });
          logger.debug('admission', {
            mode,
            kind: request.kind.kind,
            operation: request.operation,
            namespace: request.namespace,
            name: request.name,
            allowed: verdict.allowed,
            dryRun: request.dryRun,
          });
          res.json(reviewResponse(request.uid, verdict));
        });
      });
    }
  }
  app.use((req, res) => void res.status(404).json({ error: `no webhook at ${req.method} ${req.path}` }));
  app.use(
    (_error: Error, _req: Request, res: Response, _next: NextFunction) =>
      void res.status(500).json({ error: 'unexpected error' }),
  );

  // With a client CA, only callers presenting a certificate it signed (kube-apiserver) get an answer.
  const clientAuth = options.clientCaFile
    ? { ca: await readFile(options.clientCaFile, 'utf8'), requestCert: true, rejectUnauthorized: true }
    : {};
  const server: Server = createServer({ ...(await readKeyPair(options.tls)), ...clientAuth }, app);
  const stopWatching = watchKeyPair(
    options.tls,
    (pair) => {
      // A new context is built from what is given: the client CA must come along.
      server.setSecureContext({ ...pair, ...('ca' in clientAuth ? { ca: clientAuth.ca } : {}) });
      logger.info('serving certificate reloaded', { certFile: options.tls.certFile });
    },
    logger,
  );
  server.keepAliveTimeout = 60_000;
  server.listen(options.port, options.host);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  logger.info('webhook listening', { host: options.host, port });

  return {
    port,
    async close(graceMs = 10_000, drainMs = 0) {
      if (drainMs > 0) {
        logger.info('draining: answering until the endpoints are updated', { drainMs });
        await sleep(drainMs);
      }
      stopWatching();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}
