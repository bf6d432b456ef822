import { describe, expect, it } from 'vitest';
import { viewOf } from '../../src/parse/message-view.ts';
import { parseMimeEntity } from '../../src/parse/mime/mime-entity.ts';

const message = (parts: string[]) =>
  [
    'From: MAILER-DAEMON@mx.example.net',
    'Subject: Undelivered Mail Returned to Sender',
    'Content-Type: multipart/alternative; boundary="b"',
    '',
    ...parts.flatMap((p) => ['--b', p]),
    '--b--',
    '',
  ].join('\n');

const HTML = [
  'Content-Type: text/html; charset=us-ascii',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  '<p>Delivery to <b>bob@example.org</b> failed:<br>550 5.1.1 user =',
  'unknown &amp; gone</p>',
].join('\n');

describe("the message view's readable text", () => {
  it('reads the plain part and leaves the HTML alternative out', () => {
    const plain = 'Content-Type: text/plain\n\nThe address bob@example.org was rejected: 550 5.1.1 unknown.';
    const view = viewOf(parseMimeEntity(message([plain, HTML])));
    expect(view.text).toBe('The address bob@example.org was rejected: 550 5.1.1 unknown.');
  });

  it('falls back to the HTML part, decoded and with its tags out, when there is no plain text', () => {
    const view = viewOf(parseMimeEntity(message([HTML])));
    expect(view.text).toBe('Delivery to bob@example.org failed:\n550 5.1.1 user unknown & gone\n');
  });
});
