export {
  OPENAPI_DIR,
  loadDocument,
  loadOfficialDocument,
  officialDocumentsDir,
  type DocumentName,
  type OpenApiDocument,
} from './documents.ts';
export { createSchemaValidator, type SchemaProblem, type SchemaValidator } from './schema-validator.ts';
