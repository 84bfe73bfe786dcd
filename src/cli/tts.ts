/**
 * bereik tts prune — deletes cached audio unused for tts.cacheMaxAgeDays, then the least
 * recently used above tts.cacheMaxMb (never a file used in the last hour), as the
 * running service does every hour. For a cron job, or after lowering the limits.
 */
import { loadConfig } from '../config/load.ts';
import { pruneTtsCache } from '../tts/prune.ts';

const USAGE = 'usage: bereik tts prune';

export async function run(argv: string[]): Promise<number> {
  if (argv.length !== 1 || argv[0] !== 'prune') {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const r = await pruneTtsCache({ dir: config.tts.cacheDir, maxAgeMs: config.tts.cacheMaxAgeDays * 86_400_000, maxBytes: config.tts.cacheMaxMb * 1024 * 1024 });
  const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
  console.log(`tts cache ${config.tts.cacheDir}: deleted ${r.removed} files (${mb(r.freedBytes)} MB) and ${r.tempRemoved} left-over temporary files; kept ${r.kept} files (${mb(r.keptBytes)} MB)`);
  if (r.overCap) console.log(`still over tts.cacheMaxMb (${config.tts.cacheMaxMb} MB): every file left was used in the last hour`);
  return 0;
}
