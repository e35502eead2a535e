/**
 * Sets `key` in `map`, first letting go of the entry set longest ago when the map already holds
 * `capacity` others: a bound on memory for the process's caches, whose oldest entries are the least
 * worth keeping (delete an entry before setting it again to make it the newest).
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, capacity: number): void {
  if (!map.has(key) && map.size >= capacity) map.delete(map.keys().next().value as K);
  map.set(key, value);
}

/**
 * A cache of the values computed for the last `capacity` keys first seen (see {@link setBounded}):
 * `remember(key, compute)` gives the kept value, or computes and keeps it.
 */
export function boundedCache<K, V>(capacity: number): (key: K, compute: () => V) => V {
  const kept = new Map<K, V>();
  return (key, compute) => {
    if (kept.has(key)) return kept.get(key) as V;
    const value = compute();
    setBounded(kept, key, value, capacity);
    return value;
  };
}
