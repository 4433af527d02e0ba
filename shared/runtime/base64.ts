const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Whether `text` is canonical base64 (what the Functions host decodes a queue message from; host.json messageEncoding). */
export function isStrictBase64(text: string): boolean {
  return text.length > 0 && STRICT_BASE64.test(text);
}
