import { relative } from '../words';
import { html, type SafeHtml } from './html';

export { duration } from '../words';

/** "3 min ago" / "in 2 h", relative to now, with the exact UTC time on hover. */
export function when(iso: string | undefined, now: Date): SafeHtml {
  if (!iso) return html`<span class="muted">—</span>`;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return html`${iso}`;
  return html`<time datetime="${iso}" title="${new Date(at).toISOString().replace('T', ' ').slice(0, 19)} UTC">${relative(at - now.getTime())}</time>`;
}

/** A status word as a coloured badge (the colour comes from the stylesheet, by class). */
export function badge(status: string): SafeHtml {
  const tone = /^(ok|succeeded|created|appended|done|applied|subscribed|replayed)$/.test(status)
    ? 'good'
    : /^(warning|partial|ignored|running|queued|retrying|syncing|interrupted|replaying|expiring)$/.test(status)
      ? 'warn'
      : /^(failed|timedOut|rejected|expired|open|exhausted|malformed|undeliverable)$/.test(status)
        ? 'bad'
        : 'neutral';
  return html`<span class="badge ${tone}">${status}</span>`;
}
