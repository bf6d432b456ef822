import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { DatabaseSchema } from './schema.ts';
import { rowGroups } from './statement-shapes.ts';

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
  const compiledFor = new WeakMap<object, Marked<R, K>>();
  const marks = new Map(names.map((n) => [`\u0000${n}\u0000`, n]));
  const placeholders = Object.fromEntries([...marks].map(([mark, n]) => [n, mark])) as Record<K, never>;
  return async (db, values) => {
    const adapter = db.getExecutor().adapter;
    let template = compiledFor.get(adapter);
    if (!template) compiledFor.set(adapter, (template = compileMarked(build(db, placeholders), marks)));
    const { compiled, places } = template;
    return db.executeQuery<R>({ ...compiled, parameters: places.map((n) => values[n]) });
  };
}

interface Marked<R, P> {
  readonly compiled: CompiledQuery<R>;
  /** What each parameter of the compiled query stands for, in the order its SQL uses them. */
  readonly places: readonly P[];
}

/** The query compiled, each of its parameters read back as the place its placeholder marks. */
function compileMarked<R, P>(query: Compilable<R>, marks: ReadonlyMap<unknown, P>): Marked<R, P> {
  const compiled = query.compile();
  const places = compiled.parameters.map((p) => {
    const place = marks.get(p);
    // A value written into the builder (a constant) is a parameter too: not allowed, so
    // that every parameter has a place.
    if (place === undefined)
      throw new Error(`query template: parameter ${JSON.stringify(p)} is not a placeholder`);
    return place;
  });
  return { compiled, places };
}

/**
 * A multi-row statement (an INSERT … VALUES of many rows) built and compiled once for each
 * group size of rowGroups, then run with new rows. Building and compiling a 64-row INSERT
 * each time cost more than SQLite inserting the rows, and made a 10 KiB SQL text per batch
 * for the statement cache to look up (a scan's profile).
 *
 * `build` gets, for each row, a placeholder for each column. Returns the rows of every group
 * (RETURNING), groups in order.
 */
export function rowsTemplate<C extends string, R>(
  columns: readonly C[],
  build: (db: Db, rows: Record<C, never>[]) => Compilable<R>,
): (db: Db, rows: readonly Readonly<Record<C, unknown>>[]) => Promise<R[]> {
  const compiledFor = new WeakMap<object, Map<number, Marked<R, readonly [number, C]>>>();
  const templateOf = (db: Db, size: number) => {
    const adapter = db.getExecutor().adapter;
    let sizes = compiledFor.get(adapter);
    if (!sizes) compiledFor.set(adapter, (sizes = new Map()));
    let template = sizes.get(size);
    if (!template) {
      const marks = new Map<unknown, readonly [number, C]>();
      const rows = Array.from({ length: size }, (_, i) =>
        Object.fromEntries(
          columns.map((c) => {
            const mark = `\u0000${i}\u0000${c}\u0000`;
            marks.set(mark, [i, c]);
            return [c, mark];
          }),
        ),
      ) as Record<C, never>[];
      sizes.set(size, (template = compileMarked(build(db, rows), marks)));
    }
    return template;
  };
  return async (db, rows) => {
    const out: R[] = [];
    for (const group of rowGroups(rows)) {
      const { compiled, places } = templateOf(db, group.length);
      const parameters = places.map(([i, c]) => group[i]![c]);
      out.push(...(await db.executeQuery<R>({ ...compiled, parameters })).rows);
    }
    return out;
  };
}
