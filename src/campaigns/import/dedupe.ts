/**
 * Finds repeated (debtor ref, invoice ref) pairs in one file with memory that does not
 * grow with the file. Each key becomes a 64-bit fingerprint (two independent 32-bit
 * hashes); during the check pass, fingerprint + line (12 bytes) are appended to one of K
 * bucket files on disk, K chosen from the file size so a bucket holds about a million
 * rows. After the pass each bucket is read back and run through an open-addressing table
 * (~24 bytes a row, one bucket at a time), so the peak is that of one bucket whatever the
 * file's size. Two different keys share both hashes with probability ~n²/2⁶⁵ (≈ 3·10⁻⁸
 * for a million rows), which we accept: the worst case is a row wrongly reported as a
 * duplicate, never two claims merged.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Rows a bucket is sized for (its table then takes 24–48 MB). */
export const BUCKET_ROWS = 1_000_000;
/** Records buffered per bucket before they are written (12 bytes each). */
const BUFFER_RECORDS = 16_384;

export interface Duplicate {
  line: number;
  /** The line the same (debtor, invoice) pair was first seen on. */
  firstLine: number;
}

/** An open-addressing table of fingerprints → first line. */
export class DuplicateTable {
  private cap: number;
  private size = 0;
  private h1: Uint32Array;
  private h2: Uint32Array;
  private lines: Int32Array;

  constructor(expected = 2048) {
    this.cap = 1 << Math.max(12, Math.ceil(Math.log2(expected * 2)));
    this.h1 = new Uint32Array(this.cap);
    this.h2 = new Uint32Array(this.cap);
    this.lines = new Int32Array(this.cap);
  }

  /** Records the fingerprint at `line`; returns the line it was first seen on, or 0 if new. */
  seen(a: number, b: number, line: number): number {
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

/** FNV-1a and a murmur-style mix over the key: two independent 32-bit hashes, written to out[0], out[1]. */
export function fingerprint(key: string, out: Uint32Array): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  out[0] = a >>> 0;
  out[1] = b >>> 0;
}

/** Collects (fingerprint, line) of every checked row in bucket files; finish() names the duplicates. */
export class DuplicateSpool {
  readonly buckets: number;
  private readonly fds: number[];
  private readonly bufs: Uint32Array[];
  private readonly fill: number[];
  private readonly counts: number[];
  private readonly fp = new Uint32Array(2);

  /** expectedRows: an upper estimate (from the file size), so buckets stay near BUCKET_ROWS. */
  constructor(private readonly dir: string, expectedRows: number) {
    this.buckets = Math.max(1, Math.ceil(expectedRows / BUCKET_ROWS));
    this.fds = Array.from({ length: this.buckets }, (_, k) => openSync(this.path(k), 'w'));
    this.bufs = Array.from({ length: this.buckets }, () => new Uint32Array(BUFFER_RECORDS * 3));
    this.fill = new Array<number>(this.buckets).fill(0);
    this.counts = new Array<number>(this.buckets).fill(0);
  }

  add(key: string, line: number): void {
    fingerprint(key, this.fp);
    const a = this.fp[0]!;
    const b = this.fp[1]!;
    // High bits of the second hash pick the bucket; the table inside uses the low bits of both.
    const k = ((b >>> 16) * this.buckets) >>> 16;
    const buf = this.bufs[k]!;
    let n = this.fill[k]!;
    buf[n++] = a;
    buf[n++] = b;
    buf[n++] = line;
    this.counts[k]!++;
    if (n === buf.length) {
      writeSync(this.fds[k]!, buf);
      n = 0;
    }
    this.fill[k] = n;
  }

  /** Every duplicate line with the line its pair was first on, in line order; removes the bucket files. */
  async finish(): Promise<Duplicate[]> {
    const dups: Duplicate[] = [];
    try {
      for (let k = 0; k < this.buckets; k++) {
        writeSync(this.fds[k]!, this.bufs[k]!.subarray(0, this.fill[k]));
        closeSync(this.fds[k]!);
        this.fds[k] = -1;
      }
      for (let k = 0; k < this.buckets; k++) {
        const records = new Uint32Array(this.counts[k]! * 3);
        const fd = openSync(this.path(k), 'r');
        try {
          const bytes = new Uint8Array(records.buffer);
          for (let off = 0; off < bytes.length; ) {
            const n = readSync(fd, bytes, off, bytes.length - off, null);
            if (n === 0) throw new Error(`duplicate check: bucket ${k} is shorter than what was written`);
            off += n;
          }
        } finally {
          closeSync(fd);
        }
        // Lines were appended in file order, so the first sighting is the earliest line.
        const table = new DuplicateTable(this.counts[k]);
        for (let i = 0; i < records.length; i += 3) {
          const first = table.seen(records[i]!, records[i + 1]!, records[i + 2]!);
          if (first) dups.push({ line: records[i + 2]!, firstLine: first });
        }
        await nextTurn();
      }
    } finally {
      this.discard();
    }
    return dups.sort((x, y) => x.line - y.line);
  }

  /** Closes and removes the bucket files (also after a failed pass). */
  discard(): void {
    for (let k = 0; k < this.buckets; k++) {
      if (this.fds[k] !== -1) closeSync(this.fds[k]!);
      this.fds[k] = -1;
      rmSync(this.path(k), { force: true });
    }
  }

  private path(k: number): string {
    return join(this.dir, `dupes-${k}.bin`);
  }
}
