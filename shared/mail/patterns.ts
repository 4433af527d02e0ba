import { patternRegex } from '../config/integration/mailPatternSyntax';

/**
 * Ignore patterns from the mailbox config.
 * Sender: an exact address (`noreply@contoso.com`), a domain (`@contoso.com`, that domain only, not subdomains) or a
 * regular expression in slashes (`/^alerts-.*@/i`). Subject: a case-insensitive substring, or a `/regex/`.
 * Regexes are case-insensitive unless they carry flags of their own.
 */
export type SenderMatcher = (address: string) => boolean;
export type SubjectMatcher = (subject: string) => boolean;

export { senderPatternProblem, subjectPatternProblem } from '../config/integration/mailPatternSyntax';

export function senderMatcher(pattern: string): SenderMatcher {
  const trimmed = pattern.trim();
  const regex = patternRegex(trimmed);
  if (regex) return (address) => regex.test(address);
  const lowered = trimmed.toLowerCase();
  if (lowered.startsWith('@')) return (address) => address.toLowerCase().endsWith(lowered);
  return (address) => address.toLowerCase() === lowered;
}

export function subjectMatcher(pattern: string): SubjectMatcher {
  const trimmed = pattern.trim();
  const regex = patternRegex(trimmed);
  if (regex) return (subject) => regex.test(subject);
  const lowered = trimmed.toLowerCase();
  return (subject) => subject.toLowerCase().includes(lowered);
}
