// The deterministic UUIDs upstream's operator gives the objects it names itself (v2 APIs and their
// plans and pages, local-mode v4 APIs and their plans): XXH3-128 of the parts written one after the
// other, its 16 bytes high half first, printed as a UUID without version or variant bits. Taking over
// what upstream synchronised needs the very same ids, or APIM and gateways would see new objects.
import { createXXHash128 } from 'hash-wasm';

// hash-wasm instantiates its WebAssembly module asynchronously, once; hashing is then synchronous.
const hasher = await createXXHash128();

/** The UUID of the parts, concatenated with nothing between them (callers add separators upstream has). */
export function hashUuid(...parts: string[]): string {
  const hex = hasher.init().update(parts.join('')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
