/**
 * One string object per distinct value. A catalogue of 1M items holds about three tag strings per item,
 * each a separate object as the driver or `split` made it, though the vocabulary has a few thousand: every
 * major collection marks them all. Interned, they share the vocabulary's strings (a 1.06M-item probe: heap
 * 418 → 313 MB, a full collection 356–536 → 232–288 ms; 181 MB less heap in an API at 1.06M items:
 * docs/journal/2026-12-07-tag-strings-and-node-order.md).
 */
export class StringPool {
  private readonly strings = new Map<string, string>();
  private readonly lists = new Map<string, string[]>();

  of(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    this.strings.set(s, s);
    return s;
  }

  /**
   * One shared array per distinct list (its strings pooled too): items with the same tags share one array, an
   * array exactly as long as the list (the driver's lists grow by push and keep ~17 slots: 180 MB for 1.06M
   * catalogue rows). Never mutate what this returns.
   */
  list(list: string[]): string[] {
    const key = list.join('\u0000');
    const known = this.lists.get(key);
    if (known !== undefined) return known;
    const own = list.map((s) => this.of(s));
    this.lists.set(key, own);
    return own;
  }

  /** The distinct strings seen. */
  values(): IterableIterator<string> {
    return this.strings.keys();
  }
}
