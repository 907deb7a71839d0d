#!/usr/bin/env node
// Browser check of the development instance started by scripts/develop.
//
//   npm install --no-save playwright-core     (once; node_modules/ is ignored)
//   node scripts/screenshot.mjs               the integration's pages (below)
//   node scripts/screenshot.mjs try-it        docs/images/try-it.png (see below)
//   node scripts/screenshot.mjs readme        the README's other pictures (see below)
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
// readme: the pictures of the README's sections, taken from the default
// scripts/develop instance (the Dinstar gateway, 8 ports) at 1280 px wide,
// into docs/images/. First it prepares, through Home Assistant's APIs (as the
// logged-in frontend: REST and websocket), what they show:
//   - the entry's options get the USSD balance code *100# (options flow), if
//     it has none, so that the ports have Balance sensors and buttons;
//   - a recipient "Alice" (+447700900456, port 1) is added (the recipient
//     subentry flow), unless that number is saved already;
//   - the automation gsm_gateway_readme_balance_sms (config API: a device
//     trigger "SMS received" of port 1 with text_contains "balance", and a
//     persistent notification) is written (the same id each run);
//   - the dashboard /gsm-gateway is created if missing and given
//     docs/dashboard.yaml (lovelace/config/save, each run);
//   - Home Assistant's own notice that the development install method (Core)
//     is deprecated is ignored (it badges Settings in every picture);
//   - traffic: three SMS from the simulator's phone (its control API, SIM_URL;
//     two on port 1, one on port 0), the balance of each registered port
//     whose balance is still unknown (its Check balance button), and a USSD
//     *100# on port 1 through the gsm_gateway.send_ussd action.
// Re-running it creates no duplicates (only new SMS and USSD lines). Then:
//   config-flow.png     Add integration > GSM Gateway: the form, filled in
//                       with the simulator's address (not submitted)
//   port-device.png     the device page of port 1: controls, sensors, its
//                       activity with the SMS and the USSD reply
//   device-trigger.png  the automation in the editor, its device trigger open
//   logbook.png         the Activity page: "SMS from ...", "USSD reply: ..."
//   recipient-action.png  the automation's notify.send_message action, its
//                       target the recipient's notify entity
//   recipient.png       the integration's page: the recipient subentry Alice
//                       with its device (the entry's other devices folded)
//   dashboard.png       the example dashboard
// Each page is checked for the text it must show; the exit status is 1 if
// a check failed (an SMS that did not arrive, a USSD request that failed, a
// page without its text), 2 if a step could not be done at all (what the
// browser showed then: SCREENSHOT_DIR/readme-error.png).
//
// Uses the system Chromium (apt-get install -y chromium). Settings:
//   HA_URL (http://127.0.0.1:8123), HA_USER (dev), HA_PASSWORD
//   (dev-password-123), CHROMIUM (/usr/bin/chromium), SCREENSHOT_DIR,
//   SIM_URL (http://127.0.0.1:8081, try-it and readme).

import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
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
  if (mode === "readme") return readme();
  if (mode !== "pages") throw new Error(`unknown mode ${mode} (pages, try-it or readme)`);
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
    await expectDeepText(ha, text, "Home Assistant's dialog (the SMS's text)");
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

// -- readme ------------------------------------------------------------------

const README_VIEWPORT = { width: 1280, height: 800 };
const README_PORT = 1; // the port the pictures are about
const AUTOMATION_ID = "gsm_gateway_readme_balance_sms";
const DASHBOARD_URL = "gsm-gateway";
const BALANCE_CODE = "*100#";
const RECIPIENT = { name: "Alice", number: "+447700900456", port: String(README_PORT) };
const SMS_TRAFFIC = [
  { port: README_PORT, sender: "+447700900123", text: "Dinner at 8? I'll bring the wine." },
  { port: README_PORT, sender: "+447700900777", text: "Your balance is low: top up before Friday to keep your bundle." },
  { port: 0, sender: "+447700900321", text: "Parcel 4711 will be delivered tomorrow between 9 and 12." },
];

// Home Assistant's APIs, called by the logged-in frontend (its token, its
// websocket). A failure comes back as a message instead of an opaque object.
async function callHass(page, kind, ...args) {
  const answer = await page.evaluate(
    async ([kind, args]) => {
      const hass = document.querySelector("home-assistant").hass;
      try {
        const result = kind === "ws" ? await hass.callWS(args[0]) : await hass.callApi(...args);
        return { ok: true, result: result ?? null };
      } catch (err) {
        return { ok: false, error: err?.message ?? err?.body?.message ?? JSON.stringify(err) };
      }
    },
    [kind, args],
  );
  if (!answer.ok) {
    const what = kind === "ws" ? args[0].type : `${args[0]} /api/${args[1]}`;
    throw new Error(`${what}: ${answer.error}`);
  }
  return answer.result;
}
const ws = (page, msg) => callHass(page, "ws", msg);
const api = (page, method, urlPath, data) => callHass(page, "api", method, urlPath, data);

// The frontend's current states, filtered by entity id.
function entityIds(page, pattern) {
  return page.evaluate(
    (source) => Object.keys(document.querySelector("home-assistant").hass.states).filter((id) => new RegExp(source).test(id)),
    pattern.source,
  );
}

async function waitForEntities(page, pattern, what) {
  await page.waitForFunction(
    (source) => Object.keys(document.querySelector("home-assistant").hass.states).some((id) => new RegExp(source).test(id)),
    pattern.source,
    { timeout: 60000 },
  ).catch(() => {
    throw new Error(`${what} did not appear within 60 s`);
  });
}

async function simControl(pathname, body) {
  const response = await fetch(`${simBase}/sim/api/${pathname}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`simulator ${pathname}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

// The dashboard's YAML, parsed with the YAML library playwright-core bundles.
function parseYaml(text) {
  let yaml;
  try {
    ({ yaml } = createRequire(import.meta.url)("playwright-core/lib/utilsBundle"));
  } catch {
    yaml = undefined;
  }
  if (!yaml?.parse) throw new Error("this playwright-core bundles no YAML parser: cannot read docs/dashboard.yaml");
  return yaml.parse(text);
}

// A USSD request; a lost reply ("No USSD reply on port N") is retried once,
// loudly: the integration loses the reply of a request whose answer repeats
// the previous one on that port when its poll and the push raced (see the
// report of the run that added this mode). Any other error is a failure.
async function ussdRequest(what, request) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (err) {
      const lost = /No USSD reply/.test(err.message);
      if (lost && attempt === 1) {
        log(`WARNING ${what}: ${err.message}; retrying once (a lost USSD reply is an integration bug)`);
        continue;
      }
      // The simulated ports take calls now and then: wait for the call to end.
      if (/is busy/.test(err.message) && attempt < 20) {
        if (attempt === 1) log(`${what}: the port is busy; waiting`);
        await new Promise((resolve) => setTimeout(resolve, 5000));
        continue;
      }
      failures.push(`${what}: ${err.message}`);
      log(`FAIL ${what}: ${err.message}`);
      return null;
    }
  }
}

// Everything the pictures need, through Home Assistant's APIs. Safe to repeat:
// the options are set only while the balance code is missing, the recipient
// is added only while its number is not saved, and the automation and the
// dashboard are written under fixed ids (overwritten, never duplicated). The
// SMS and USSD traffic is new on every run (the logbook keeps older runs').
async function readmeSetup(page) {
  const [entry] = (await ws(page, { type: "config_entries/get", domain: DOMAIN })).filter((e) => e.state === "loaded");
  if (!entry) throw new Error(`no loaded ${DOMAIN} entry: is scripts/develop running and ready?`);
  log(`entry "${entry.title}" (${entry.entry_id})`);

  // 0. Home Assistant's notice that its installation method (Core, in a
  // venv: scripts/develop's) is deprecated puts a badge on Settings in every
  // picture; it is about the development setup, not the integration.
  const { issues } = await ws(page, { type: "repairs/list_issues" });
  if (issues.some((i) => i.domain === "homeassistant" && i.issue_id === "deprecated_method" && !i.ignored)) {
    await ws(page, { type: "repairs/ignore_issue", domain: "homeassistant", issue_id: "deprecated_method", ignore: true });
    log("ignored Home Assistant's repair notice deprecated_method (the development install method)");
  }

  // 1. The balance code (docs/dashboard.md: the dashboard's balance rows need it).
  if ((await entityIds(page, /^button\..*_check_balance$/)).length === 0) {
    const flow = await api(page, "POST", "config/config_entries/options/flow", { handler: entry.entry_id });
    const done = await api(page, "POST", `config/config_entries/options/flow/${flow.flow_id}`, { balance_code: BALANCE_CODE });
    if (done.type !== "create_entry") throw new Error(`options flow: ${JSON.stringify(done.errors ?? done)}`);
    log(`options: balance code ${BALANCE_CODE} set; the entry reloads`);
  }
  await waitForEntities(page, /^button\..*_port_\d+_check_balance$/, "the check balance buttons");

  // 2. The recipient (a subentry of the gateway's entry).
  const subentries = await ws(page, { type: "config_entries/subentries/list", entry_id: entry.entry_id });
  if (!subentries.some((s) => s.subentry_type === "recipient" && s.unique_id === RECIPIENT.number)) {
    const flow = await api(page, "POST", "config/config_entries/subentries/flow", { handler: [entry.entry_id, "recipient"] });
    if (flow.type !== "form") throw new Error(`recipient flow: ${JSON.stringify(flow)}`);
    const done = await api(page, "POST", `config/config_entries/subentries/flow/${flow.flow_id}`, RECIPIENT);
    if (done.type !== "create_entry") throw new Error(`recipient flow: ${JSON.stringify(done.errors ?? done)}`);
    log(`recipient ${RECIPIENT.name} (${RECIPIENT.number}, port ${RECIPIENT.port}) added; the entry reloads`);
  }
  await waitForEntities(page, /^notify\..*_sms$/, "the recipient's notify entity");
  const [notifyEntity] = await page.evaluate((name) => {
    const hass = document.querySelector("home-assistant").hass;
    return Object.keys(hass.states).filter(
      (id) => id.startsWith("notify.") && hass.entities[id]?.platform === "gsm_gateway" && (hass.states[id].attributes.friendly_name ?? "").startsWith(name),
    );
  }, RECIPIENT.name);
  if (!notifyEntity) throw new Error(`no notify entity of the recipient ${RECIPIENT.name}`);
  log(`recipient ${RECIPIENT.name}: ${notifyEntity}`);

  // 3. The port's device, and the automation with its device trigger.
  const ours = (await devices(page)).filter((d) => (d.identifiers ?? []).some(([domain]) => domain === DOMAIN));
  const portDevice = ours.find((d) => new RegExp(`Port ${README_PORT}$`).test(d.name ?? ""));
  if (!portDevice) throw new Error(`no device of port ${README_PORT}`);
  await api(page, "POST", `config/automation/config/${AUTOMATION_ID}`, {
    alias: `Balance SMS on port ${README_PORT}`,
    description: `Forwards the operator's balance texts to ${RECIPIENT.name}.`,
    triggers: [
      {
        trigger: "device",
        domain: DOMAIN,
        device_id: portDevice.id,
        type: "sms_received",
        text_contains: "balance",
      },
    ],
    conditions: [],
    actions: [
      {
        action: "notify.send_message",
        target: { entity_id: notifyEntity },
        data: {
          title: "SMS from {{ trigger.event.data.sender }}",
          message: "{{ trigger.event.data.text }}",
        },
      },
    ],
    mode: "single",
  });
  log(`automation ${AUTOMATION_ID} written`);

  // 4. The example dashboard.
  const dashboards = await ws(page, { type: "lovelace/dashboards/list" });
  if (!dashboards.some((d) => d.url_path === DASHBOARD_URL)) {
    await ws(page, {
      type: "lovelace/dashboards/create",
      url_path: DASHBOARD_URL,
      title: "GSM Gateway",
      icon: "mdi:sim",
      mode: "storage",
      show_in_sidebar: true,
      require_admin: false,
    });
    log(`dashboard /${DASHBOARD_URL} created`);
  }
  const dashboard = parseYaml(await readFile(path.join(repo, "docs", "dashboard.yaml"), "utf8"));
  await ws(page, { type: "lovelace/config/save", url_path: DASHBOARD_URL, config: dashboard });
  log(`dashboard /${DASHBOARD_URL} saved from docs/dashboard.yaml`);

  // 5. Traffic: SMS from the simulator's phone, a USSD through the action,
  // every port's balance.
  for (const sms of SMS_TRAFFIC) {
    await simControl("sms", sms);
    await page.waitForTimeout(300);
  }
  // The balance of every port that can take a USSD request and has none yet
  // (the dashboard's Balance rows; a re-run finds them read), then a USSD
  // through the send_ussd action (its reply: the logbook's "USSD reply").
  const ready = await page.evaluate(() => {
    const states = document.querySelector("home-assistant").hass.states;
    return Object.keys(states)
      .filter((id) => /^sensor\..*_port_\d+_balance$/.test(id) && ["unknown", "unavailable"].includes(states[id].state))
      .filter((id) => ["registered", "roaming"].includes(states[id.replace(/_balance$/, "_registration")]?.state))
      .map((id) => id.replace(/^sensor\./, "button.").replace(/_balance$/, "_check_balance"));
  });
  for (const button of ready) {
    log(`pressing ${button}`);
    await ussdRequest(`${button} (press)`, () => api(page, "POST", "services/button/press", { entity_id: button }));
  }
  const ussd = await ussdRequest(`send_ussd on port ${README_PORT}`, () =>
    api(page, "POST", "services/gsm_gateway/send_ussd?return_response", { device_id: portDevice.id, code: BALANCE_CODE }),
  );
  log(`send_ussd answered ${JSON.stringify(ussd?.service_response ?? ussd)}`);
  const lastSms = SMS_TRAFFIC.filter((sms) => sms.port === README_PORT).at(-1);
  const smsId = await smsEntity(page, README_PORT);
  const arrived = await page
    .waitForFunction(
      ([id, text]) => document.querySelector("home-assistant").hass.states[id]?.attributes?.text === text,
      [smsId, lastSms.text],
      { timeout: 10000, polling: 100 },
    )
    .then(() => true, () => false);
  if (!arrived) failures.push(`the SMS did not reach ${smsId} within 10 s`);
  // Each press returned once its reply was there: the balances are read.
  const unread = await page.evaluate((buttons) => {
    const states = document.querySelector("home-assistant").hass.states;
    return buttons
      .map((id) => id.replace(/^button\./, "sensor.").replace(/_check_balance$/, "_balance"))
      .filter((id) => ["unknown", "unavailable"].includes(states[id]?.state ?? "unknown"));
  }, ready);
  if (unread.length) failures.push(`balance not read: ${unread.join(", ")}`);
  return { entry, portDevice };
}

// A text anywhere in the page, bare text nodes in shadow roots included
// (attribute rows render their values so, out of getByText's reach).
async function expectDeepText(page, text, what) {
  const found = await page
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
    .then(() => true, () => false);
  if (!found) {
    failures.push(`${what}: no ${JSON.stringify(text)} on the page`);
    log(`FAIL ${what}: ${text} not shown`);
  }
}

// The text of an input somewhere in the page (inputs sit in shadow roots).
function inputHasValue(page, value) {
  return page.waitForFunction(
    (value) => {
      const walk = (root) =>
        [...root.querySelectorAll("*")].some(
          (el) => ((el.tagName === "INPUT" || el.tagName === "TEXTAREA") && el.value === value) || (el.shadowRoot && walk(el.shadowRoot)),
        );
      return walk(document);
    },
    value,
    { timeout: 20000 },
  );
}

async function readme() {
  const imageDir = path.join(repo, "docs", "images");
  await mkdir(imageDir, { recursive: true });
  const browser = await launch();
  let page;
  const save = async (name) => {
    await page.waitForTimeout(1500); // let cards and charts finish rendering
    const file = path.join(imageDir, name);
    await page.screenshot({ path: file });
    log(`saved ${path.relative(repo, file)}`);
  };
  try {
    const context = await browser.newContext({
      viewport: README_VIEWPORT,
      deviceScaleFactor: 1,
      locale: "en-US",
      colorScheme: "light",
    });
    page = await context.newPage();
    page.on("pageerror", (err) => log(`page error: ${err.message ?? err}`));
    await login(page);
    const { entry, portDevice } = await readmeSetup(page);

    // 1. The config flow: Add integration, GSM Gateway, the form filled in
    // (taller: the whole form).
    await page.setViewportSize({ width: README_VIEWPORT.width, height: 900 });
    await page.goto(`${base}/config/integrations/dashboard`);
    await page.getByRole("button", { name: /Add integration/i }).first().click();
    const search = page.getByPlaceholder(/Search/i).last();
    await search.waitFor({ timeout: 20000 });
    await search.fill("GSM Gateway");
    await page.getByText("GSM Gateway", { exact: true }).last().click();
    await expectText(page, "Connect to a GSM gateway", "config flow");
    await expectText(page, "Host", "config flow");
    // Host, port, username, password: the form's text fields in order.
    const fields = page.locator("ha-dialog ha-form").first().locator("input:not([type=checkbox])");
    await fields.nth(3).waitFor({ timeout: 20000 });
    const values = ["127.0.0.1", "8081", "admin", "admin"];
    for (const [index, value] of values.entries()) await fields.nth(index).fill(value);
    await save("config-flow.png");
    await page.keyboard.press("Escape"); // closing the dialog ends the flow

    // 2. The port's device page (taller: the activity card whole).
    await page.setViewportSize({ width: README_VIEWPORT.width, height: 1000 });
    await page.goto(`${base}/config/devices/device/${portDevice.id}`);
    await expectText(page, portDevice.name, "port device page");
    await expectText(page, "Signal strength", "port device page");
    await expectText(page, /SMS from/, "port device page (activity)");
    await expectText(page, /USSD reply/, "port device page (activity)");
    await save("port-device.png");

    // 3. The automation with the port's device trigger, the trigger opened.
    await page.setViewportSize(README_VIEWPORT);
    await page.goto(`${base}/config/automation/edit/${AUTOMATION_ID}`);
    await expectText(page, "SMS received", "automation editor");
    await page.getByText("SMS received").first().click().catch(() => {});
    await expectText(page, "Text contains", "automation editor");
    await inputHasValue(page, "balance").catch(() => failures.push('automation editor: "balance" not in a field'));
    await save("device-trigger.png");

    // 4. The logbook.
    await page.goto(`${base}/logbook`);
    await expectText(page, /SMS from \+447700900123: Dinner at 8/, "logbook");
    await expectText(page, /USSD reply/, "logbook");
    await save("logbook.png");

    // 5. The recipient on the gateway's entry (the frontend's more-info dialog
    // of a notify entity has no message field to show): the entry's devices
    // folded, so that the recipient subentry, its device and entity show.
    await page.goto(`${base}/config/integrations/integration/${DOMAIN}`);
    await expectText(page, "Add recipient", "integration page");
    await page
      .getByText("Devices that don't belong to a sub-entry")
      .first()
      .click({ timeout: 20000 })
      .catch(() => failures.push("integration page: the entry's other devices could not be folded"));
    await expectText(page, RECIPIENT.name, "integration page (recipient)");
    await expectText(page, "SMS recipient", "integration page (recipient's device)");
    await save("recipient.png");

    // 5b. The recipient picked as a target: the automation's notify action opened.
    await page.goto(`${base}/config/automation/edit/${AUTOMATION_ID}`);
    await expectText(page, "SMS received", "automation editor (action)");
    await page
      .getByText(/notification message/i)
      .first()
      .click({ timeout: 20000 })
      .catch(() => failures.push("automation editor: the notify action could not be opened"));
    // The target shows as the entity's name (SMS) over its device's (the recipient).
    await expectText(page, "Entities", "automation editor (action targets)");
    await expectText(page, /^SMS$/, "automation editor (recipient target)");
    await save("recipient-action.png");

    // 6. The example dashboard.
    await page.goto(`${base}/${DASHBOARD_URL}/gsm-gateway`);
    await expectText(page, "Port 0", "dashboard");
    await expectText(page, "Last SMS", "dashboard");
    await expectDeepText(page, SMS_TRAFFIC.find((sms) => sms.port === 0).text, "dashboard (port 0's last SMS)");
    await expectText(page, /Check balance/, "dashboard");
    await save("dashboard.png");
    log(`entry ${entry.title}: ${failures.length ? "some checks failed" : "all pictures taken"}`);
  } catch (err) {
    await mkdir(outDir, { recursive: true });
    if (page) await page.screenshot({ path: path.join(outDir, "readme-error.png") }).catch(() => {});
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
