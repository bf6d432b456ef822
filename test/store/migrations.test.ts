// The migration list is written by hand (migrations/index.ts); a file left out of it would
// never be applied, and one listed out of order would apply before what it builds on.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../migrations/index.ts';

describe('the migration list', () => {
  it('names every file in migrations/, once, in the order of their names', () => {
    const files = readdirSync(new URL('../../migrations/', import.meta.url))
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(MIGRATIONS.map(([name]) => name)).toEqual(files);
  });

  it('gives each name the module of the file with that name', async () => {
    for (const [name, migration] of MIGRATIONS) {
      const module = (await import(`../../migrations/${name}.ts`)) as unknown;
      expect(module, name).toBe(migration);
    }
  });
});
