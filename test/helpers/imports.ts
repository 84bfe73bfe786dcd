/** Helpers for import tests: campaigns to import into, uploads, and what the store holds. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestApp } from './app.ts';
import { DebtorStore } from '../../src/store/debtors.ts';
import { ClaimStore } from '../../src/store/claims.ts';
import { ContactStore } from '../../src/store/contacts.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

export async function createCampaign(t: TestApp, body: Record<string, unknown> = {}): Promise<number> {
  const res = await t.api('/campaigns', { method: 'POST', json: { name: 'Import test', mode: 'agentless', callerId: '+31201234567', ...body } });
  if (res.status !== 201) throw new Error(`create campaign: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: number }).id;
}

/** POSTs a file as the raw body (text/csv). */
export function uploadRaw(t: TestApp, campaignId: number, content: Buffer | string, query = ''): Promise<Response> {
  return t.api(`/campaigns/${campaignId}/imports${query}`, { method: 'POST', body: bytes(content), headers: { 'content-type': 'text/csv' } });
}

/** POSTs a file as multipart/form-data, field `file`. */
export function uploadMultipart(t: TestApp, campaignId: number, content: Buffer | string, fileName: string, query = ''): Promise<Response> {
  const form = new FormData();
  form.set('file', new Blob([bytes(content)]), fileName);
  return t.api(`/campaigns/${campaignId}/imports${query}`, { method: 'POST', body: form });
}

function bytes(content: Buffer | string): Uint8Array<ArrayBuffer> | string {
  return typeof content === 'string' ? content : new Uint8Array(content.buffer.slice(content.byteOffset, content.byteOffset + content.byteLength) as ArrayBuffer);
}

export function fixture(kind: 'good' | 'bad', name: string): Buffer {
  return readFileSync(join(FIXTURES, kind, name));
}

export function expectations<T>(kind: 'good' | 'bad'): Record<string, T> {
  return JSON.parse(readFileSync(join(FIXTURES, kind, 'expected.json'), 'utf8')) as Record<string, T>;
}

/** Row counts of everything an import writes. */
export function storeCounts(t: TestApp, campaignId: number) {
  const db = sqliteHandle(t.app.deps.store);
  return {
    debtors: new DebtorStore(db).count(),
    phones: new DebtorStore(db).countPhones(),
    claims: new ClaimStore(db).count(),
    contacts: new ContactStore(db).count(campaignId),
  };
}

export interface ContactView {
  debtorRef: string;
  debtorName: string;
  invoiceRef: string;
  amountCents: number;
  dueDate: string | null;
  risk: string;
  language: string;
  creditor: string;
  phones: string[];
}

export async function contactsOf(t: TestApp, campaignId: number): Promise<ContactView[]> {
  const res = await t.api(`/campaigns/${campaignId}/contacts?limit=1000`);
  return ((await res.json()) as { items: ContactView[] }).items;
}

/** Follows a background import (GET location) until it is no longer running; returns every view seen. */
export async function followImport<V extends { import: { status: string } }>(t: TestApp, location: string): Promise<V[]> {
  const seen: V[] = [];
  for (;;) {
    const view = (await (await t.api(location)).json()) as V;
    seen.push(view);
    if (view.import.status !== 'running') return seen;
    await new Promise((r) => setTimeout(r, 20));
  }
}
