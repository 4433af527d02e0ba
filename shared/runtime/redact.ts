const PATTERNS: [RegExp, string][] = [
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1***'],
  [/(Basic\s+)[A-Za-z0-9+/=]{8,}/gi, '$1***'],
  [
    /((?:client_secret|access_token|refresh_token|password|AccountKey|SharedAccessSignature|sig)=)[^&;\s"']+/gi,
    '$1***',
  ],
  [/("(?:client_secret|access_token|refresh_token|password|clientSecret|secret)"\s*:\s*")[^"]*(")/gi, '$1***$2'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[private key ***]'],
];

/**
 * Masks known secret values and secret-shaped fragments (tokens, keys, passwords in query strings or JSON).
 * Used on every log line and error message that may leave the process.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
