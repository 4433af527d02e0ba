/**
 * Ignore patterns from the mailbox config.
 * Sender: an exact address (`noreply@contoso.com`), a domain (`@contoso.com`, that domain only, not subdomains) or a
 * regular expression in slashes (`/^alerts-.*@/i`). Subject: a case-insensitive substring, or a `/regex/`.
 * Regexes are case-insensitive unless they carry flags of their own.
 */
export type SenderMatcher = (address: string) => boolean;
export type SubjectMatcher = (subject: string) => boolean;

const REGEX_FORM = /^\/(.+)\/([a-z]*)$/s;

/** The problem with a pattern as a sentence, or undefined when it is usable. Config validation uses this. */
export function senderPatternProblem(pattern: string): string | undefined {
  const trimmed = pattern.trim();
  if (REGEX_FORM.test(trimmed)) return regexProblem(trimmed);
  if (trimmed.startsWith('@')) {
    return /^@[^\s@]+\.[^\s@]+$/.test(trimmed) ? undefined : `"${pattern}" is not a domain such as @contoso.com`;
  }
  return /^[^\s@]+@[^\s@]+$/.test(trimmed) ? undefined : `"${pattern}" must be an address, an @domain or a /regex/`;
}

export function subjectPatternProblem(pattern: string): string | undefined {
  const trimmed = pattern.trim();
  return REGEX_FORM.test(trimmed) ? regexProblem(trimmed) : undefined;
}

export function senderMatcher(pattern: string): SenderMatcher {
  const trimmed = pattern.trim();
  const regex = asRegex(trimmed);
  if (regex) return (address) => regex.test(address);
  const lowered = trimmed.toLowerCase();
  if (lowered.startsWith('@')) return (address) => address.toLowerCase().endsWith(lowered);
  return (address) => address.toLowerCase() === lowered;
}

export function subjectMatcher(pattern: string): SubjectMatcher {
  const trimmed = pattern.trim();
  const regex = asRegex(trimmed);
  if (regex) return (subject) => regex.test(subject);
  const lowered = trimmed.toLowerCase();
  return (subject) => subject.toLowerCase().includes(lowered);
}

function asRegex(pattern: string): RegExp | undefined {
  const match = REGEX_FORM.exec(pattern);
  if (!match) return undefined;
  const flags = (match[2] ?? '').replace(/[gy]/g, '');
  return new RegExp(match[1]!, flags === '' ? 'i' : flags);
}

function regexProblem(pattern: string): string | undefined {
  try {
    asRegex(pattern);
    return undefined;
  } catch (error) {
    return `"${pattern}" is not a valid regular expression: ${(error as Error).message}`;
  }
}
