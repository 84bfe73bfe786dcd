/**
 * Finds repeated (debtor ref, invoice ref) pairs in one file without keeping the keys:
 * an open-addressing table of two independent 32-bit hashes (≈ 64 bits) and the line
 * of first sight, ~24 bytes a row instead of ~100 for a Set of strings. Two different
 * keys share both hashes with probability ~n²/2⁶⁵ (≈ 3·10⁻⁸ for a million rows), which
 * we accept: the worst case is a row wrongly reported as a duplicate, never a merge.
 */
export class DuplicateFinder {
  private cap = 1 << 12;
  private size = 0;
  private h1 = new Uint32Array(this.cap);
  private h2 = new Uint32Array(this.cap);
  private lines = new Int32Array(this.cap);

  /** Records the key at `line`; returns the line it was first seen on, or 0 if new. */
  seen(key: string, line: number): number {
    let a = 0x811c9dc5;
    let b = 0x9747b28c;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    a >>>= 0;
    b >>>= 0;
    const mask = this.cap - 1;
    let i = (a ^ (b >>> 7)) & mask;
    while (this.lines[i] !== 0) {
      if (this.h1[i] === a && this.h2[i] === b) return this.lines[i]!;
      i = (i + 1) & mask;
    }
    this.h1[i] = a;
    this.h2[i] = b;
    this.lines[i] = line;
    if (++this.size * 2 > this.cap) this.grow();
    return 0;
  }

  private grow(): void {
    const [o1, o2, ol] = [this.h1, this.h2, this.lines];
    this.cap *= 2;
    this.h1 = new Uint32Array(this.cap);
    this.h2 = new Uint32Array(this.cap);
    this.lines = new Int32Array(this.cap);
    const mask = this.cap - 1;
    for (let j = 0; j < ol.length; j++) {
      if (ol[j] === 0) continue;
      let i = (o1[j]! ^ (o2[j]! >>> 7)) & mask;
      while (this.lines[i] !== 0) i = (i + 1) & mask;
      this.h1[i] = o1[j]!;
      this.h2[i] = o2[j]!;
      this.lines[i] = ol[j]!;
    }
  }
}
