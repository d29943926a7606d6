/**
 * A Map that keeps at most `cap` entries, dropping the least recently used: for what the
 * services remember of many keys (sign-in attempts, images' holders, built manifests).
 */
export class CappedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly cap: number) {}
  get size(): number {
    return this.map.size;
  }
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.cap) this.map.delete(this.map.keys().next().value!);
  }
  delete(key: K): void {
    this.map.delete(key);
  }
}
