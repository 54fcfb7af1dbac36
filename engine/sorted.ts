// Binary search over arrays sorted by an address.

/** Index of the last item whose key is at or below `key`, or -1 if every key is above it. */
export function lastAtOrBelow<T, K extends number | bigint>(items: readonly T[], key: K, keyOf: (item: T) => K): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (keyOf(items[mid]!) <= key) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
