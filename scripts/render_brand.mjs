#!/usr/bin/env node
// Renders the integration's brand images from their SVG sources.
//
//   npm install --no-save playwright-core     (once; node_modules/ is ignored)
//   node scripts/render_brand.mjs             all of them
//   node scripts/render_brand.mjs dark_logo   one source's two sizes
//
// docs/brand/{icon,dark_icon,logo,dark_logo}.svg become the eight PNGs Home
// Assistant (2026.3 and later) serves for a custom integration from
// custom_components/gsm_gateway/brand/ (homeassistant/components/brands):
//   icon.png 256x256, icon@2x.png 512x512 (and dark_ the same),
//   logo.png 128 high, logo@2x.png 256 high (and dark_ the same),
// as the home-assistant/brands repository asks: PNG with an alpha channel
// (sRGB), trimmed to the artwork, losslessly compressed. The icon is the
// artwork's square box around its ink; the logo is its ink box, landscape.
//
// The SVGs are drawn into a canvas of the system Chromium (the logo's words
// are Liberation Sans, the font Debian's chromium package depends on), and
// the pixels are encoded here (zlib level 9, the smallest of the PNG row
// filters). Settings: CHROMIUM (/usr/bin/chromium).

import { readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";
import { chromium } from "playwright-core";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sourceDir = path.join(repo, "docs", "brand");
const outDir = path.join(repo, "custom_components", "gsm_gateway", "brand");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";

// source, kind, and the 1x size: the icon's side, the logo's height.
const SOURCES = [
  { svg: "icon.svg", name: "icon", kind: "icon", size: 256 },
  { svg: "dark_icon.svg", name: "dark_icon", kind: "icon", size: 256 },
  { svg: "logo.svg", name: "logo", kind: "logo", size: 128 },
  { svg: "dark_logo.svg", name: "dark_logo", kind: "logo", size: 128 },
];
const FONT = "Liberation Sans";

// -- PNG ---------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

// One row filtered with PNG filter `type` (bpp 4: RGBA, 8 bits a sample).
function filterRow(type, row, prev) {
  const out = Buffer.alloc(row.length + 1);
  out[0] = type;
  for (let i = 0; i < row.length; i++) {
    const a = i >= 4 ? row[i - 4] : 0;
    const b = prev[i];
    const c = i >= 4 ? prev[i - 4] : 0;
    let p;
    if (type === 0) p = 0;
    else if (type === 1) p = a;
    else if (type === 2) p = b;
    else if (type === 3) p = (a + b) >> 1;
    else {
      const pa = Math.abs(b - c);
      const pb = Math.abs(a - c);
      const pc = Math.abs(a + b - 2 * c);
      p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
    out[i + 1] = (row[i] - p) & 0xff;
  }
  return out;
}

function filtered(rgba, width, height, choose) {
  const stride = width * 4;
  const rows = [];
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const row = rgba.subarray(y * stride, (y + 1) * stride);
    rows.push(choose(row, prev));
    prev = row;
  }
  return Buffer.concat(rows);
}

// The sum of the bytes as signed values: the usual guess at which filter
// compresses best.
const cost = (buf) => buf.subarray(1).reduce((sum, v) => sum + (v < 128 ? v : 256 - v), 0);

function encodePng(rgba, width, height) {
  // Fully transparent pixels carry no colour: zero them, they compress better.
  for (let i = 0; i < rgba.length; i += 4) {
    if (rgba[i + 3] === 0) rgba[i] = rgba[i + 1] = rgba[i + 2] = 0;
  }
  const candidates = [0, 1, 2, 3, 4].map((type) =>
    filtered(rgba, width, height, (row, prev) => filterRow(type, row, prev)),
  );
  candidates.push(
    filtered(rgba, width, height, (row, prev) =>
      [0, 1, 2, 3, 4]
        .map((type) => filterRow(type, row, prev))
        .reduce((best, f) => (cost(f) < cost(best) ? f : best)),
    ),
  );
  const idat = candidates
    .map((raw) => deflateSync(raw, { level: 9, memLevel: 9 }))
    .reduce((best, z) => (z.length < best.length ? z : best));
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  // compression, filter method, interlace: 0 (none; smaller than Adam7)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("sRGB", Buffer.from([0])), // perceptual
    chunk("IDAT", idat),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// -- rendering -----------------------------------------------------------------

// In the page: the SVG drawn into a width x height canvas, its viewBox set to
// `box` (the source's own when null). Returns the RGBA pixels, base64.
async function drawInPage({ svg, box, width, height }) {
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
  const root = doc.documentElement;
  if (box) root.setAttribute("viewBox", box.join(" "));
  root.setAttribute("width", String(width));
  root.setAttribute("height", String(height));
  const text = new XMLSerializer().serializeToString(doc);
  const img = new Image();
  img.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(text)))}`;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d", { colorSpace: "srgb", willReadFrequently: true });
  ctx.drawImage(img, 0, 0, width, height);
  const { data } = ctx.getImageData(0, 0, width, height);
  let bin = "";
  for (let i = 0; i < data.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, data.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

async function draw(page, svg, box, width, height) {
  const b64 = await page.evaluate(drawInPage, { svg, box, width, height });
  return Buffer.from(b64, "base64");
}

function viewBoxOf(svg) {
  const m = /<svg\b[^>]*\sviewBox="([^"]+)"/.exec(svg);
  if (!m) throw new Error("the SVG has no viewBox");
  return m[1].trim().split(/[\s,]+/).map(Number);
}

// The box around the artwork's ink, in the SVG's units (drawn at `scale`
// pixels a unit, so exact to 1/scale).
async function inkBox(page, svg, scale) {
  const [vx, vy, vw, vh] = viewBoxOf(svg);
  const width = Math.round(vw * scale);
  const height = Math.round(vh * scale);
  const px = await draw(page, svg, null, width, height);
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (px[(y * width + x) * 4 + 3] === 0) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) throw new Error("the SVG draws nothing");
  const sx = vw / width;
  const sy = vh / height;
  return [vx + x0 * sx, vy + y0 * sy, (x1 + 1 - x0) * sx, (y1 + 1 - y0) * sy];
}

// The box grown about its centre to `width` x `height` units.
function grow([x, y, w, h], width, height) {
  return [x - (width - w) / 2, y - (height - h) / 2, width, height];
}

async function main() {
  await mkdir(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  try {
    const page = await browser.newPage();
    await page.setContent("<!doctype html><html><body></body></html>");
    // A missing font falls back silently: it is there if text drawn in it
    // differs from text in the fallbacks.
    const hasFont = await page.evaluate((font) => {
      const ctx = document.createElement("canvas").getContext("2d");
      const width = (family) => {
        ctx.font = `bold 40px ${family}`;
        return ctx.measureText("GSM Gateway").width;
      };
      return ["monospace", "serif"].some((g) => width(`"${font}", ${g}`) !== width(g));
    }, FONT);
    if (!hasFont) throw new Error(`the font ${FONT} is missing (apt-get install fonts-liberation)`);

    const only = process.argv.slice(2);
    const unknown = only.filter((n) => !SOURCES.some((s) => s.name === n));
    if (unknown.length) throw new Error(`unknown image(s): ${unknown.join(", ")}`);
    for (const { svg: file, name, kind, size } of SOURCES) {
      if (only.length && !only.includes(name)) continue;
      const svg = await readFile(path.join(sourceDir, file), "utf8");
      const [, , vw, vh] = viewBoxOf(svg);
      const ink = await inkBox(page, svg, 4096 / Math.max(vw, vh));
      let box;
      let width;
      if (kind === "icon") {
        const side = Math.max(ink[2], ink[3]);
        box = grow(ink, side, side);
        width = size;
      } else {
        // A whole number of pixels wide at 1x, so that 2x is exactly twice it.
        width = Math.round((ink[2] / ink[3]) * size);
        box = grow(ink, (width / size) * ink[3], ink[3]);
      }
      for (const [scale, suffix] of [[1, ""], [2, "@2x"]]) {
        const w = width * scale;
        const h = size * scale;
        const png = encodePng(await draw(page, svg, box, w, h), w, h);
        const out = path.join(outDir, `${name}${suffix}.png`);
        await writeFile(out, png);
        console.log(`render_brand: ${path.relative(repo, out)} ${w}x${h}, ${png.length} bytes`);
      }
    }
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(`render_brand: ${err.stack ?? err}`);
  process.exitCode = 1;
});
