/**
 * Table string properties hold at most 64 KiB (32 K UTF-16 characters). Long text is cut with a visible marker;
 * JSON that does not fit is replaced by a marker object carrying a preview, so that reading it back never fails.
 */
export const MAX_PROPERTY_CHARS = 30_000;

export function truncateText(text: string, maxChars = MAX_PROPERTY_CHARS): string {
  if (text.length <= maxChars) return text;
  const marker = `\n…[truncated ${text.length - maxChars} of ${text.length} characters]`;
  return text.slice(0, Math.max(0, maxChars - marker.length)) + marker;
}

export interface TruncatedJson {
  readonly $truncated: true;
  readonly originalChars: number;
  readonly preview: string;
}

export function toJsonProperty(value: unknown, maxChars = MAX_PROPERTY_CHARS): string {
  const json = JSON.stringify(value ?? null);
  if (json.length <= maxChars) return json;
  // Escaping can lengthen the preview, so shrink it until the marker fits.
  for (let previewChars = maxChars - 200; ; previewChars = Math.floor(previewChars / 2)) {
    const marker: TruncatedJson = {
      $truncated: true,
      originalChars: json.length,
      preview: json.slice(0, previewChars),
    };
    const text = JSON.stringify(marker);
    if (text.length <= maxChars || previewChars <= 0) return text;
  }
}

export function fromJsonProperty(text: unknown): unknown {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
