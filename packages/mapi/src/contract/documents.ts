// The OpenAPI documents of the APIM contracts: ours (packages/mapi/openapi), from which the client
// types are generated and against which the simulator validates requests, and APIM's official ones,
// kept as reference data next to the repository, against which contract tests check ours.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export type DocumentName = 'automation' | 'management-v1' | 'management-v2';

export type OpenApiDocument = {
  openapi: string;
  components?: { schemas?: Record<string, unknown> };
  paths: Record<string, unknown>;
};

export const OPENAPI_DIR = join(import.meta.dirname, '..', '..', 'openapi');

export function loadDocument(name: DocumentName): OpenApiDocument {
  return parse(readFileSync(join(OPENAPI_DIR, `${name}.yaml`), 'utf8')) as OpenApiDocument;
}

/** APIM's official documents (../shared/apim/openapi, or $GKO_APIM_OPENAPI_DIR), when present. */
export function officialDocumentsDir(): string | undefined {
  const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
  const dir = process.env['GKO_APIM_OPENAPI_DIR'] ?? join(repoRoot, '..', 'shared', 'apim', 'openapi');
  return existsSync(join(dir, 'automation', 'open-api.yaml')) ? dir : undefined;
}

export function loadOfficialDocument(dir: string, relativePath: string): OpenApiDocument {
  return parse(readFileSync(join(dir, relativePath), 'utf8')) as OpenApiDocument;
}
