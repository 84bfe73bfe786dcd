import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeWords, findPart, header, parseMime, textOf } from '../../src/lib/mime.ts';

const words: Array<[string, string]> = [
  ['=?UTF-8?Q?Uw_rekening_=E2=80=93_=E2=82=AC_12=2C50?=', 'Uw rekening – € 12,50'],
  ['=?utf-8?B?Q2Fmw6kgTm/Dq2w=?=', 'Café Noël'],
  ['=?UTF-8?Q?Caf=C3=A9?= =?UTF-8?Q?_No=C3=ABl?=', 'Café Noël'],
  ['=?ISO-8859-1?Q?Andr=E9?= de Vries', 'André de Vries'],
  ['plain text', 'plain text'],
];
for (const [encoded, decoded] of words) {
  test(`encoded words: ${encoded} reads ${decoded}`, () => assert.equal(decodeWords(encoded), decoded));
}

test('quoted-printable: a space before a soft line break is text, =XX are bytes in the charset', () => {
  const raw = 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nWe are writing on behalf of =\r\nCaf=C3=A9 =E2=82=AC 5\r\n';
  assert.equal(textOf(parseMime(raw)), 'We are writing on behalf of Café € 5\r\n');
});

test('folded headers are unfolded; a nested multipart gives its text and HTML parts', () => {
  const raw = [
    'Subject: =?UTF-8?Q?Betaalverzoek?=',
    'List-Unsubscribe: <https://x.example/u/1>,',
    ' <mailto:u@x.example?subject=unsubscribe>',
    'Content-Type: multipart/mixed; boundary="outer"',
    '',
    '--outer',
    'Content-Type: multipart/alternative; boundary=inner',
    '',
    '--inner',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('Hallo Zoë').toString('base64'),
    '--inner',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p>Hallo</p>',
    '--inner--',
    '--outer',
    'Content-Type: application/pdf',
    '',
    'JVBERi0=',
    '--outer--',
    '',
  ].join('\r\n');
  const root = parseMime(raw);
  assert.equal(header(root, 'subject'), 'Betaalverzoek');
  assert.equal(header(root, 'List-Unsubscribe'), '<https://x.example/u/1>, <mailto:u@x.example?subject=unsubscribe>');
  assert.equal(textOf(findPart(root, 'text/plain')!), 'Hallo Zoë');
  assert.equal(textOf(findPart(root, 'text/html')!), '<p>Hallo</p>');
  assert.equal(root.parts.length, 2);
  assert.equal(root.parts[1]!.type, 'application/pdf');
});
