// Secrets must never reach a log line or an error message. Known secret values are replaced
// wherever they appear, and so are the usual shapes of credentials (authorization headers, URL user
// info, JSON fields named like secrets).

export const REDACTED = '[redacted]';

const SECRET_FIELD =
  /^(password|passwd|secret|token|bearertoken|cloudtoken|authorization|apikey|api-key|key|clientsecret|client_secret|privatekey|private_key)$/i;

export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

const PATTERNS: [RegExp, string][] = [
  // Authorization: Bearer abc / Basic abc
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  // scheme://user:password@host
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, `$1${REDACTED}@`],
  // "password": "value" in JSON text
  [
    /("(?:password|secret|token|bearerToken|cloudToken|authorization|apiKey|clientSecret)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
    `$1"${REDACTED}"`,
  ],
];

/** Removes known secret values and credential-shaped text from a string. */
export function redactText(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would redact random text; they are not worth protecting this way.
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A copy of a value with secret-named fields masked, for structured logs. */
export function redactFields(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactFields(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      isSecretField(k) ? REDACTED : redactFields(v, depth + 1),
    ]),
  );
}
