import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Migration, type MigrationProvider, type MigrationResult, Migrator } from 'kysely';
import { DatabaseError, type Db } from './database.ts';

// src/store → ../../migrations; compiled, dist/src/store → dist/migrations.
const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * Reads migrations/ and imports each file from here (not from inside kysely), so that the
 * same code loads the .ts sources under the test runner and the compiled .js in production.
 */
class FolderMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const file of readdirSync(MIGRATIONS).sort()) {
      if (!/\.(js|ts)$/.test(file) || file.endsWith('.d.ts')) continue;
      const module = (await import(pathToFileURL(join(MIGRATIONS, file)).href)) as Migration;
      out[file.replace(/\.(js|ts)$/, '')] = module;
    }
    return out;
  }
}

/** Applies every pending migration; returns the names applied. */
export async function migrate(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r: MigrationResult) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new DatabaseError(`migration ${failed} failed: ${(error as Error).message ?? String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
