#!/usr/bin/env node
// Browser check of the development instance started by scripts/develop.
//
//   npm install --no-save playwright-core     (once; node_modules/ is ignored)
//   node scripts/screenshot.mjs               the integration's pages (below)
//   node scripts/screenshot.mjs try-it        docs/images/try-it.png (see the end)
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
// try-it: the picture of the README's "Try it" section. Sends an SMS with the
// simulator's control panel (phone: port 1), waits until Home Assistant has
// it, then puts Home Assistant (the SMS event entity of port 1, its sender and
// text showing) next to the control panel in one image. The webhook address
// the panel shows is masked (it is a secret). Exit status 1 if the SMS did not
// reach Home Assistant within 10 s (only pushes are that fast).
//
// Uses the system Chromium (apt-get install -y chromium). Settings:
//   HA_URL (http://127.0.0.1:8123), HA_USER (dev), HA_PASSWORD
//   (dev-password-123), CHROMIUM (/usr/bin/chromium), SCREENSHOT_DIR,
//   SIM_URL (http://127.0.0.1:8081, try-it only).

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
const simBase = (process.env.SIM_URL ?? "http://127.0.0.1:8081").replace(/\/$/, "");
const DOMAIN = "gsm_gateway";
const mode = process.argv[2] ?? "pages";

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

function launch() {
  return chromium.launch({
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
}

async function main() {
  if (mode === "try-it") return tryIt();
  if (mode !== "pages") throw new Error(`unknown mode ${mode} (pages or try-it)`);
  await mkdir(outDir, { recursive: true });
  const browser = await launch();
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

// -- try-it ------------------------------------------------------------------

const SMS_PORT = 1;
const HA_WIDTH = 960;
const PANEL_WIDTH = 1060; // the ports table whole
const HEIGHT = 860;
const GAP = 16;
const CAPTION = 28;

// The gateway's SMS event entity of a port, as the frontend knows it.
async function smsEntity(page, port) {
  await page.waitForFunction(
    () => Object.keys(document.querySelector("home-assistant")?.hass?.states ?? {}).length > 0,
    null,
    { timeout: 30000 },
  );
  return page.evaluate((port) => {
    const hass = document.querySelector("home-assistant").hass;
    const ids = Object.keys(hass.states).filter((id) => id.startsWith("event."));
    return ids.find((id) => id.endsWith(`_port_${port}_sms`)) ?? null;
  }, port);
}

async function tryIt() {
  const file = path.join(repo, "docs", "images", "try-it.png");
  await mkdir(path.dirname(file), { recursive: true });
  const browser = await launch();
  let ha;
  let panel;
  try {
    const context = await browser.newContext({
      viewport: { width: HA_WIDTH, height: HEIGHT },
      deviceScaleFactor: 1,
      locale: "en-US",
      colorScheme: "light",
    });
    ha = await context.newPage();
    ha.on("pageerror", (err) => log(`page error: ${err.message ?? err}`));
    await login(ha);
    const entity = await smsEntity(ha, SMS_PORT);
    if (!entity) throw new Error(`no SMS event entity of port ${SMS_PORT}`);
    log(`Home Assistant: ${entity}`);

    panel = await context.newPage();
    await panel.setViewportSize({ width: PANEL_WIDTH, height: HEIGHT });
    // The push URL holds the webhook's secret id: mask it in what the panel shows.
    await panel.route("**/sim/api/state", async (route) => {
      const response = await route.fetch();
      const state = await response.json();
      if (state.push_url) state.push_url = state.push_url.replace(/\/api\/webhook\/.*/, "/api/webhook/\u2022\u2022\u2022\u2022\u2022\u2022");
      await route.fulfill({ response, json: state });
    });
    await panel.goto(`${simBase}/sim/`, { waitUntil: "domcontentloaded" });
    await panel.locator(`#phone-port option[value="${SMS_PORT}"]`).waitFor({ state: "attached", timeout: 20000 });
    if (!(await panel.locator("#push-url").inputValue()).includes("/api/webhook/")) {
      failures.push("the simulator does not push to Home Assistant");
    }
    const text = `Hello from the simulator, ${new Date().toISOString().slice(11, 19)} UTC`;
    await panel.locator("#phone-port").selectOption(String(SMS_PORT));
    await panel.locator("#phone-sender").fill("+447700900123");
    await panel.locator("#phone-text").fill(text);
    await panel.locator("#send-sms").click();
    const sent = Date.now();
    await panel.getByText(/arrived on port/).first().waitFor({ timeout: 10000 });

    // Wait for the SMS to reach Home Assistant.
    const arrived = await ha
      .waitForFunction(
        ([id, text]) => document.querySelector("home-assistant").hass.states[id]?.attributes?.text === text,
        [entity, text],
        { timeout: 10000, polling: 50 },
      )
      .then(() => true, () => false);
    if (arrived) log(`the SMS reached Home Assistant after ${Date.now() - sent} ms`);
    else failures.push("the SMS did not reach Home Assistant within 10 s");

    // Home Assistant: the port's activity behind, the details of its SMS
    // event entity (sender, text) in front.
    await ha.goto(`${base}/logbook?entity_id=${entity}`);
    await expectText(ha, "Received", "logbook");
    await ha.evaluate((id) => {
      document.querySelector("home-assistant").dispatchEvent(
        new CustomEvent("hass-more-info", { detail: { entityId: id }, bubbles: true, composed: true }),
      );
    }, entity);
    const dialog = ha.locator("ha-more-info-dialog").first();
    await dialog.waitFor({ state: "attached", timeout: 20000 });
    await dialog.getByRole("button", { name: "Menu" }).first().click();
    await ha.locator("ha-dropdown-item").filter({ hasText: "Details" }).first().click();
    // (The attribute values are bare text in shadow roots, out of getByText's reach.)
    await ha
      .waitForFunction(
        (text) => {
          const found = (node) =>
            (node.nodeType === Node.TEXT_NODE && node.textContent.includes(text)) ||
            (node.shadowRoot && found(node.shadowRoot)) ||
            [...node.childNodes].some(found);
          return found(document.body);
        },
        text,
        { timeout: 20000 },
      )
      .catch(() => failures.push("the SMS's text is not in Home Assistant's dialog"));
    await ha.waitForTimeout(1500);
    await panel.evaluate(() => window.scrollTo(0, 0)); // the result line is at the top
    await panel.waitForTimeout(1200); // one refresh of the panel after the SMS
    const left = await ha.screenshot();
    const right = await panel.screenshot();

    // Side by side, with a caption each, rendered as one page.
    const img = (png) => `data:image/png;base64,${png.toString("base64")}`;
    const sheet = await context.newPage();
    await sheet.setViewportSize({
      width: HA_WIDTH + PANEL_WIDTH + 3 * GAP,
      height: HEIGHT + 2 * GAP + CAPTION,
    });
    const figure = (caption, png) =>
      `<figure style="margin:0"><figcaption style="height:${CAPTION}px">${caption}</figcaption>` +
      `<img src="${img(png)}" style="display:block;box-shadow:0 1px 4px #0004"></figure>`;
    await sheet.setContent(
      `<!doctype html><html><body style="margin:0;padding:${GAP}px;display:flex;gap:${GAP}px;` +
        `background:#d9dde3;font:15px system-ui,sans-serif">` +
        figure(`Home Assistant (${base}): the SMS of port ${SMS_PORT}`, left) +
        figure(`The simulator's control panel (${simBase}/sim/): its phone sent it`, right) +
        `</body></html>`,
    );
    await sheet.screenshot({ path: file, fullPage: true });
    log(`saved ${path.relative(repo, file)}`);
  } catch (err) {
    await mkdir(outDir, { recursive: true });
    for (const [name, p] of [["try-it-ha-error.png", ha], ["try-it-panel-error.png", panel]]) {
      if (p) await p.screenshot({ path: path.join(outDir, name) }).catch(() => {});
    }
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
