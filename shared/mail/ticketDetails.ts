import type { GraphItemBody, GraphMessage } from './graphMessage';
import { escapeHtml, htmlToText, sanitizeMailHtml, textToHtml, tidyText } from './html';

/**
 * Longest ticket summary we send. Halo's limit on `summary` is not published (UNCONFIRMED); 250 keeps typical
 * subjects whole and stays clear of the 255-character columns common in Halo's schema.
 */
export const SUMMARY_MAX_LENGTH = 250;
export const NO_SUBJECT = '(no subject)';

export interface TicketDetails {
  summary: string;
  detailsHtml: string;
  detailsText: string;
}

/**
 * The ticket text of a message. `uniqueBody` (the part new in this message, without the quoted chain) is preferred,
 * then `body`, then `bodyPreview`. HTML is sanitised; plain text is escaped.
 */
export function toTicketDetails(message: GraphMessage): TicketDetails {
  const source = pickBody(message);
  if (source.html) {
    const detailsHtml = sanitizeMailHtml(source.content);
    return { summary: summaryOf(message.subject), detailsHtml, detailsText: htmlToText(detailsHtml) };
  }
  const text = tidyText(source.content);
  return { summary: summaryOf(message.subject), detailsHtml: textToHtml(text), detailsText: text };
}

/** A subject as a ticket summary: one line, no control characters, capped, never empty. */
export function summaryOf(subject: string | null | undefined): string {
  const oneLine = (subject ?? '')
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (oneLine === '') return NO_SUBJECT;
  const chars = Array.from(oneLine);
  return chars.length <= SUMMARY_MAX_LENGTH ? oneLine : `${chars.slice(0, SUMMARY_MAX_LENGTH - 1).join('')}…`;
}

/** A short "From: …" header line for the details of a ticket whose sender is not a known Halo user. */
export function senderBannerHtml(display: string): string {
  return `<p><b>From:</b> ${escapeHtml(display)}</p>`;
}

function pickBody(message: GraphMessage): { html: boolean; content: string } {
  for (const body of [message.uniqueBody, message.body]) {
    const content = contentOf(body);
    if (content !== undefined) return { html: isHtml(body), content };
  }
  return { html: false, content: message.bodyPreview ?? '' };
}

function contentOf(body: GraphItemBody | null | undefined): string | undefined {
  const content = body?.content;
  if (content === null || content === undefined) return undefined;
  const visible = isHtml(body) ? htmlToText(sanitizeMailHtml(content)) : content.trim();
  return visible === '' ? undefined : content;
}

function isHtml(body: GraphItemBody | null | undefined): boolean {
  return (body?.contentType ?? '').toLowerCase() === 'html';
}
