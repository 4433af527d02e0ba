import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { textToNoteHtml } from '../../shared/automation/useCases/noteHtml';

describe('textToNoteHtml', () => {
  it('escapes markup so script output shows as typed, and keeps line breaks', () => {
    assert.equal(
      textToNoteHtml(`<script>alert("x")</script> & 'y'\r\nnext\nlast`),
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;<br>next<br>last',
    );
  });

  it('does not double-unescape entities already in the output', () => {
    assert.equal(textToNoteHtml('&amp;'), '&amp;amp;');
  });
});
