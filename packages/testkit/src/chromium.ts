/**
 * How every browser test launches Chromium, for playwright-core's `chromium.launch()`: Debian's
 * `/usr/bin/chromium`, never a downloaded browser, headless, and without the background calls
 * (component updates, sync, QUIC probes) this network refuses. A plain object, so the testkit
 * needs no playwright dependency.
 *
 * @example
 * const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
 */
export const CHROMIUM_LAUNCH_OPTIONS: {
  readonly executablePath: string;
  readonly headless: boolean;
  readonly args: string[];
} = {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
