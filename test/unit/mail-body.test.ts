import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { htmlToText } from '../../shared/mail/html';
import { NO_SUBJECT, SUMMARY_MAX_LENGTH, summaryOf, toTicketDetails } from '../../shared/mail/ticketDetails';

const html = (content: string) => ({ contentType: 'html', content });

describe('mail: ticket details from a message body', () => {
  it('removes script, style, iframe, event handlers and javascript: URLs', () => {
    const details = toTicketDetails({
      id: '1',
      subject: 's',
      body: html(
        '<html><head><title>T</title><style>p{color:red}</style></head><body>' +
          '<p style="color:red" onclick="steal()">Hello <b>there</b></p>' +
          '<script>alert(1)</script><iframe src="https://evil.example">frame</iframe>' +
          '<img src="https://example.com/x.png" onerror="alert(2)">' +
          '<a href="javascript:alert(3)">click</a><a href="JaVaScRiPt&#58;alert(4)">two</a>' +
          '<a href="https://ok.example/">ok</a><svg><script>alert(5)</script></svg>' +
          '<form action="https://evil"><input name="p"></form></body></html>',
      ),
    });
    const out = details.detailsHtml;
    for (const bad of [
      '<script',
      'alert(',
      'onclick',
      'onerror',
      'style',
      'iframe',
      'javascript',
      '<title',
      '<form',
      '<input',
      '<svg',
    ])
      assert.ok(!out.toLowerCase().includes(bad.toLowerCase()), `${bad} in ${out}`);
    assert.ok(out.includes('<p>Hello <b>there</b></p>'));
    assert.ok(out.includes('<a href="https://ok.example/">ok</a>'));
    assert.ok(out.includes('<img src="https://example.com/x.png" />'));
    assert.equal(details.detailsText, 'Hello there\nframeclicktwook');
  });

  it('turns inline (cid:) and data: images into text markers', () => {
    const details = toTicketDetails({
      id: '1',
      body: html(
        '<p>See <img src="cid:image001.png@01D9" alt="screenshot.png"> and <img src="cid:logo@x"> ' +
          '<img src="data:image/png;base64,AAAA"></p>',
      ),
    });
    assert.equal(
      details.detailsHtml,
      '<p>See <span>[image: screenshot.png]</span> and <span>[image: logo@x]</span> <span>[image: embedded image]</span></p>',
    );
    assert.equal(details.detailsText, 'See [image: screenshot.png] and [image: logo@x] [image: embedded image]');
  });

  it('prefers uniqueBody, so the quoted chain is left out', () => {
    const details = toTicketDetails({
      id: '1',
      body: html('<p>Thanks, fixed now.</p><blockquote>On Monday you wrote: old text</blockquote>'),
      uniqueBody: html('<p>Thanks, fixed now.</p>'),
    });
    assert.equal(details.detailsHtml, '<p>Thanks, fixed now.</p>');
  });

  it('falls back to body when uniqueBody is empty or blank, then to bodyPreview', () => {
    assert.equal(
      toTicketDetails({ id: '1', uniqueBody: html('<div> </div>'), body: html('<p>full</p>') }).detailsHtml,
      '<p>full</p>',
    );
    assert.equal(toTicketDetails({ id: '1', bodyPreview: 'preview <b>' }).detailsHtml, 'preview &#60;b&#62;');
  });

  it('escapes plain-text bodies and keeps their line breaks', () => {
    const details = toTicketDetails({
      id: '1',
      body: { contentType: 'text', content: '<script>alert(1)</script>\r\nTom & "Jerry"\n\n\n\nBye' },
    });
    assert.equal(
      details.detailsHtml,
      '&#60;script&#62;alert(1)&#60;/script&#62;<br>Tom &#38; &#34;Jerry&#34;<br><br>Bye',
    );
    assert.equal(details.detailsText, '<script>alert(1)</script>\nTom & "Jerry"\n\nBye');
  });

  it('decodes entities in the text version', () => {
    assert.equal(
      htmlToText('<p>a &lt;b&gt; &amp; &quot;q&quot; &#233; &#x41;&nbsp;z</p><br>next'),
      'a <b> & "q" é A z\n\nnext',
    );
  });

  it('summary: the subject on one line, "(no subject)" when empty, capped at the limit', () => {
    assert.equal(summaryOf('  Printer\r\n  broken\t '), 'Printer broken');
    assert.equal(summaryOf(''), NO_SUBJECT);
    assert.equal(summaryOf(null), NO_SUBJECT);
    assert.equal(summaryOf('\u0000\u0007'), NO_SUBJECT);
    const long = summaryOf('é'.repeat(400));
    assert.equal(Array.from(long).length, SUMMARY_MAX_LENGTH);
    assert.ok(long.endsWith('…'));
    assert.equal(toTicketDetails({ id: '1', subject: '   ' }).summary, NO_SUBJECT);
  });
});
