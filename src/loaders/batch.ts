/**
 * Puts `rows` in the order of `keys`, as DataLoader requires: one result per key, `missing`
 * where no row has that key.
 */
export function inKeyOrder<K, R, V>(
  keys: readonly K[],
  rows: readonly R[],
  keyOf: (row: R) => K,
  valueOf: (row: R) => V,
  missing: V,
): V[] {
  const byKey = new Map<K, V>();
  for (const row of rows) byKey.set(keyOf(row), valueOf(row));
  return keys.map((key) => (byKey.has(key) ? (byKey.get(key) as V) : missing));
}

/** Groups `rows` under each of `keys`, in key order; a key with no row gets an empty list. */
export function groupedInKeyOrder<K, R, V>(
  keys: readonly K[],
  rows: readonly R[],
  keyOf: (row: R) => K,
  valueOf: (row: R) => V,
): V[][] {
  const groups = new Map<K, V[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(valueOf(row));
  return keys.map((key) => groups.get(key) ?? []);
}
