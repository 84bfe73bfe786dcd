/** Headless Debian Chromium for the desktop tests, or the reason it cannot run here. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = process.env.BEREIK_CHROMIUM ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps calling out, and this network refuses it.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/**
 * Chromium never runs under libfaketime (the shifted-clock runs preload it into every child):
 * it stalls Chromium's own threads, and the browser only has to show what the service says.
 */
function browserEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'LD_PRELOAD' && !k.startsWith('FAKETIME')) env[k] = v;
  return env;
}

/** Chromium for the softphone: fake microphone and camera, no permission prompt, ICE on loopback with plain addresses (no mDNS names Asterisk cannot resolve). */
export const WEBRTC_ARGS = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns', '--autoplay-policy=no-user-gesture-required'];

export async function launch(extraArgs: string[] = []): Promise<{ browser?: Browser; why?: string }> {
  if (!existsSync(CHROMIUM)) return { why: `${CHROMIUM} is missing (apt-get install -y chromium, or set BEREIK_CHROMIUM)` };
  try {
    return { browser: await chromium.launch({ executablePath: CHROMIUM, args: [...ARGS, ...extraArgs], env: browserEnv() }) };
  } catch (err) {
    return { why: `chromium at ${CHROMIUM} could not be launched: ${(err as Error).message.split('\n')[0]}` };
  }
}

/** Chromium for one test, closed after it; undefined (the test is skipped, saying why) when it cannot run here. */
export async function browserFor(t: { skip(why?: string): void; after(fn: () => unknown): void }, extraArgs: string[] = []): Promise<Browser | undefined> {
  const { browser, why } = await launch(extraArgs);
  if (!browser) {
    t.skip(why);
    return undefined;
  }
  t.after(() => browser.close());
  return browser;
}

export const byId = (page: Page, id: string) => page.getByTestId(id);
