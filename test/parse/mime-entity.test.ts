import { describe, expect, it } from 'vitest';
import { parseContentType } from '../../src/parse/mime/content-type.ts';
import { decodeHeaderValue, parseHeaderBlock } from '../../src/parse/mime/header-fields.ts';
import { parseMimeEntity, splitMultipart } from '../../src/parse/mime/mime-entity.ts';
import { toLf } from '../../src/parse/mime/line-ends.ts';
import { decodeQuotedPrintable } from '../../src/parse/mime/transfer-encoding.ts';

describe('the MIME reader', () => {
  it('unfolds continuation lines and keeps fields in order', () => {
    const h = parseHeaderBlock('Subject: one\n two\nX-A: 1\nX-A: 2');
    expect(h.get('subject')).toBe('one two');
    expect(h.getAll('x-a')).toEqual(['1', '2']);
  });

  it('decodes RFC 2047 encoded words in B and Q forms, joining adjacent words', () => {
    expect(decodeHeaderValue('=?UTF-8?B?w4ljaGVj?= =?UTF-8?Q?_de_livraison?=')).toBe('Échec de livraison');
    expect(decodeHeaderValue('=?ISO-2022-JP?B?GyRCJCIkJCQmGyhC?=')).toBe('あいう');
  });

  it('reads raw 8-bit UTF-8 header text (RFC 6532)', () => {
    const raw = Buffer.from('Subject: Unzustellbar: Grüße', 'utf8').toString('latin1');
    expect(parseHeaderBlock(raw).get('subject')).toBe('Unzustellbar: Grüße');
  });

  it('reads RFC 2231 parameters and tolerates a missing subtype', () => {
    expect(parseContentType("text/plain; charset*=utf-8''%C3%A9t%C3%A9").params.charset).toBe('été');
    expect(parseContentType('garbage').mimeType).toBe('text/plain');
    expect(parseContentType('multipart/report; boundary="a b"; report-type=delivery-status').params).toEqual({
      boundary: 'a b',
      'report-type': 'delivery-status',
    });
  });

  it('splits on the boundary only at a line start, not on a longer boundary', () => {
    const body = 'preamble\n--b\n\none\n--bx\nnot a delimiter\n--b\n\ntwo\n--b--\nepilogue';
    expect(splitMultipart(body, 'b')).toEqual(['\none\n--bx\nnot a delimiter', '\ntwo']);
  });

  it('keeps the parts it has when the close delimiter is missing (a truncated message)', () => {
    const entity = parseMimeEntity(
      'Content-Type: multipart/mixed; boundary=z\n\n--z\n\nfirst\n--z\nContent-Type: text/plain\n\nsecond, cut off',
    );
    expect(entity.parts.map((p) => p.text())).toEqual(['first', 'second, cut off']);
  });

  it('decodes base64 and quoted-printable bodies in their charset', () => {
    const b64 = parseMimeEntity(
      `Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: base64\n\n${Buffer.from('Grüße', 'latin1').toString('base64')}\n`,
    );
    expect(b64.text().trim()).toBe('Grüße');
    const qp = parseMimeEntity(
      'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nGr=C3=BC=\n=C3=9Fe =3D ok',
    );
    expect(qp.text()).toBe('Grüße = ok');
  });

  it('makes CRLF, bare CR and LF line ends all LF, and leaves text without CR as it is', () => {
    expect(toLf('a\r\nb\rc\nd\r\n\r\ne\r')).toBe('a\nb\nc\nd\n\ne\n');
    expect(toLf('\r\r\n')).toBe('\n\n');
    const plain = 'no carriage return\n';
    expect(toLf(plain)).toBe(plain);
  });

  it('keeps what is not a quoted-printable escape as it is (RFC 2045 §6.7, robustness note 2)', () => {
    const decode = (s: string) => decodeQuotedPrintable(s).toString('latin1');
    expect(decode('a=3d=3Db')).toBe('a==b'); // lower-case hex is read too
    expect(decode('50=% off, =G1, =4')).toBe('50=% off, =G1, =4');
    expect(decode('line =  \nnext')).toBe('line next'); // soft break after trailing blanks
    expect(decode('cut at the end=')).toBe('cut at the end');
    expect(decode('=E9t=E9')).toBe('\u00e9t\u00e9');
  });

  it('falls back to UTF-8 or windows-1252 when the charset is unknown', () => {
    const e = parseMimeEntity(
      `Content-Type: text/plain; charset=x-no-such-charset\n\n${Buffer.from('naïve', 'utf8').toString('latin1')}`,
    );
    expect(e.text()).toBe('naïve');
  });

  it('stops descending at the nesting limit instead of recursing without end', () => {
    let msg = 'Subject: leaf\n\nbody';
    for (let i = 0; i < 50; i++) msg = `Content-Type: message/rfc822\n\n${msg}`;
    let depth = 0;
    for (let e = parseMimeEntity(msg); e.message; e = e.message) depth++;
    expect(depth).toBeLessThanOrEqual(12);
  });
});
