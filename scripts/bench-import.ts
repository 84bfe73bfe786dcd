/**
 * Import benchmark: generates a realistic Dutch campaign CSV (`;`, Dutch headers, two
 * phone columns, amounts like 1.234,56, dates dd-mm-yyyy), imports it through the same
 * ImportService the API uses into a temporary SQLite file, and prints rows/s, peak RSS
 * and where the time went.
 *
 *   node --import tsx scripts/bench-import.ts [rows=1000000]
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../src/store/db.ts';
import { SystemClock } from '../src/lib/clock.ts';
import { silentLogger } from '../src/lib/log.ts';
import { CampaignService } from '../src/campaigns/service.ts';
import { ImportService } from '../src/campaigns/import/service.ts';
import { createSqliteStore } from '../src/store/sqlite.ts';

const ROWS = Number(process.argv[2] ?? 1_000_000);
/** `--generate FILE ROWS`: only write the CSV (run as a child, so its memory does not count as the import's). */
const GENERATE = process.argv[2] === '--generate';
const FIRST = ['Jan', 'Piet', 'Sanne', 'Fatima', 'Mohamed', 'Lotte', 'Daan', 'Emma', 'Bram', 'Noor', 'Sem', 'Julia'];
const LAST = ['de Vries', 'Jansen', 'van den Berg', 'Bakker', 'El Amrani', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'Yilmaz', 'Bos'];
const CREDITORS = ['Energie Noord BV', 'Zorgverzekeraar Midden', 'Telecom NL', 'Woonstichting Oost', 'Webwinkel.nl'];
const RISK = ['laag', 'midden', 'hoog'];

/** A deterministic generator, so runs are comparable. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function euro(cents: number): string {
  const e = Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${e},${String(cents % 100).padStart(2, '0')}`;
}

async function generate(path: string, rows: number): Promise<void> {
  const r = rng(42);
  const out = createWriteStream(path);
  out.write('debiteurnummer;naam;telefoon;mobiel;email;taal;bedrag;factuurnummer;vervaldatum;risico;opdrachtgever;betaallink\r\n');
  let buf = '';
  let debtor = 100000;
  let invoicesLeft = 0;
  for (let i = 0; i < rows; i++) {
    if (invoicesLeft === 0) {
      debtor++;
      invoicesLeft = 1 + Math.floor(r() * 3);
    }
    invoicesLeft--;
    const name = `${FIRST[Math.floor(r() * FIRST.length)]} ${LAST[Math.floor(r() * LAST.length)]}`;
    const mobile = `06-${[1, 2, 3, 4, 5, 8][Math.floor(r() * 6)]}${String(Math.floor(r() * 1e7)).padStart(7, '0')}`;
    const land = r() < 0.5 ? `020-${String(1000000 + Math.floor(r() * 8999999))}` : '';
    const day = 1 + Math.floor(r() * 28);
    const month = 1 + Math.floor(r() * 12);
    buf +=
      `D${debtor};${name};${mobile};${land};${r() < 0.3 ? `klant${debtor}@example.nl` : ''};${r() < 0.9 ? 'nl' : 'en'};` +
      `${euro(500 + Math.floor(r() * 500000))};F2026-${String(i).padStart(7, '0')};${String(day).padStart(2, '0')}-${String(month).padStart(2, '0')}-2026;` +
      `${RISK[Math.floor(r() * 3)]};${CREDITORS[Math.floor(r() * CREDITORS.length)]};https://betaal.example.nl/p/${debtor}-${i}\r\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'close');
}

if (GENERATE) {
  await generate(process.argv[3]!, Number(process.argv[4]));
} else {
  await bench();
}

async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-bench-'));
  try {
    const csv = join(dir, 'campaign.csv');
    const t0 = performance.now();
    const gen = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--generate', csv, String(ROWS)], { stdio: 'inherit' });
    if (gen.status !== 0) throw new Error('generating the CSV failed');
    const size = statSync(csv).size;
    console.log(`generated ${ROWS.toLocaleString('en')} rows, ${(size / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const db = openDb(join(dir, 'bench.sqlite'));
    const clock = new SystemClock();
    const log = silentLogger();
    const campaigns = new CampaignService({ store: createSqliteStore(db), clock, log });
    const imports = new ImportService({ store: createSqliteStore(db), clock, log, campaigns });
    const c = campaigns.create({ name: 'bench', mode: 'agentless', callerId: '+31201234567' });

    const cpu0 = process.cpuUsage();
    const r = await imports.importFile({ campaignId: c.id, path: csv, fileName: 'campaign.csv' });
    const cpu = process.cpuUsage(cpu0);
    const t = r.timings;
    console.log(`import: ${r.status}, ${r.rowsImported.toLocaleString('en')} rows, ${r.debtorsCreated.toLocaleString('en')} debtors, ${r.claimsCreated.toLocaleString('en')} claims`);
    console.log(`rows/s: ${Math.round(r.rowsImported / (t.totalMs / 1000)).toLocaleString('en')} (${(t.totalMs / 1000).toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU)`);
    console.log(`  read+parse ${(t.readParseMs / 1000).toFixed(2)} s, validate ${(t.validateMs / 1000).toFixed(2)} s, write ${(t.writeMs / 1000).toFixed(2)} s`);
    console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);

    // Re-import of the same file: everything is an update, nothing duplicates.
    const again = await imports.importFile({ campaignId: c.id, path: csv, fileName: 'campaign.csv' });
    console.log(
      `re-import: ${again.claimsCreated} claims created, ${again.claimsUpdated.toLocaleString('en')} updated in ${(again.timings.totalMs / 1000).toFixed(2)} s ` +
        `(${Math.round(again.rowsImported / (again.timings.totalMs / 1000)).toLocaleString('en')} rows/s); peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    );
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
