// The ids APIM derives itself (HRIDToUUID in APIM): name-based UUIDs of the organization, the
// environment, the kind and the HRID. The simulator's own derivation, not the operator's: what
// matters is that APIM answers the same ids to the same requests, and the recordings of upstream's
// operator were made against these ids.
import { createHash } from 'node:crypto';

export function apimUuid(...parts: string[]): string {
  const hash = createHash('sha1').update(parts.join('\u0000')).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
