/**
 * The syntax of the mail patterns a mailbox config holds, owned by the config layer so that validating a config needs
 * nothing from shared/mail (which applies the patterns and imports these rules from here).
 *
 * Sender: an exact address (`noreply@contoso.com`), a domain (`@contoso.com`) or a regular expression in slashes
 * (`/^alerts-.*@/i`). Subject: a case-insensitive substring, or a `/regex/`. Ticket tag: fixed text around `{id}`.
 */
export const DEFAULT_TAG_PATTERN = '[ID:{id}]';
export const TAG_PLACEHOLDER = '{id}';

const REGEX_FORM = /^\/(.+)\/([a-z]*)$/s;

/** A `/regex/flags` pattern as a RegExp (case-insensitive unless it carries flags of its own), else undefined. */
export function patternRegex(pattern: string): RegExp | undefined {
  const match = REGEX_FORM.exec(pattern);
  if (!match) return undefined;
  const flags = (match[2] ?? '').replace(/[gy]/g, '');
  return new RegExp(match[1]!, flags === '' ? 'i' : flags);
}

/** The problem with a sender pattern as a sentence, or undefined when it is usable. */
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

/** Why a tag pattern cannot be used, or undefined. */
export function tagPatternProblem(pattern: string): string | undefined {
  const parts = pattern.split(TAG_PLACEHOLDER);
  if (parts.length !== 2) return `must contain ${TAG_PLACEHOLDER} exactly once, e.g. "${DEFAULT_TAG_PATTERN}"`;
  if (parts[0]!.trim() === '') return `needs fixed text before ${TAG_PLACEHOLDER}, e.g. "${DEFAULT_TAG_PATTERN}"`;
  return undefined;
}

function regexProblem(pattern: string): string | undefined {
  try {
    patternRegex(pattern);
    return undefined;
  } catch (error) {
    return `"${pattern}" is not a valid regular expression: ${(error as Error).message}`;
  }
}
