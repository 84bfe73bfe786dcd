/**
 * Issue 13 §3 benchmark: a CAMT.053 statement with 100,000 entries read against a database
 * of 1,000,000 claims (500,000 debtors, a pending contact per claim, a queued SMS for one claim in five): parse, match and store
 * time, and the peak RSS of the process that reads the file (a child, so the seeding does
 * not count).
 *
 *   node --import tsx scripts/bench-payments.ts [--claims 1000000] [--entries 100000] [--keep] [--cpu-prof DIR]
 *
 * The statement mixes what banks send: 60 % betalingskenmerk (paying the claim in full), 25 % an invoice number in the
 * free text, 4 % a direct-debit batch of three transactions, 5 % unmatched, 3 % bank costs
 * (ignored), 3 % stornos of an earlier batch transaction; names with accents.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { openSqliteStore, sqliteHandle } from '../src/store/sqlite.ts';
import { PaymentService } from '../src/payments/service.ts';
import { Camt053Parser } from '../src/payments/camt053.ts';
import { SystemClock } from '../src/lib/clock.ts';
import { silentLogger } from '../src/lib/log.ts';
import { createReadStream } from 'node:fs';

const { values } = parseArgs({
  options: { claims: { type: 'string' }, entries: { type: 'string' }, keep: { type: 'boolean' }, 'cpu-prof': { type: 'string' }, child: { type: 'string' }, file: { type: 'string' } },
});

const ref = (n: number) => '9' + String(n).padStart(15, '0'); // a 16-digit betalingskenmerk per claim
const AT = '2026-12-01T00:00:00.000Z';

function seed(dbPath: string, claims: number): void {
  const store = openSqliteStore(dbPath);
  const db = sqliteHandle(store);
  db.pragma('foreign_keys = OFF');
  const campaign = Number(db.prepare(`INSERT INTO campaigns (name, mode, state, caller_id, settings, created_at, updated_at) VALUES ('bench', 'agentless', 'running', '+31201234567', '{}', ?, ?)`).run(AT, AT).lastInsertRowid);
  const debtor = db.prepare(`INSERT INTO debtors (id, external_ref, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`);
  const claim = db.prepare(`INSERT INTO claims (id, debtor_id, creditor, invoice_ref, amount_cents, due_date, payment_reference, created_at, updated_at) VALUES (?, ?, 'Energie BV', ?, ?, '2026-10-01', ?, ?, ?)`);
  const contact = db.prepare(`INSERT INTO contacts (campaign_id, claim_id, debtor_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`);
  const message = db.prepare(`INSERT INTO messages (channel, source, debtor_id, claim_id, to_addr, sender, body, next_attempt_at, created_at, updated_at)
    VALUES ('sms', 'campaign', ?, ?, '+31612345678', 'number:+3197010587400', 'Betaal via https://x/p/abc', '2026-12-02T09:00:00.000Z', ?, ?)`);
  const per = 100_000;
  for (let start = 1; start <= claims; start += per) {
    db.transaction(() => {
      for (let c = start; c < start + per && c <= claims; c++) {
        const d = Math.ceil(c / 2);
        if (c % 2 === 1) debtor.run(d, `D${d}`, `Debiteur ${d}`, AT, AT);
        claim.run(c, d, `INV-${c}`, 10_000 + (c % 50) * 1000, ref(c), AT, AT);
        contact.run(campaign, c, d, AT, AT);
        if (c % 5 === 0) message.run(d, c, AT, AT);
      }
    })();
  }
  db.pragma('foreign_keys = ON');
  store.close();
}

const NAMES = ['José Müller', 'Zoë van den Bërg', 'Łukasz Żółkiewski', 'Ærøskøbing &amp; Søn', 'Anna de Vries', 'Çağla Öztürk'];

async function writeStatement(path: string, entries: number, claims: number): Promise<{ batches: number; stornos: number }> {
  const out = createWriteStream(path);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(`<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>BENCH</MsgId></GrpHdr><Stmt><Id>BENCH-1</Id><Acct><Id><IBAN>NL91INGB0001234567</IBAN></Id></Acct>\n`);
  let batches = 0;
  let stornos = 0;
  const batchE2e: string[] = [];
  for (let i = 1; i <= entries; i++) {
    const c = ((i * 7919) % claims) + 1; // spread over the claims, deterministic
    const name = NAMES[i % NAMES.length];
    const party = `<RltdPties><Dbtr><Nm>${name} ${i}</Nm></Dbtr><DbtrAcct><Id><IBAN>NL${String(10 + (i % 89))}INGB${String(i).padStart(10, '0')}</IBAN></Id></DbtrAcct></RltdPties>`;
    const head = (amt: string, ind: string) => `<Ntry><Amt Ccy="EUR">${amt}</Amt><CdtDbtInd>${ind}</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-12-01</Dt></BookgDt><ValDt><Dt>2026-12-01</Dt></ValDt><AcctSvcrRef>B${i}</AcctSvcrRef>`;
    const k = i % 100;
    let xml: string;
    if (k < 60) {
      // Paid in full: the claim closes, its contact is closed and its queued messages cancelled.
      xml = `${head(`${100 + (c % 50) * 10}.00`, 'CRDT')}<NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>${party}<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>CUR</Issr></Tp><Ref>${ref(c)}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>`;
    } else if (k < 85) {
      xml = `${head('25.00', 'CRDT')}<NtryDtls><TxDtls><Refs><EndToEndId>E${i}</EndToEndId></Refs>${party}<RmtInf><Ustrd>Betaling factuur INV-${c} dank u wel</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`;
    } else if (k < 89) {
      batches++;
      const txs = [0, 1, 2].map((j) => {
        const e2e = `DD${i}-${j}`;
        batchE2e.push(e2e);
        return `<TxDtls><Refs><EndToEndId>${e2e}</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="EUR">10.00</Amt></TxAmt></AmtDtls>${party}<RmtInf><Ustrd>Incasso INV-${((c + j * 104_729) % claims) + 1}</Ustrd></RmtInf></TxDtls>`;
      });
      xml = `${head('30.00', 'CRDT')}<NtryDtls><Btch><NbOfTxs>3</NbOfTxs></Btch>${txs.join('')}</NtryDtls></Ntry>`;
    } else if (k < 94) {
      xml = `${head('12.34', 'CRDT')}<NtryDtls><TxDtls>${party}<RmtInf><Ustrd>voor mijn zoon ${i}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`;
    } else if (k < 97) {
      xml = `${head('7.50', 'DBIT')}<AddtlNtryInf>Kosten betalingsverkeer</AddtlNtryInf></Ntry>`;
    } else if (batchE2e.length) {
      stornos++;
      const e2e = batchE2e.shift()!;
      xml = `${head('10.00', 'DBIT')}<NtryDtls><TxDtls><Refs><EndToEndId>${e2e}</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="EUR">10.00</Amt></TxAmt></AmtDtls>${party}<RtrInf><Rsn><Cd>MD06</Cd></Rsn></RtrInf></TxDtls></NtryDtls></Ntry>`;
    } else {
      xml = `${head('12.34', 'CRDT')}<NtryDtls><TxDtls>${party}</TxDtls></NtryDtls></Ntry>`;
    }
    await write(xml + '\n');
  }
  await write(`</Stmt></BkToCstmrStmt></Document>\n`);
  out.end();
  await once(out, 'finish');
  return { batches, stornos };
}

async function child(dbPath: string, file: string): Promise<void> {
  // Parse only, twice: the second run is the one reported (the first warms the JIT, as a running service is).
  let parseMs = 0;
  let n = 0;
  for (let run = 0; run < 2; run++) {
    const t0 = performance.now();
    n = 0;
    const parser = new Camt053Parser({ entry: () => void n++, reject: () => {}, ignore: () => {} });
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) parser.push(decoder.decode(chunk, { stream: true }));
    parser.end();
    parseMs = performance.now() - t0;
  }
  let t: number;
  const store = openSqliteStore(dbPath);
  const service = new PaymentService({ store, clock: new SystemClock(), log: silentLogger() });
  t = performance.now();
  const s = await service.importFile({ path: file, fileName: 'bench.xml' });
  const importMs = performance.now() - t;
  t = performance.now();
  const again = await service.importFile({ path: file, fileName: 'bench.xml' });
  const againMs = performance.now() - t;
  store.close();
  const { rejects: _r, ignoredEntries: _i, ...counts } = s;
  console.log(JSON.stringify({ parsedEntries: n, parseMs, importMs, againMs, alreadyImported: again.alreadyImported, counts, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

async function main(): Promise<void> {
  if (values.child) return child(values.child, values.file!);
  const claims = Number(values.claims ?? 1_000_000);
  const entries = Number(values.entries ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'bench-payments-'));
  try {
    const dbPath = join(dir, 'bench.sqlite');
    const file = join(dir, 'statement.xml');
    let t = performance.now();
    seed(dbPath, claims);
    console.log(`seeded ${claims.toLocaleString('en')} claims, ${(claims / 2).toLocaleString('en')} debtors, ${claims.toLocaleString('en')} contacts, ${(claims / 5).toLocaleString('en')} queued SMS in ${((performance.now() - t) / 1000).toFixed(1)} s (${(statSync(dbPath).size / 1e6).toFixed(0)} MB)`);
    t = performance.now();
    const mix = await writeStatement(file, entries, claims);
    console.log(`statement: ${entries.toLocaleString('en')} entries (${mix.batches} batches of 3, ${mix.stornos} stornos), ${(statSync(file).size / 1e6).toFixed(1)} MB, written in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const out = execFileSync(process.execPath, [...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : []), '--import', 'tsx', fileURLToPath(import.meta.url), '--child', dbPath, '--file', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as { parsedEntries: number; parseMs: number; importMs: number; againMs: number; alreadyImported: boolean; counts: Record<string, unknown>; maxRssMb: number };
    const matchStoreMs = r.importMs - 2 * r.parseMs;
    console.log(`parse only:            ${(r.parseMs / 1000).toFixed(2)} s (${r.parsedEntries.toLocaleString('en')} payments, ${Math.round(r.parsedEntries / (r.parseMs / 1000)).toLocaleString('en')}/s)`);
    console.log(`import (check + parse + match + store): ${(r.importMs / 1000).toFixed(2)} s; match + store ≈ ${(matchStoreMs / 1000).toFixed(2)} s (${Math.round(r.parsedEntries / (matchStoreMs / 1000)).toLocaleString('en')} payments/s)`);
    console.log(`same file again:       ${(r.againMs / 1000).toFixed(2)} s, alreadyImported=${r.alreadyImported}`);
    console.log(`counts: ${JSON.stringify(r.counts)}`);
    console.log(`peak RSS of the reading process: ${r.maxRssMb.toFixed(0)} MB`);
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

await main();
