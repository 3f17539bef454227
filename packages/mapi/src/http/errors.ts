// One error type for everything that goes wrong talking to APIM: it says what was called, what came
// back, and whether trying again can help. Its message never carries a credential.

/**
 * busy: not sent, because too many calls to this APIM were already waiting. refused: not sent, because
 * the client only reads (a preview) and the call would change something.
 */
export type ApimErrorKind = 'http' | 'network' | 'timeout' | 'busy' | 'refused';

export interface ApimErrorDetails {
  kind: ApimErrorKind;
  method: string;
  url: string;
  status?: number;
  /** APIM's own message, when it sent one. */
  apimMessage?: string;
  /** APIM's machine-readable code, when it sent one. */
  technicalCode?: string;
  /** Severe problems listed by a v1 import refused with 400. */
  severe?: string[];
}

export class ApimError extends Error {
  override name = 'ApimError';
  readonly details: ApimErrorDetails;
  constructor(details: ApimErrorDetails, message: string) {
    super(message);
    this.details = details;
  }

  get status(): number | undefined {
    return this.details.status;
  }

  /** 400, 401 and 403 describe the request or the credentials: retrying the same call cannot help. */
  get terminal(): boolean {
    return this.details.status === 400 || this.details.status === 401 || this.details.status === 403;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads APIM's error bodies: the v2/Automation shape, the v1 shape, or a v1 validation result. */
export function apimErrorFields(body: unknown): Pick<ApimErrorDetails, 'apimMessage' | 'technicalCode' | 'severe'> {
  if (!isRecord(body)) return typeof body === 'string' && body.trim() ? { apimMessage: body.trim().slice(0, 500) } : {};
  const out: Pick<ApimErrorDetails, 'apimMessage' | 'technicalCode' | 'severe'> = {};
  if (typeof body['message'] === 'string') out.apimMessage = body['message'];
  if (typeof body['technicalCode'] === 'string') out.technicalCode = body['technicalCode'];
  if (Array.isArray(body['severe'])) {
    out.severe = body['severe'].map(String);
    out.apimMessage ??= out.severe.join('; ');
  }
  return out;
}

export function httpErrorMessage(details: ApimErrorDetails): string {
  const what = `${details.method} ${details.url}`;
  if (details.kind === 'timeout') return `${what}: no answer from APIM in time`;
  if (details.kind === 'busy') return `${what}: not sent, too many calls to APIM are already waiting`;
  if (details.kind === 'refused') return `${what}: not sent, this client only reads from APIM`;
  if (details.kind === 'network') return `${what}: ${details.apimMessage ?? 'APIM cannot be reached'}`;
  const code = details.technicalCode ? ` (${details.technicalCode})` : '';
  return `${what}: APIM answered ${details.status}${details.apimMessage ? `: ${details.apimMessage}` : ''}${code}`;
}
