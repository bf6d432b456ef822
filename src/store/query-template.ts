import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { DatabaseSchema } from './schema.ts';

type Db = Kysely<DatabaseSchema>;

/**
 * A query built and compiled once, then run many times with new values. In a scan's
 * profile, building and compiling Kysely queries cost more than SQLite running them: the
 * scan's statements are small, and there are several per message. The SQL is still
 * Kysely's, so it is the dialect's own.
 *
 * `build` gets a placeholder for each named value. The compiled query's parameters are those
 * placeholders, in the order its SQL uses them; each run puts the values in their places.
 * Compiled once per dialect adapter (a database and its transactions share one).
 */
export function queryTemplate<K extends string, R>(
  names: readonly K[],
  build: (db: Db, values: Record<K, never>) => Compilable<R>,
): (db: Db, values: Readonly<Record<K, unknown>>) => Promise<QueryResult<R>> {
  const compiledFor = new WeakMap<object, { compiled: CompiledQuery<R>; order: K[] }>();
  const marks = Object.fromEntries(names.map((n) => [n, `\u0000${n}\u0000`])) as Record<K, never>;
  return async (db, values) => {
    const adapter = db.getExecutor().adapter;
    let template = compiledFor.get(adapter);
    if (!template) {
      const compiled = build(db, marks).compile();
      const order = compiled.parameters.map((p) => {
        const name = typeof p === 'string' ? (p.slice(1, -1) as K) : undefined;
        // A value written into the builder (a constant) is a parameter too: not allowed, so
        // that every parameter has a name.
        if (name === undefined || marks[name] !== p)
          throw new Error(`query template: parameter ${JSON.stringify(p)} is not a placeholder`);
        return name;
      });
      template = { compiled, order };
      compiledFor.set(adapter, template);
    }
    const { compiled, order } = template;
    return db.executeQuery<R>({ ...compiled, parameters: order.map((n) => values[n]) });
  };
}
