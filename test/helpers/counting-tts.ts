/** The silent engine, noting every text it had to render: a text not noted was a cache hit. */
import { SilentTts } from '../../src/tts/silent.ts';
import type { Listener } from '../../src/tts/types.ts';
import type { WavInfo } from '../../src/tts/wav.ts';

export class CountingTts extends SilentTts {
  readonly produced: string[] = [];
  constructor(cacheDir: string) {
    super({ cacheDir, delivery: 'file', asteriskPath: '', publicUrl: '' });
  }
  protected override async produce(text: string, voice: string, outPath: string, listener: Listener): Promise<WavInfo> {
    this.produced.push(text);
    return super.produce(text, voice, outPath, listener);
  }
}
