import type { CacheStore } from '../../../functions/shared/cache/redis-cache';

/** An in-memory CacheStore with Redis semantics (PX, NX), a call log and knobs for failures and delays. */
export class MemoryStore implements CacheStore {
  readonly data = new Map<string, { value: string; expiresAt: number }>();
  readonly calls: string[] = [];
  /** Every call rejects with this error. */
  failWith: Error | undefined;
  /** Every call takes this long (ms) before answering. */
  delayMs = 0;

  private async op<T>(name: string, run: () => T): Promise<T> {
    this.calls.push(name);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failWith) throw this.failWith;
    return run();
  }

  private read(key: string): string | null {
    const item = this.data.get(key);
    if (!item || item.expiresAt <= Date.now()) return null;
    return item.value;
  }

  mget(keys: readonly string[]) {
    return this.op('mget', () => keys.map((k) => this.read(k)));
  }
  set(key: string, value: string, ttlMs: number, onlyIfAbsent = false) {
    return this.op(onlyIfAbsent ? 'setnx' : 'set', () => {
      if (onlyIfAbsent && this.read(key) !== null) return false;
      this.data.set(key, { value, expiresAt: Date.now() + ttlMs });
      return true;
    });
  }
  setMany(items: readonly { key: string; value: string; ttlMs: number }[]) {
    return this.op('setMany', () => {
      for (const { key, value, ttlMs } of items) this.data.set(key, { value, expiresAt: Date.now() + ttlMs });
    });
  }
  del(keys: readonly string[]) {
    return this.op('del', () => {
      for (const k of keys) this.data.delete(k);
    });
  }
  ttlOf(key: string): number | undefined {
    const item = this.data.get(key);
    return item && item.expiresAt - Date.now();
  }
}
