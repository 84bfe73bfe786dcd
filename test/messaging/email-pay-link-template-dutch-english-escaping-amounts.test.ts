import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, formatEuros, listUnsubscribeHeaders, renderPayLinkEmail, type PayLinkEmailInput } from '../../src/messaging/email/templates.ts';

const base: PayLinkEmailInput = {
  debtorName: 'Jan de Vries',
  creditorName: 'Energie Noord',
  senderName: 'Incasso Noord',
  invoiceRefs: ['F-001'],
  totalCents: 123456,
  payUrl: 'https://bereik.example/p/Xq3v9KpL2mN8rT4w',
  unsubscribeUrl: 'https://bereik.example/u/Zr8kQ2pW7nB4xY1c',
  phone: '020 123 45 67',
};

const amounts: Array<[number, string, string]> = [
  [1, '€ 0,01', '€0.01'],
  [99, '€ 0,99', '€0.99'],
  [100, '€ 1,00', '€1.00'],
  [123456, '€ 1.234,56', '€1,234.56'],
  [100000, '€ 1.000,00', '€1,000.00'],
  [99999999, '€ 999.999,99', '€999,999.99'],
  [123456789012, '€ 1.234.567.890,12', '€1,234,567,890.12'],
  [-2550, '-€ 25,50', '-€25.50'],
];
for (const [cents, nl, en] of amounts) {
  test(`${cents} cents reads ${nl} in Dutch and ${en} in English`, () => {
    assert.equal(formatEuros(cents, 'nl'), nl);
    assert.equal(formatEuros(cents, 'en'), en);
  });
}

test('an amount that is not whole cents is refused, never rounded', () => {
  assert.throws(() => formatEuros(12.5, 'nl'), /whole cents, got 12.5/);
  assert.throws(() => renderPayLinkEmail({ ...base, totalCents: 0 }), /totalCents must be a positive whole number of cents, got 0/);
});

const languages: Array<[PayLinkEmailInput['language'], string[]]> = [
  [undefined, ['Betaalverzoek namens Energie Noord', 'Beste Jan de Vries,', 'Factuur F-001 is nog niet betaald', 'Openstaand bedrag: € 1.234,56', 'Heeft u al betaald? Beantwoord dan deze e-mail of bel ons op 020 123 45 67.', 'namens Energie Noord', 'Meld u hier af']],
  ['nl', ['Betaalverzoek namens Energie Noord', 'Openstaand bedrag: € 1.234,56']],
  ['en', ['Payment request on behalf of Energie Noord', 'Dear Jan de Vries,', 'Invoice F-001 has not been paid yet', 'Amount due: €1,234.56', 'Already paid? Please reply to this e-mail or call us on 020 123 45 67.', 'Unsubscribe here']],
];
for (const [language, phrases] of languages) {
  test(`the ${language ?? 'default (Dutch)'} e-mail says who, which invoice, how much, how to pay, what if paid, how to stop`, () => {
    const { subject, text, html } = renderPayLinkEmail({ ...base, language });
    const all = `${subject}\n${text}`;
    for (const phrase of phrases) assert.ok(all.includes(phrase), `missing ${JSON.stringify(phrase)} in:\n${all}`);
    assert.ok(text.includes(base.payUrl) && text.includes(base.unsubscribeUrl), 'both links in the text part');
    assert.ok(html.includes(`href="${base.payUrl}"`) && html.includes(`href="${base.unsubscribeUrl}"`), 'both links in the HTML part');
    assert.ok(html.startsWith('<!DOCTYPE html>\n<html lang="' + (language ?? 'nl') + '">'), 'the HTML says its language (screen readers)');
    assert.ok(!/<img|url\(|<link|<script/i.test(html), 'no external images, stylesheets or scripts');
    assert.ok(!subject.includes('1.234') && !subject.includes('1,234'), 'no amount in the subject (lock screens)');
  });
}

const refCases: Array<[string[], string, string]> = [
  [['F-1'], 'Factuur F-1 is nog', 'Invoice F-1 has not'],
  [['F-1', 'F-2'], 'De facturen F-1 en F-2 zijn nog', 'Invoices F-1 and F-2 have not'],
  [['F-1', 'F-2', 'F-3'], 'De facturen F-1, F-2 en F-3 zijn', 'Invoices F-1, F-2 and F-3 have'],
  [Array.from({ length: 13 }, (_, i) => `F-${i + 1}`), 'F-9, F-10 en 3 andere zijn', 'F-9, F-10 and 3 more have'],
];
for (const [refs, nl, en] of refCases) {
  test(`${refs.length} invoice number(s) are listed readably in both languages`, () => {
    assert.ok(renderPayLinkEmail({ ...base, invoiceRefs: refs }).text.includes(nl));
    assert.ok(renderPayLinkEmail({ ...base, invoiceRefs: refs, language: 'en' }).text.includes(en));
  });
}

test('every value is escaped in the HTML: a name like <script> arrives as text', () => {
  const { html, text } = renderPayLinkEmail({
    ...base,
    debtorName: '<script>alert("x")</script>',
    creditorName: 'Bakker & Zn <b>',
    senderName: `O'Brien "Incasso"`,
    invoiceRefs: ['<F-1>'],
    phone: '<a href=x>bel</a>',
  });
  assert.ok(!html.includes('<script>') && !html.includes('<b>') && !html.includes('<F-1>') && !html.includes('<a href=x>'));
  assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
  assert.ok(html.includes('Bakker &amp; Zn &lt;b&gt;'));
  assert.ok(html.includes('O&#39;Brien &quot;Incasso&quot;'));
  assert.ok(text.includes('Beste <script>alert("x")</script>,'), 'the plain text shows the name as written');
});

test('a link that is not http(s) is refused: no javascript: links in an e-mail', () => {
  assert.throws(() => renderPayLinkEmail({ ...base, payUrl: 'javascript:alert(1)' }), /payUrl must be an http\(s\) link, got javascript:/);
  assert.throws(() => renderPayLinkEmail({ ...base, unsubscribeUrl: 'not a url' }), /unsubscribeUrl is not a URL/);
  assert.throws(() => renderPayLinkEmail({ ...base, invoiceRefs: [] }), /invoiceRefs is empty/);
});

test('a quote in a link cannot leave the href attribute', () => {
  const { html } = renderPayLinkEmail({ ...base, payUrl: 'https://bereik.example/p/a"onmouseover="x' });
  assert.ok(!html.includes('"onmouseover'), html);
});

test('escapeHtml covers the five characters that matter in text and attributes', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
});

const headerCases: Array<[{ url: string; mailto?: string }, Record<string, string>]> = [
  [
    { url: 'https://bereik.example/u/Zr8kQ2pW7nB4xY1c', mailto: 'unsubscribe@incasso-noord.example' },
    { 'List-Unsubscribe': '<https://bereik.example/u/Zr8kQ2pW7nB4xY1c>, <mailto:unsubscribe@incasso-noord.example?subject=unsubscribe>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  ],
  [
    { url: 'https://bereik.example/u/abc' },
    { 'List-Unsubscribe': '<https://bereik.example/u/abc>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  ],
];
for (const [input, expected] of headerCases) {
  test(`List-Unsubscribe headers (RFC 8058 one-click) for ${input.mailto ? 'URL and mailto' : 'URL only'}`, () => {
    assert.deepEqual(listUnsubscribeHeaders(input), expected);
  });
}

test('List-Unsubscribe refuses values that would break the header', () => {
  assert.throws(() => listUnsubscribeHeaders({ url: 'ftp://x.example/u/1' }), /must be an http\(s\) link/);
  assert.throws(() => listUnsubscribeHeaders({ url: 'https://x.example/u/1', mailto: 'a@b.example>, <https://evil.example' }), /mailto is not an address/);
});
