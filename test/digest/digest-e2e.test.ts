// The digest as ops receive it: real mailbox → `bounced scan --once` → `bounced digest --now`
// → a real SMTP server → parsed back with mailparser, as a mail client would.
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseCsv } from '../../src/export/csv.ts';
import { envFor } from '../helpers/app.ts';
import { runCliAsync, startCli } from '../helpers/cli.ts';
import { fixture } from '../helpers/fixtures.ts';
import { freshUser, seedMaildir } from '../helpers/maildir.ts';
import { makeDsn, makeOrdinaryMail } from '../helpers/messages.ts';
import { type SmtpSink, smtpEnvFor, startSmtpSink } from '../helpers/smtp-sink.ts';
import { sqlOn } from '../helpers/store.ts';

const dovecot = inject('dovecot');
let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.stop();
});

const HOSTILE =
  '550 5.1.1 <mallory@receiver.example>: no such user <script>alert("x")</script> & <b>bold</b>';
const GMAIL_AUTH =
  '550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked. The sender must authenticate with at least one of SPF or DKIM.';

function seedDay(user: string) {
  seedMaildir(dovecot, user, [
    makeDsn({ recipients: [{ address: 'mallory@receiver.example', status: '5.1.1', diagnostic: HOSTILE }] }),
    makeDsn({ recipients: [{ address: 'alice@gmail.com', status: '5.7.26', diagnostic: GMAIL_AUTH }] }),
    makeDsn({ recipients: [{ address: 'bob@gmail.com', status: '5.7.26', diagnostic: GMAIL_AUTH }] }),
    // Two soft failures: half way to the default threshold of 3.
    makeDsn({
      recipients: [
        { address: 'full@receiver.example', status: '4.2.2', diagnostic: '452 4.2.2 Mailbox full' },
      ],
    }),
    makeDsn({
      recipients: [
        { address: 'full@receiver.example', status: '4.2.2', diagnostic: '452 4.2.2 Mailbox full' },
      ],
    }),
    fixture('rfc3834/rfc3834-01.eml'), // an auto-reply
    fixture('arf/arf-17.eml'), // a complaint about two addresses
    fixture('exim/lhost-exim-41.eml'), // a delay warning
    makeOrdinaryMail(), // for the review folder
  ]);
}

async function received(index: number): Promise<ParsedMail> {
  const mail = sink.received[index];
  if (!mail) throw new Error(`the sink holds ${sink.received.length} messages, not ${index + 1}`);
  return simpleParser(mail.raw);
}

function csvOf(mail: ParsedMail): string[][] {
  const csv = mail.attachments.find((a) => a.contentType === 'text/csv');
  if (!csv) throw new Error('no CSV attachment');
  return parseCsv(csv.content.toString('utf8'));
}

describe('the digest, end to end', () => {
  it('arrives with every section, its HTML escaped, and the new suppressions as CSV', async () => {
    const user = freshUser();
    const env = envFor(dovecot, user, smtpEnvFor(sink));
    seedDay(user);
    const scan = await runCliAsync(['scan', '--once'], env);
    expect(scan.code, scan.stderr).toBe(0);

    const before = sink.received.length;
    const sent = await runCliAsync(['digest', '--now'], env);
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toBe('digest sent\n');
    expect(sink.received).toHaveLength(before + 1);
    expect(sink.received[before]?.to).toEqual(['ops@sender.example']);

    const mail = await received(before);
    expect(mail.subject).toBe('bounced digest: 3 new suppressions, 2 sender-side failures');
    expect(mail.from?.text).toBe('bounced@sender.example');

    const text = mail.text ?? '';
    // New suppressions, grouped by cause: the hard bounce and the two complaints.
    expect(text).toContain('NEW SUPPRESSIONS: 3');
    expect(text).toMatch(/Hard bounces \(1\)\n {4}mallory@receiver\.example\n {6}.*status 5\.1\.1/);
    expect(text).toContain('Complaints (2)');
    // Sender-side: grouped by provider and status, with the fix; the addresses are not suppressed.
    expect(text).toContain('SENDER-SIDE FAILURES: 2');
    expect(text).toMatch(/^ {2}Google · .* · 5\.7\.26 · 2×$/m);
    expect(text).toContain('domains: gmail.com (2)');
    expect(text.match(/fix: publish SPF for the Return-Path domain, sign with DKIM/g)).toHaveLength(1);
    expect(text).not.toMatch(/^ {4}alice@gmail\.com$/m);
    expect(text).toMatch(
      /APPROACHING THE SOFT-FAILURE THRESHOLD: 1\n {2}full@receiver\.example · 2 soft failures/,
    );
    expect(text).toContain('COMPLAINTS: 2');
    expect(text).toContain('IGNORED: 1 auto-reply, 1 delay warning');
    expect(text).toContain('WAITING IN THE REVIEW FOLDER: 1');

    // The HTML part: the bounce text is data, never markup.
    const html = typeof mail.html === 'string' ? mail.html : '';
    expect(html).toContain('no such user &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>bold');
    expect(html).toContain('mallory@receiver.example');

    // The CSV attachment: the export's columns, one row per new suppression.
    const rows = csvOf(mail);
    expect(rows[0]).toEqual([
      'email',
      'reason',
      'description',
      'status',
      'reply_code',
      'diagnostic',
      'first_bounced_at',
      'last_bounced_at',
      'bounce_count',
      'source',
    ]);
    expect(rows.slice(1).map((r) => [r[0], r[9]])).toEqual([
      ['kijitora@example.com', 'complaint'],
      ['mallory@receiver.example', 'bounce'],
      ['sabatora@example.net', 'complaint'],
    ]);
    const mallory = rows.find((r) => r[0] === 'mallory@receiver.example');
    expect(mallory?.[3]).toBe('5.1.1');
    expect(mallory?.[5]).toContain('<script>alert("x")</script>'); // CSV is data: kept verbatim

    // Nothing new since: the next digest is not sent.
    const again = await runCliAsync(['digest', '--now'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('nothing new since the last digest; not sent\n');
    expect(sink.received).toHaveLength(before + 1);
  });

  it('loses nothing when the SMTP server refuses: the next digest covers both periods', async () => {
    const user = freshUser();
    const env = envFor(dovecot, user, smtpEnvFor(sink));
    seedMaildir(dovecot, user, [
      makeDsn({ recipients: [{ address: 'first@receiver.example', status: '5.1.1' }] }),
    ]);
    expect((await runCliAsync(['scan', '--once'], env)).code).toBe(0);

    const before = sink.received.length;
    sink.refuseNext(1);
    const failed = await runCliAsync(['digest', '--now'], env);
    expect(failed.code).toBe(69);
    expect(failed.stderr).toContain('bounced: mail error: sending the digest through 127.0.0.1');
    expect(failed.stderr).toContain('451');
    expect(sink.received).toHaveLength(before);

    seedMaildir(dovecot, user, [
      makeDsn({ recipients: [{ address: 'second@receiver.example', status: '5.1.1' }] }),
    ]);
    expect((await runCliAsync(['scan', '--once'], env)).code).toBe(0);
    const ok = await runCliAsync(['digest', '--now'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(sink.received).toHaveLength(before + 1);
    const mail = await received(before);
    expect(mail.subject).toContain('2 new suppressions');
    expect(
      csvOf(mail)
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(['first@receiver.example', 'second@receiver.example']);
  });

  it('--dry-run prints the digest and sends nothing; an empty period is not sent unless configured', async () => {
    const user = freshUser();
    const env = envFor(dovecot, user, smtpEnvFor(sink));
    const before = sink.received.length;

    const empty = await runCliAsync(['digest', '--now'], env);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toBe('nothing new since the last digest; not sent\n');
    expect(sink.received).toHaveLength(before);

    const forced = await runCliAsync(['digest', '--now'], { ...env, BOUNCED_DIGEST_SEND_EMPTY: 'true' });
    expect(forced.code, forced.stderr).toBe(0);
    expect(sink.received).toHaveLength(before + 1);
    expect((await received(before)).text).toContain('NEW SUPPRESSIONS: 0\n  none');

    seedMaildir(dovecot, user, [
      makeDsn({
        recipients: [
          { address: 'eve@receiver.example', status: '5.1.1', diagnostic: '550 5.1.1 <eve> & <i>' },
        ],
      }),
    ]);
    expect((await runCliAsync(['scan', '--once'], env)).code).toBe(0);
    const dry = await runCliAsync(['digest', '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^Subject: bounced digest: 1 new suppression, 0 sender-side failures\n\n/);
    expect(dry.stdout).toContain('eve@receiver.example');
    const dryHtml = await runCliAsync(['digest', '--dry-run', '--html'], env);
    expect(dryHtml.stdout).toContain('550 5.1.1 &#60;eve&#62; &#38; &#60;i&#62;');
    expect(dryHtml.stdout).not.toContain('<eve>');
    expect(sink.received).toHaveLength(before + 1);
    // A dry run is not a digest: the real one still carries eve.
    expect((await runCliAsync(['digest', '--now'], env)).code).toBe(0);
    expect(csvOf(await received(before + 1)).map((r) => r[0])).toContain('eve@receiver.example');
  });
});

describe('digest --dry-run output', () => {
  it('--html is one HTML document and nothing else; --eml is the whole MIME message; rates and removals show', async () => {
    const user = freshUser();
    const env = envFor(dovecot, user, {
      ...smtpEnvFor(sink),
      // 40 sent, 1 hard bounce: 2.5 %, over the 2 % mark.
      BOUNCED_DIGEST_SENT_COUNT: 'echo 40',
    });
    seedMaildir(dovecot, user, [
      makeDsn({ recipients: [{ address: 'gone@receiver.example', status: '5.1.1' }] }),
      makeDsn({ recipients: [{ address: 'back@receiver.example', status: '5.1.1' }] }),
    ]);
    expect((await runCliAsync(['scan', '--once'], env)).code).toBe(0);
    const removed = await runCliAsync(
      ['suppressions', 'remove', 'back@receiver.example', '--reason', 'customer called'],
      env,
    );
    expect(removed.code, removed.stderr).toBe(0);

    const html = await runCliAsync(['digest', '--dry-run', '--html'], env);
    expect(html.code, html.stderr).toBe(0);
    expect(html.stdout.startsWith('<!doctype html>\n')).toBe(true);
    expect(html.stdout.trimEnd().endsWith('</html>')).toBe(true);
    expect(html.stdout).not.toContain('Subject:');

    const text = await runCliAsync(['digest', '--dry-run'], env);
    expect(text.stdout).toContain('  Hard-bounce rate: 5 % (2) · OVER THE LIMIT');
    expect(text.stdout).toMatch(
      /REMOVED FROM THE LIST: 1\n {2}back@receiver\.example · \w{3} \d+ \d\d:\d\d · \S+ via the CLI · "customer called"/,
    );

    const eml = await runCliAsync(['digest', '--dry-run', '--eml'], env);
    expect(eml.code, eml.stderr).toBe(0);
    const mail = await simpleParser(Buffer.from(eml.stdout));
    expect(mail.subject).toBe('bounced digest: 1 new suppression, 0 sender-side failures');
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('ops@sender.example');
    expect(typeof mail.html === 'string' && mail.html.startsWith('<!doctype html>')).toBe(true);
    expect(mail.attachments.map((a) => a.filename)).toEqual([
      expect.stringMatching(/^new-suppressions-\d{4}-\d\d-\d\d\.csv$/),
      expect.stringMatching(/^digest-details-\d{4}-\d\d-\d\d\.csv$/),
    ]);
    const details = parseCsv(mail.attachments[1]!.content.toString('utf8'));
    expect(details.find((r) => r[0] === 'removed')?.slice(0, 2)).toEqual([
      'removed',
      'back@receiver.example',
    ]);
    expect(sink.received.filter((m) => m.raw.includes('gone@receiver.example'))).toHaveLength(0);
  });
});

describe('SMTP authentication', () => {
  it('is required when credentials are configured: a server without AUTH gets nothing', async () => {
    const user = freshUser();
    const env = envFor(dovecot, user, {
      ...smtpEnvFor(sink),
      BOUNCED_SMTP_USER: 'ops',
      BOUNCED_SMTP_PASSWORD: 'Sm7p-pa55',
      BOUNCED_DIGEST_SEND_EMPTY: 'true',
    });
    const before = sink.received.length;
    const r = await runCliAsync(['digest', '--now'], env);
    expect(r.code).toBe(69);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('does not offer SMTP AUTH, and smtp.user is set');
    expect(r.stderr).not.toContain('Sm7p-pa55');
    expect(sink.received).toHaveLength(before);
  });
});

describe('terminal escapes in bounce text', () => {
  it('never reach the terminal through list, show or digest --dry-run', async () => {
    const user = freshUser();
    const env = envFor(dovecot, user, smtpEnvFor(sink));
    // Sets the window title, rings the bell and clears the screen, if printed raw.
    const hostile = '\u001b]0;pwned\u0007\u001b[2J\u009b31m';
    seedMaildir(dovecot, user, [
      makeDsn({
        recipients: [
          { address: 'mallory@receiver.example', status: '5.1.1', diagnostic: `550 5.1.1 ${hostile} gone` },
        ],
      }),
    ]);
    expect((await runCliAsync(['scan', '--once'], env)).code).toBe(0);
    const add = await runCliAsync(
      ['suppressions', 'add', 'trent@receiver.example', '--reason', `by hand ${hostile}`],
      env,
    );
    expect(add.code, add.stderr).toBe(0);
    for (const args of [
      ['suppressions', 'list'],
      ['suppressions', 'show', 'mallory@receiver.example'],
      ['suppressions', 'show', 'trent@receiver.example'],
      ['digest', '--dry-run'],
    ]) {
      const r = await runCliAsync(args, env);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);

      expect(r.stdout, args.join(' ')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      if (!args.includes('trent@receiver.example'))
        expect(r.stdout, args.join(' ')).toContain('mallory@receiver.example');
    }
    // What was there is still shown, as visible symbols.
    expect((await runCliAsync(['suppressions', 'show', 'mallory@receiver.example'], env)).stdout).toContain(
      '\u241b]0;pwned\u2407',
    );
  });
});

describe('the daemon and the digest', () => {
  // Due every midnight UTC: always in the past when the test runs. Scans only at start.
  const schedules = { BOUNCED_DIGEST_SCHEDULE: '0 0 * * *', BOUNCED_SCAN_SCHEDULE: '0 0 1 1 *' };

  it('sends at start the digest that fell due while it was down', async () => {
    const user = freshUser();
    const env: Record<string, string> = {
      ...envFor(dovecot, user, smtpEnvFor(sink)),
      ...schedules,
      BOUNCED_LOG_LEVEL: 'info',
    };
    seedMaildir(dovecot, user, [
      makeDsn({ recipients: [{ address: 'gone@receiver.example', status: '5.1.1' }] }),
    ]);
    expect((await runCliAsync(['scan', '--once'], env)).code).toBe(0);
    // bounced has been running for two days: its first scan is before the last midnight.
    await sqlOn(env.BOUNCED_DATABASE_URL!, 'UPDATE scan_runs SET started_at = ?', [
      new Date(Date.now() - 2 * 86_400_000).toISOString(),
    ]);

    const before = sink.received.length;
    const daemon = startCli(['run'], env);
    await daemon.waitFor(/"sendNow":true/);
    await daemon.waitFor(/"msg":"digest sent"/);
    daemon.child.kill('SIGTERM');
    expect(await daemon.exit).toBe(0);
    expect(sink.received).toHaveLength(before + 1);
    expect(csvOf(await received(before)).map((r) => r[0])).toContain('gone@receiver.example');
  });

  it('sends nothing early on its very first start', async () => {
    const user = freshUser();
    const env = { ...envFor(dovecot, user, smtpEnvFor(sink)), ...schedules, BOUNCED_LOG_LEVEL: 'info' };
    seedMaildir(dovecot, user, [
      makeDsn({ recipients: [{ address: 'new@receiver.example', status: '5.1.1' }] }),
    ]);
    const before = sink.received.length;
    const daemon = startCli(['run'], env);
    await daemon.waitFor(/"sendNow":false/);
    await daemon.waitFor(/"msg":"scan done"/);
    daemon.child.kill('SIGINT'); // Ctrl-C stops it as cleanly as SIGTERM
    expect(await daemon.exit).toBe(0);
    expect(daemon.stderr()).toContain('"msg":"stopped"');
    expect(sink.received).toHaveLength(before);
  });
});
