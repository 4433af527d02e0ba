/** Plain text as Halo note_html: escaped, so output such as `<script>` or `&amp;` shows as typed; newlines kept. */
export function textToNoteHtml(text: string): string {
  const escaped = text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
  return escaped.replace(/\r\n?/g, '\n').replace(/\n/g, '<br>');
}
