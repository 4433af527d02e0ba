/**
 * Subject tags that thread mail to Halo tickets. A tag pattern is a template with one `{id}` placeholder; Halo's
 * default is `[ID:{id}]`. The old `[ID <n>]` form, which Halo keeps matching, is accepted too (legacy).
 * Ids may carry leading zeros (`[ID:0001234]`); 0 is not a ticket.
 */
import { DEFAULT_TAG_PATTERN, TAG_PLACEHOLDER as PLACEHOLDER } from '../config/integration/mailPatternSyntax';

export { DEFAULT_TAG_PATTERN, tagPatternProblem } from '../config/integration/mailPatternSyntax';

const LEGACY_TAG = /\[\s*ID\s+0*(\d{1,15})\s*\]/i;

export interface TagOptions {
  /** Also match `[ID 123]` (default true). */
  matchLegacy?: boolean;
}

/** The ticket id in the first tag of a subject, or undefined. */
export function findTicketTag(
  subject: string | null | undefined,
  pattern: string = DEFAULT_TAG_PATTERN,
  options: TagOptions = {},
): number | undefined {
  if (!subject) return undefined;
  const candidates = [tagRegex(pattern, false).exec(subject)];
  if (options.matchLegacy ?? true) candidates.push(LEGACY_TAG.exec(subject));
  const first = candidates
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => a.index - b.index)
    .map((m) => Number(m[1]))
    .find((id) => Number.isSafeInteger(id) && id > 0);
  return first;
}

/** The subject without any ticket tags (current pattern or legacy), whitespace tidied. */
export function stripTicketTags(subject: string | null | undefined, pattern: string = DEFAULT_TAG_PATTERN): string {
  return (subject ?? '')
    .replace(tagRegex(pattern, true), ' ')
    .replace(new RegExp(LEGACY_TAG.source, 'gi'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The subject carrying exactly one tag, for this ticket, at the end: other tags (also stale ones for other tickets)
 * are removed, and a stack of reply/forward prefixes such as `RE: Re: RE:` becomes one `RE:`.
 */
export function tagSubject(
  subject: string | null | undefined,
  ticketId: number,
  pattern: string = DEFAULT_TAG_PATTERN,
): string {
  if (!Number.isSafeInteger(ticketId) || ticketId <= 0) throw new TypeError(`ticket id must be a positive integer`);
  const { prefixes, rest } = splitPrefixes(stripTicketTags(subject, pattern));
  const tag = pattern.replace(PLACEHOLDER, String(ticketId));
  return [...prefixes, rest, tag].filter((part) => part !== '').join(' ');
}

const PREFIX = /^(re|aw|sv|antw|fw|fwd|wg|tr)\s*(?:\[\d+\])?\s*:\s*/i;
const REPLY_KINDS = new Set(['re', 'aw', 'sv', 'antw']);

function splitPrefixes(subject: string): { prefixes: string[]; rest: string } {
  const prefixes: string[] = [];
  let rest = subject;
  for (let match = PREFIX.exec(rest); match; match = PREFIX.exec(rest)) {
    const kind = REPLY_KINDS.has(match[1]!.toLowerCase()) ? 'RE:' : 'FW:';
    if (prefixes[prefixes.length - 1] !== kind) prefixes.push(kind);
    rest = rest.slice(match[0].length);
  }
  return { prefixes, rest: rest.trim() };
}

function tagRegex(pattern: string, global: boolean): RegExp {
  const [before, after] = pattern.split(PLACEHOLDER) as [string, string];
  const source = `${escapeLoosely(before)}\\s*0*(\\d{1,15})\\s*${escapeLoosely(after)}`;
  return new RegExp(source, global ? 'gi' : 'i');
}

/** Escapes regex characters; whitespace in the template matches any run of whitespace (mail clients fold it). */
function escapeLoosely(text: string): string {
  return text
    .trim()
    .split(/\s+/)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s*');
}
