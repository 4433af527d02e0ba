import { redact } from '../runtime/redact';

const EXTRA_PATTERNS: [RegExp, string][] = [
  // A private key cut off by a tail or a truncation: whatever is left of it.
  [/^[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/, '[private key ***]'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*$/, '[private key ***]'],
  // JSON Web Tokens (access and ID tokens) anywhere in text.
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g, '***'],
  // key: value and key=value lines of script output ("Password: x", "ApiKey = y", "client_secret=z").
  [
    /\b((?:[A-Za-z_-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|credential|connectionstring))\s*[:=]\s*)(["']?)[^\s"',;]+\2/gi,
    '$1***',
  ],
  // PowerShell parameters that carry secrets: -Password x, -Secret 'y', -Token "z".
  [/(-(?:Password|Secret|Token|ApiKey|ClientSecret)\s+)(["']?)[^\s"']+\2/gi, '$1***'],
];

/**
 * Masks secrets in text the console shows (script output, errors, message previews): every known secret value, and
 * anything shaped like one (tokens, keys, passwords in output). Applied on every read, so text stored before a
 * secret was known is masked too.
 */
export function maskSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let out = redact(text, knownSecrets);
  for (const [pattern, replacement] of EXTRA_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** The last lines of a text, at most `maxChars` characters (cut at a line start when it can). */
export function tail(text: string, maxLines = 20, maxChars = 2_000): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  let out = lines.slice(-maxLines).join('\n');
  if (out.length > maxChars) {
    const cut = out.slice(-maxChars);
    const newline = cut.indexOf('\n');
    out = newline >= 0 && newline < cut.length - 1 ? cut.slice(newline + 1) : cut;
  }
  return out;
}
