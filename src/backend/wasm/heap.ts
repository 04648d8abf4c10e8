// The JS side owns the layout of the kernels' linear memory: the AssemblyScript module has no
// allocator (so every worker instance can share one memory). Blocks are cache-line aligned.

const ALIGN = 64;
const PAGE = 65536;

/**
 * First-fit allocator over a WebAssembly.Memory. A shared memory grows in place (old
 * SharedArrayBuffers stay valid), so it may grow; an unshared memory would detach every view
 * handed out, so it never grows and `alloc` reports exhaustion instead.
 */
export class Heap {
  private readonly holes: { off: number; size: number }[] = [];
  private readonly used = new Map<number, number>();
  private top: number;
  private highWater = 0;
  /** Whether the last `alloc` came from never-used memory (already zero, so no fill is needed). */
  lastWasFresh = false;

  /** @param base first usable byte; @param maxBytes the memory's declared maximum. */
  constructor(
    private readonly memory: WebAssembly.Memory,
    base: number,
    private readonly canGrow: boolean,
    private readonly maxBytes: number,
  ) {
    this.top = Math.ceil(base / ALIGN) * ALIGN;
  }

  /** Byte offset of a fresh block of at least `bytes`, or -1 when memory is exhausted. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    for (let i = 0; i < this.holes.length; i++) {
      const h = this.holes[i] as { off: number; size: number };
      if (h.size < size) continue;
      const off = h.off;
      if (h.size === size) this.holes.splice(i, 1);
      else {
        h.off += size;
        h.size -= size;
      }
      this.used.set(off, size);
      this.lastWasFresh = false;
      return off;
    }
    const end = this.top + size;
    if (end > this.memory.buffer.byteLength && !this.grow(end)) return -1;
    const off = this.top;
    // Bytes above the high-water mark were never handed out, so they are still zero. (`top` can
    // drop below it when trailing blocks are released; those bytes may be dirty.)
    const fresh = off >= this.highWater;
    this.top = end;
    this.highWater = Math.max(this.highWater, end);
    this.used.set(off, size);
    this.lastWasFresh = fresh;
    return off;
  }

  /** Returns a block; unknown offsets are ignored (freeing twice is harmless). */
  release(off: number): void {
    const size = this.used.get(off);
    if (size === undefined) return;
    this.used.delete(off);
    let i = 0;
    while (i < this.holes.length && (this.holes[i] as { off: number }).off < off) i++;
    this.holes.splice(i, 0, { off, size });
    // Coalesce with the neighbours, then give a trailing hole back to the bump pointer.
    const next = this.holes[i + 1];
    const cur = this.holes[i] as { off: number; size: number };
    if (next && cur.off + cur.size === next.off) {
      cur.size += next.size;
      this.holes.splice(i + 1, 1);
    }
    const prev = this.holes[i - 1];
    if (prev && prev.off + prev.size === cur.off) {
      prev.size += cur.size;
      this.holes.splice(i, 1);
    }
    const last = this.holes[this.holes.length - 1];
    if (last && last.off + last.size === this.top) {
      this.top = last.off;
      this.holes.pop();
    }
  }

  /**
   * Grows the memory (where it may) so that at least `bytes` lie above every block handed out so
   * far, and returns that never-used stretch [from, to): still zero, so another thread may write
   * zero over it to map its pages before they are needed. Undefined when the memory cannot grow.
   */
  freshStretch(bytes: number): { from: number; to: number } | undefined {
    const from = Math.max(this.top, this.highWater);
    if (from + bytes > this.memory.buffer.byteLength && !this.grow(from + bytes)) return undefined;
    return { from, to: this.memory.buffer.byteLength };
  }

  /** Bytes currently handed out. */
  get usedBytes(): number {
    let s = 0;
    for (const v of this.used.values()) s += v;
    return s;
  }

  private grow(end: number): boolean {
    if (!this.canGrow || end > this.maxBytes) return false;
    const have = this.memory.buffer.byteLength;
    // Grow geometrically so a long run of small allocations does not grow page by page.
    const want = Math.min(this.maxBytes, Math.max(end, have * 1.5));
    try {
      this.memory.grow(Math.ceil((want - have) / PAGE));
      return true;
    } catch {
      return false;
    }
  }
}
