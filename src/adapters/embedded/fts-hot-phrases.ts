/**
 * Phrases that match many documents, remembered as the best tier they matched each document in
 * (3 + tier; 0 where absent), one byte a document: reading their doclists again is what made the
 * slowest queries slow (a character or a pair found in most records: 本, 刻本, 普通古籍).
 */

interface HotPhrase {
  tiers: Uint8Array;
  /** The generation of the file the tiers are true of. */
  generation: number;
}

/** Beyond this many documents written since a hot phrase was remembered, it is read again. */
const HOT_PATCH_LIMIT = 256;

/** What the cache asks of the index: the state of its columns and FTS5 lookups of changed documents. */
export interface HotPhraseSource {
  /** Documents held (the length of a tiers array) and the generation of the file read. */
  size: number;
  generation: number;
  /** Ids of the documents written after `generation`, at most `limit`. */
  changedSince(generation: number, limit: number): number[];
  /** The tier (index of the FTS5 table) the query finds document `id` in, or -1. */
  tierOf(query: string, id: number): number;
}

export class HotPhrases {
  /** By FTS5 query, least recently used first. */
  private readonly entries = new Map<string, HotPhrase>();
  private bytes = 0;

  /**
   * @param maxBytes the most memory they may hold (0: none are remembered)
   * @param minMatches phrases matching at least this many documents, and at least 1/64 of them
   *   (a hot phrase costs a byte per document), are remembered
   */
  constructor(
    private readonly maxBytes: number,
    private readonly minMatches: number,
  ) {}

  /** The FTS5 queries remembered, least recently used first. */
  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  /**
   * A hot phrase's tiers, brought up to date first with the documents written since it was
   * remembered — each looked up in FTS5 itself, so memory can never disagree with the index —
   * or null when it is not remembered or too much was written since.
   */
  get(query: string, source: HotPhraseSource): Uint8Array | null {
    const entry = this.entries.get(query);
    if (!entry) return null;
    this.entries.delete(query);
    if (entry.generation !== source.generation) {
      const changed = source.changedSince(entry.generation, HOT_PATCH_LIMIT + 1);
      if (changed.length > HOT_PATCH_LIMIT) {
        this.bytes -= entry.tiers.byteLength;
        return null;
      }
      if (entry.tiers.length < source.size) {
        const grown = new Uint8Array(source.size);
        grown.set(entry.tiers);
        this.bytes += grown.byteLength - entry.tiers.byteLength;
        entry.tiers = grown;
      }
      for (const id of changed) {
        const t = source.tierOf(query, id);
        entry.tiers[id] = t === -1 ? 0 : 3 + t;
      }
      entry.generation = source.generation;
    }
    this.entries.set(query, entry);
    return entry.tiers;
  }

  /**
   * Remembers a phrase that matched many documents (`lists`: per tier, the ids it matched),
   * forgetting the least recently used first; returns its tiers, or null for a phrase not worth
   * remembering.
   */
  remember(query: string, lists: number[][], source: Pick<HotPhraseSource, 'size' | 'generation'>): Uint8Array | null {
    const matches = lists.reduce((n, ids) => n + ids.length, 0);
    if (matches < this.minMatches || matches * 64 < source.size || source.size > this.maxBytes) return null;
    const tiers = new Uint8Array(source.size);
    // The best (lowest) tier last, so that it stays.
    for (let t = lists.length - 1; t >= 0; t--) for (const id of lists[t]!) tiers[id] = 3 + t;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes + tiers.byteLength <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.tiers.byteLength;
    }
    this.entries.set(query, { tiers, generation: source.generation });
    this.bytes += tiers.byteLength;
    return tiers;
  }
}
