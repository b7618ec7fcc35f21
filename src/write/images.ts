/**
 * Images for both writers: how large a picture or logo is drawn (its aspect ratio always kept),
 * an SVG drawn as vectors into a PDF (svg-to-pdfkit), and an SVG's PNG fallback for the DOCX
 * (resvg, as WebAssembly: Word before 2016 and many other readers cannot show SVG).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import SVGtoPDF from 'svg-to-pdfkit';
import type { ImageData } from '../model.js';
import { fontPath } from './font-files.js';

const require = createRequire(import.meta.url);

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** CSS pixels (an SVG's unit, and a PNG's or JPEG's pixel taken at 96 per inch) to points. */
export const PT_PER_PX = 72 / 96;

/** An image's natural size in points. */
export function naturalSize(image: Pick<ImageData, 'width' | 'height'>): Size {
  return { width: image.width * PT_PER_PX, height: image.height * PT_PER_PX };
}

/** The largest size within a box that keeps the image's aspect ratio, never larger than `natural` unless `grow`. */
export function fit(image: Pick<ImageData, 'width' | 'height'>, box: Size, grow = false): Size {
  const natural = naturalSize(image);
  const scale = Math.min(box.width / natural.width, box.height / natural.height, grow ? Infinity : 1);
  return { width: natural.width * scale, height: natural.height * scale };
}

/**
 * The logo's box in the page header, in points: at most this wide and this high, scaled to fill
 * the height (a small logo file is drawn at the letterhead's size, not at its pixel size).
 */
export const LOGO_BOX: Size = { width: 150, height: 34 };

export function logoSize(image: Pick<ImageData, 'width' | 'height'>): Size {
  return fit(image, LOGO_BOX, true);
}

/** The text of an SVG file, without a byte order mark. */
export function svgText(image: ImageData): string {
  return Buffer.from(image.bytes).toString('utf8').replace(/^\ufeff/, '');
}

/**
 * Draws an image at (x, y), `size` in points: PNG and JPEG as image XObjects, SVG as vector paths.
 * Text in an SVG is set in `font` (an embedded face): PDF/A allows no font that is not embedded,
 * and svg-to-pdfkit would otherwise reach for Helvetica.
 */
export function drawImage(pdf: PDFKit.PDFDocument, image: ImageData, x: number, y: number, size: Size, font: (bold: boolean, italic: boolean) => string): void {
  if (image.format === 'svg') {
    SVGtoPDF(pdf, svgText(image), x, y, {
      width: size.width,
      height: size.height,
      preserveAspectRatio: 'xMidYMid meet',
      fontCallback: (_family: string, bold: boolean, italic: boolean) => font(bold, italic),
      // An SVG may not pull in other files: its images and documents must be inside it.
      imageCallback: () => null,
      documentCallback: () => null,
      warningCallback: () => undefined,
    });
    return;
  }
  pdf.image(Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength), x, y, { width: size.width, height: size.height });
}

let resvgReady: Promise<void> | undefined;

/** resvg's WebAssembly, compiled once per process. */
function resvg(): Promise<void> {
  resvgReady ??= initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
  return resvgReady;
}

/** PNG fallbacks by the SVG's digest and width: rasterised once per process. */
const fallbacks = new Map<string, Promise<Uint8Array>>();

/**
 * The PNG a DOCX carries beside an SVG, for readers that cannot draw SVG: `pixels` wide (twice
 * the drawn size at 96 dpi, so it stays sharp in print), text in DejaVu Sans.
 */
export function svgFallback(image: ImageData, pixels: number): Promise<Uint8Array> {
  const width = Math.max(1, Math.min(4000, Math.round(pixels)));
  const key = `${image.sha256}:${width}`;
  let made = fallbacks.get(key);
  if (!made) {
    made = resvg().then(() => {
      const fontBuffers = (['sans', 'sansBold'] as const).map((f) => new Uint8Array(readFileSync(fontPath(f))));
      const svg = new Resvg(svgText(image), { fitTo: { mode: 'width', value: width }, font: { fontBuffers, defaultFontFamily: 'DejaVu Sans', loadSystemFonts: false } as never });
      try {
        return svg.render().asPng();
      } finally {
        svg.free();
      }
    });
    fallbacks.set(key, made);
  }
  return made;
}
