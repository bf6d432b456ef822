// Lists cut and padded to a few fixed lengths, so that a query with an IN list or a
// multi-row INSERT has a few distinct SQL texts, not one per length. Every distinct text is
// a prepared statement in the cache (database.ts), and a 200-row INSERT's is hundreds of KiB:
// with a new length for nearly every batch, a first scan of 50,000 messages grew by 40 MiB.

/** The lengths an IN list is padded to: the longest is the most a query takes at once. */
const IN_LENGTHS = [8, 32, 128, 500] as const;

/**
 * The list in pieces of at most 500, each padded to the next of 8, 32, 128 or 500 by
 * repeating its last value (`x IN (a, b, b)` is `x IN (a, b)`).
 */
export function* inLists<T>(items: readonly T[]): Generator<T[]> {
  const most = IN_LENGTHS[IN_LENGTHS.length - 1]!;
  for (let i = 0; i < items.length; i += most) {
    const piece = items.slice(i, i + most);
    const length = IN_LENGTHS.find((n) => n >= piece.length)!;
    while (piece.length < length) piece.push(piece[piece.length - 1]!);
    yield piece;
  }
}

/**
 * The sizes rows are inserted in, powers of two: a batch of 100 goes as 64 + 32 + 4, so a
 * table has at most 8 INSERT texts. 128 events of 21 columns are 2,688 parameters, far
 * under SQLite's 32,766 (and PostgreSQL's 65,535).
 */
const ROW_GROUPS = [128, 64, 32, 16, 8, 4, 2, 1] as const;

/** The rows in groups of powers of two up to 128, largest first. */
export function* rowGroups<T>(rows: readonly T[]): Generator<T[]> {
  let at = 0;
  for (const size of ROW_GROUPS)
    while (rows.length - at >= size) {
      yield rows.slice(at, at + size);
      at += size;
    }
}
