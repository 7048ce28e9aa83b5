/**
 * Headless Chromium (Debian's /usr/bin/chromium) driven by puppeteer-core over a pipe (no
 * DevTools port), with a fresh profile and nothing that reaches the network by itself.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'puppeteer-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether the browser tests run: when chromium is there, and always when NSH_REQUIRE_CHROMIUM=1
 * (CI sets it), so that a missing chromium fails them there instead of skipping them.
 */
export const haveChromium = (): boolean => fs.existsSync(CHROMIUM) || process.env.NSH_REQUIRE_CHROMIUM === '1';

export interface OpenBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<OpenBrowser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`the browser tests need ${CHROMIUM} (apt-get install chromium)`);
  const { default: puppeteer } = await import('puppeteer-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    pipe: true,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
