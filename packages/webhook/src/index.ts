export {
  ADMISSION_API_VERSION,
  parseAdmissionReview,
  reviewResponse,
  type AdmissionRequest,
  type JsonPatchOperation,
  type Operation,
  type Verdict,
} from './admission/review.ts';
export { runWebhook, type RunningWebhookServer } from './program.ts';
export { ConfigError as WebhookConfigError, loadConfig as loadWebhookConfig, type WebhookConfig } from './config.ts';
export { webhookPath } from './paths.ts';
