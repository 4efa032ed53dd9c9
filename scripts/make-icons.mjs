// Renders build/icon.svg into the PNG sizes electron-builder and Linux desktops use
// (build/icon.png at 1024 px; build/icons/<n>x<n>.png). Run after changing the SVG:
//   node scripts/make-icons.mjs
// Uses Debian's Chromium through playwright-core (see ../shared/TOOLCHAIN.md); the PNGs are committed.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(join(root, 'build', 'icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.EDDY_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  mkdirSync(join(root, 'build', 'icons'), { recursive: true });
  for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`,
    );
    const out =
      size === 1024 ? join(root, 'build', 'icon.png') : join(root, 'build', 'icons', `${size}x${size}.png`);
    await page.screenshot({ path: out, omitBackground: true });
  }
} finally {
  await browser.close();
}
