/**
 * Just enough of RIFF/WAVE to read an audio file's format and length, and to write
 * silence. Asterisk plays 8 kHz, mono, 16-bit signed PCM natively (format_wav), so that
 * is what every engine produces.
 */
import { open } from 'node:fs/promises';

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  durationMs: number;
}

/** Reads the fmt and data chunks from a WAV header. */
export function parseWavHeader(buf: Buffer, fileSize = buf.length): WavInfo {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let pos = 12;
  let fmt: Omit<WavInfo, 'durationMs'> & { byteRate: number } | undefined;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('ascii', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === 'fmt ') {
      fmt = {
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        byteRate: buf.readUInt32LE(body + 8),
        bitsPerSample: buf.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!fmt) throw new Error('data chunk before fmt chunk');
      // A streamed WAV may say 0 or 0xFFFFFFFF: then the data runs to the end of the file.
      const bytes = size === 0 || size === 0xffffffff ? fileSize - body : Math.min(size, fileSize - body);
      const { byteRate, ...rest } = fmt;
      return { ...rest, durationMs: Math.round((bytes * 1000) / byteRate) };
    }
    pos = body + size + (size % 2);
  }
  throw new Error('no data chunk in the WAV header');
}

/** Reads the header of a WAV file on disk. */
export async function readWavInfo(path: string): Promise<WavInfo> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(Math.min(size, 4096));
    await fh.read(head, 0, head.length, 0);
    return parseWavHeader(head, size);
  } finally {
    await fh.close();
  }
}

/** A silent 16-bit mono WAV of the given length. */
export function silentWav(durationMs: number, sampleRate = 8000): Buffer {
  return pcmWav(Buffer.alloc(Math.round((durationMs * sampleRate) / 1000) * 2), sampleRate);
}

/** 16-bit signed little-endian mono samples (Amazon Polly's "pcm") with a WAV header in front. */
export function pcmWav(pcm: Buffer, sampleRate = 8000): Buffer {
  const dataBytes = pcm.length - (pcm.length % 2);
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  pcm.copy(buf, 44, 0, dataBytes);
  return buf;
}
