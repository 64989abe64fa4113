// Draws icons/icon-{16,32,48,128}.png without any image library: a teal rounded square with a text line and a
// wavy amber underline (what kizuki does). Pixels are supersampled for smooth edges, then written as PNG with zlib.
// Run: node scripts/draw-icons.mjs (the PNGs are committed; the build only copies them).
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEAL = [15, 118, 110];
const WHITE = [255, 255, 255];
const AMBER = [245, 158, 11];

/** Colour at (x, y) in a unit square, or null for transparent. */
function shade(x, y) {
  const r = 0.2; // corner radius
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return null;
  // Two "text" bars.
  if (x > 0.2 && x < 0.8 && y > 0.24 && y < 0.34) return WHITE;
  if (x > 0.2 && x < 0.62 && y > 0.44 && y < 0.54) return WHITE;
  // The wavy underline.
  const wave = 0.7 + 0.05 * Math.sin((x - 0.18) * Math.PI * 2 / 0.22);
  if (x > 0.18 && x < 0.82 && Math.abs(y - wave) < 0.045) return AMBER;
  return TEAL;
}

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size) {
  const ss = 4;
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      let rr = 0, gg = 0, bb = 0, aa = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = shade((x + (sx + 0.5) / ss) / size, (y + (sy + 0.5) / ss) / size);
          if (!c) continue;
          rr += c[0]; gg += c[1]; bb += c[2]; aa++;
        }
      }
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = aa ? Math.round(rr / aa) : 0;
      raw[o + 1] = aa ? Math.round(gg / aa) : 0;
      raw[o + 2] = aa ? Math.round(bb / aa) : 0;
      raw[o + 3] = Math.round((aa / (ss * ss)) * 255);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(path.join(root, 'icons'), { recursive: true });
for (const size of [16, 32, 48, 128]) {
  writeFileSync(path.join(root, 'icons', `icon-${size}.png`), png(size));
}
console.log('icons/icon-{16,32,48,128}.png written');
