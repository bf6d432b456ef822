import { pino } from 'pino';
import type { Config } from '../../src/config/config.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { type App, openApp } from '../../src/main.ts';
import type { DovecotInfo } from './dovecot.ts';
import { testDatabaseUrl } from './store.ts';

export const silentLogger = pino({ level: 'silent' });

/** The environment a user would set to point bounced at this test server and user. */
export function envFor(
  info: DovecotInfo,
  user: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const tls = info.imapsPort > 0;
  return {
    BOUNCED_IMAP_HOST: info.host,
    BOUNCED_IMAP_PORT: String(tls ? info.imapsPort : info.port),
    BOUNCED_IMAP_TLS: tls ? 'implicit' : 'none',
    ...(tls ? { BOUNCED_IMAP_CA: info.caFile } : {}),
    BOUNCED_IMAP_USER: user,
    BOUNCED_IMAP_PASSWORD: info.password,
    BOUNCED_DATABASE_URL: testDatabaseUrl(),
    BOUNCED_LOG_LEVEL: 'silent',
    ...extra,
  };
}

export function configFor(info: DovecotInfo, user: string, extra: Record<string, string> = {}): Config {
  return loadConfig({ env: envFor(info, user, extra) });
}

export async function openTestApp(config: Config): Promise<App> {
  return openApp(config, { logger: silentLogger });
}

/** Row counts of every table: "nothing changed" is these being equal. */
export async function tableCounts(app: App): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['processed_messages', 'bounce_events', 'suppressions'] as const) {
    const row = await app.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

/**
 * Apps on fresh test databases (SQLite files, or PostgreSQL schemas in the postgres
 * project), each closed by closeAll (the test file's afterEach).
 */
export function storeApps(): { open(): Promise<App>; closeAll(): Promise<void> } {
  const apps: App[] = [];
  return {
    async open() {
      const a = await openTestApp(
        loadConfig({ env: { BOUNCED_DATABASE_URL: testDatabaseUrl(), BOUNCED_LOG_LEVEL: 'silent' } }),
      );
      apps.push(a);
      return a;
    },
    async closeAll() {
      while (apps.length) await apps.pop()!.close();
    },
  };
}
