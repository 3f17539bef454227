export { createValidator, type ValidationResult, type Validator } from './validator.ts';
export { formatFieldError, type FieldError, type FieldErrorType } from './field-error.ts';
