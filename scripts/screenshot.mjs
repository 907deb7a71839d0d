#!/usr/bin/env node
// Browser check of the development instance started by scripts/develop.
//
//   npm install --no-save playwright-core     (once; node_modules/ is ignored)
//   node scripts/screenshot.mjs
//
// Logs in through Home Assistant's login page as the development user, then
// saves PNG screenshots to dev/screenshots/:
//   1-integration.png     Settings > Devices & services > GSM Gateway
//   2-devices.png         the integration's devices
//   3-gateway-device.png  the gateway device
//   4-port-device.png     the device of port 0 (signal strength etc.)
//   5-entities.png        the entities list filtered to gsm_gateway
//   6-signal-history.png  port 0's signal strength dialog, with its history
// Each page is checked for the text it must show; the exit status is 1 if
// any check failed (the screenshot is still taken).
//
// Uses the system Chromium (apt-get install -y chromium). Settings:
//   HA_URL (http://127.0.0.1:8123), HA_USER (dev), HA_PASSWORD
//   (dev-password-123), CHROMIUM (/usr/bin/chromium), SCREENSHOT_DIR.

import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const base = (process.env.HA_URL ?? "http://127.0.0.1:8123").replace(/\/$/, "");
const user = process.env.HA_USER ?? "dev";
const password = process.env.HA_PASSWORD ?? "dev-password-123";
const outDir = process.env.SCREENSHOT_DIR ?? path.join(repo, "dev", "screenshots");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const DOMAIN = "gsm_gateway";

const failures = [];
const log = (msg) => console.log(`screenshot: ${msg}`);

async function expectText(page, text, what) {
  try {
    await page.getByText(text).first().waitFor({ state: "visible", timeout: 20000 });
    return true;
  } catch {
    failures.push(`${what}: no ${JSON.stringify(String(text))} on the page`);
    log(`FAIL ${what}: ${text} not shown`);
    return false;
  }
}

async function shoot(page, name) {
  await page.waitForTimeout(1500); // let cards and charts finish rendering
  const file = path.join(outDir, name);
  await page.screenshot({ path: file });
  log(`saved ${path.relative(repo, file)}`);
}

async function login(page) {
  await page.goto(`${base}/`, { waitUntil: "domcontentloaded" });
  // Not logged in: the frontend sends us to the login page.
  await page.waitForURL(/\/auth\/authorize/, { timeout: 30000 });
  const name = page.locator('input[name="username"], input[autocomplete="username"]').first();
  await name.waitFor({ timeout: 30000 });
  await name.fill(user);
  await page.locator('input[type="password"]').first().fill(password);
  await page.locator('input[type="password"]').first().press("Enter");
  await page.waitForURL((url) => !url.pathname.startsWith("/auth/"), { timeout: 30000 });
  // The app shell is up once the sidebar is there.
  await page.locator("ha-sidebar").first().waitFor({ timeout: 30000 });
  log(`logged in as ${user}`);
}

// The device registry as the frontend holds it (the hass object of the app).
async function devices(page) {
  await page.waitForFunction(
    () => Object.keys(document.querySelector("home-assistant")?.hass?.devices ?? {}).length > 0,
    null,
    { timeout: 30000 },
  );
  return page.evaluate(() =>
    Object.values(document.querySelector("home-assistant").hass.devices).map((d) => ({
      id: d.id,
      name: d.name_by_user ?? d.name,
      identifiers: d.identifiers,
      via: d.via_device_id,
    })),
  );
}

async function main() {
  await mkdir(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  let page;
  try {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 1100 },
      locale: "en-US",
      colorScheme: "light",
    });
    page = await context.newPage();
    page.on("pageerror", (err) => log(`page error: ${err.message ?? err}`));
    await login(page);

    await page.goto(`${base}/config/integrations/integration/${DOMAIN}`);
    await expectText(page, "Dinstar gateway", "integration page");
    await shoot(page, "1-integration.png");

    const ours = (await devices(page)).filter((d) =>
      (d.identifiers ?? []).some(([domain]) => domain === DOMAIN),
    );
    log(`${ours.length} ${DOMAIN} devices: ${ours.map((d) => d.name).join(", ")}`);
    const gateway = ours.find((d) => !d.via) ?? ours.find((d) => !/Port \d+$/.test(d.name ?? ""));
    const port0 = ours.find((d) => /Port 0$/.test(d.name ?? "")) ?? ours.find((d) => d.via);
    if (!gateway) failures.push("no gateway device");
    if (!port0) failures.push("no port device");

    await page.goto(`${base}/config/devices/dashboard?historyBack=1&domain=${DOMAIN}`);
    await expectText(page, /Port 0/, "devices list");
    await shoot(page, "2-devices.png");

    if (gateway) {
      await page.goto(`${base}/config/devices/device/${gateway.id}`);
      await expectText(page, gateway.name, "gateway device page");
      await shoot(page, "3-gateway-device.png");
    }

    if (port0) {
      await page.setViewportSize({ width: 1440, height: 1400 });
      await page.goto(`${base}/config/devices/device/${port0.id}`);
      await expectText(page, port0.name, "port device page");
      await expectText(page, "Signal strength", "port device page");
      await expectText(page, /dBm/, "port device page");
      await shoot(page, "4-port-device.png");
      await page.setViewportSize({ width: 1440, height: 1100 });
    }

    await page.setViewportSize({ width: 1440, height: 1600 });
    await page.goto(`${base}/config/entities?historyBack=1&domain=${DOMAIN}`);
    await expectText(page, /Signal strength/, "entities list");
    await shoot(page, "5-entities.png");

    if (port0) {
      await page.setViewportSize({ width: 1440, height: 1100 });
      await page.goto(`${base}/config/devices/device/${port0.id}`);
      await expectText(page, "Signal strength", "port device page");
      await page.getByText("Signal strength").first().click();
      const dialog = page.locator("ha-more-info-dialog");
      await dialog.first().waitFor({ state: "attached", timeout: 20000 });
      await expectText(page, /dBm/, "signal strength dialog");
      await page.waitForTimeout(2000); // the history graph loads after the dialog
      await shoot(page, "6-signal-history.png");
    }
  } catch (err) {
    // Keep what the browser showed when it went wrong.
    if (page) await page.screenshot({ path: path.join(outDir, "error.png") }).catch(() => {});
    throw err;
  } finally {
    await browser.close();
  }
  if (failures.length) {
    log(`${failures.length} check(s) failed:\n  ${failures.join("\n  ")}`);
    process.exitCode = 1;
  } else {
    log("all checks passed");
  }
}

main().catch((err) => {
  console.error(`screenshot: ${err.stack ?? err}`);
  process.exitCode = 2;
});
