// The digest as ops see it: rendered by a real browser (Debian's Chromium, driven by
// playwright-core), after a scan of about 140 real and synthetic bounces.
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { envFor } from '../helpers/app.ts';
import { runCliAsync } from '../helpers/cli.ts';
import { fixture } from '../helpers/fixtures.ts';
import { freshUser, seedMaildir } from '../helpers/maildir.ts';
import { makeArf, makeDsn } from '../helpers/messages.ts';

const dovecot = inject('dovecot');
const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = 'test-output';

function allFixtures(): Buffer[] {
  const out: Buffer[] = [];
  for (const dir of readdirSync('test/fixtures', { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(join('test/fixtures', dir.name)))
      if (f.endsWith('.eml')) out.push(fixture(`${dir.name}/${f}`));
  }
  return out;
}

/** Sender-side blocks from many domains and providers, long addresses, repeated complaints. */
function synthetic(): Buffer[] {
  const out: Buffer[] = [];
  const blocks = [
    [
      'gmail.com',
      '5.7.26',
      '550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked.',
    ],
    [
      'outlook.com',
      '5.7.1',
      "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
    ],
    [
      'yahoo.com',
      '5.7.9',
      '554 5.7.9 Message not accepted for policy reasons. See https://senders.yahooinc.com/error-codes',
    ],
  ] as const;
  for (let i = 0; i < 30; i++) {
    const [domain, status, diagnostic] = blocks[i % blocks.length]!;
    const d = i < 15 ? domain : `customer${i}.example`;
    out.push(makeDsn({ recipients: [{ address: `someone${i}@${d}`, status, diagnostic }] }));
  }
  out.push(
    makeDsn({
      recipients: [
        {
          address:
            'a.very.long.local.part.that.goes.on.and.on.for.a.while@subdomain.of.a.long.receiver.example',
          status: '5.1.1',
        },
      ],
    }),
  );
  for (let i = 0; i < 6; i++)
    out.push(
      makeArf({
        recipient: `annoyed${i % 3}@receiver.example`,
        arrivalDate: `Mon, ${16 + i} Nov 2026 07:30:00 +0000`,
      }),
    );
  return out;
}

describe('the digest in a real browser', () => {
  it('fits 640 px, keeps dates on one line, and shows the summary without scrolling', async () => {
    const user = freshUser();
    const env = envFor(dovecot, user, { BOUNCED_DIGEST_TIMEZONE: 'Europe/Paris' });
    const messages = [...allFixtures(), ...synthetic()];
    expect(messages.length).toBeGreaterThanOrEqual(130);
    seedMaildir(dovecot, user, messages);
    const scan = await runCliAsync(['scan', '--once'], env);
    expect(scan.code, scan.stderr).toBe(0);
    mkdirSync(OUTPUT, { recursive: true });
    const file = join(process.cwd(), OUTPUT, 'digest.html');
    const html = await runCliAsync(['digest', '--dry-run', '--html', '--output', file], env);
    expect(html.code, html.stderr).toBe(0);

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 640, height: 800 } });
      await page.goto(`file://${file}`);
      // Runs in the page; a string, so that this Node project needs no DOM types.
      const facts = (await page.evaluate(`(() => {
        const lines = (el) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        };
        const nowrap = [...document.querySelectorAll('[data-nowrap]')];
        const summary = document.getElementById('summary').getBoundingClientRect();
        return {
          scrollWidth: document.documentElement.scrollWidth,
          nowrapCells: nowrap.length,
          wrapped: nowrap.filter((el) => lines(el) > 1).map((el) => el.textContent),
          summaryBottom: summary.bottom,
          viewport: window.innerHeight,
          quirks: document.compatMode,
        };
      })()`)) as {
        scrollWidth: number;
        nowrapCells: number;
        wrapped: string[];
        summaryBottom: number;
        viewport: number;
        quirks: string;
      };
      expect(facts.quirks).toBe('CSS1Compat'); // standards mode: the doctype came first
      expect(facts.scrollWidth).toBeLessThanOrEqual(640);
      expect(facts.nowrapCells).toBeGreaterThan(20);
      expect(facts.wrapped).toEqual([]);
      expect(facts.summaryBottom).toBeLessThanOrEqual(facts.viewport);
      await page.screenshot({ path: join(OUTPUT, 'digest.png'), fullPage: false });
      await page.screenshot({ path: join(OUTPUT, 'digest-full.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 90_000);
});
