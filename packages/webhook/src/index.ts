export {
  ADMISSION_API_VERSION,
  parseAdmissionReview,
  reviewResponse,
  type AdmissionRequest,
  type JsonPatchOperation,
  type Operation,
  type Verdict,
} from './admission/review.ts';
