import { html, type SafeHtml } from './html';

/** "3 min ago" / "in 2 h", relative to now, with the exact UTC time on hover. */
export function when(iso: string | undefined, now: Date): SafeHtml {
  if (!iso) return html`<span class="muted">—</span>`;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return html`${iso}`;
  return html`<time datetime="${iso}" title="${new Date(at).toISOString().replace('T', ' ').slice(0, 19)} UTC">${relative(at - now.getTime())}</time>`;
}

export function relative(deltaMs: number): string {
  const future = deltaMs > 0;
  const s = Math.abs(deltaMs) / 1000;
  const text =
    s < 45
      ? `${Math.round(s)} s`
      : s < 45 * 60
        ? `${Math.round(s / 60)} min`
        : s < 36 * 3600
          ? `${Math.round(s / 3600)} h`
          : `${Math.round(s / 86400)} d`;
  return future ? `in ${text}` : `${text} ago`;
}

export function duration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
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
