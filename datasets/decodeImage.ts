import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import decodeJpeg, { init as initJpegDecoder } from '@jsquash/jpeg/decode.js';
import { imageSize } from 'image-size';
import { PNG } from 'pngjs';
import { imageTooLarge, type RgbaImage } from '../src/lib/preprocess';

export type NodeSkipReason = 'empty-file' | 'too-large' | 'decode-failed' | 'unsupported-format';

export class UndecodableImage extends Error {
  constructor(
    readonly reason: NodeSkipReason,
    message: string,
  ) {
    super(message);
  }
}

let jpegDecoder: Promise<void> | null = null;

/**
 * MozJPEG's decoder (libjpeg-turbo's, compiled to WASM): the library Chromium decodes JPEGs
 * with, so both sides get the same pixels, chroma upsampling included. Its warnings about
 * damaged files go nowhere: a file it cannot decode is reported by the caller.
 */
function startJpegDecoder(): Promise<void> {
  jpegDecoder ??= (async () => {
    const wasmFile = createRequire(import.meta.url).resolve('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm');
    // init(module, options): its .d.ts only declares init(options).
    const init = initJpegDecoder as (module: WebAssembly.Module, options: object) => Promise<void>;
    await init(await WebAssembly.compile(await readFile(wasmFile)), { printErr: () => {} });
  })();
  return jpegDecoder;
}

/**
 * Decodes a JPEG or PNG file in Node to upright RGBA pixels (EXIF orientation applied),
 * with the browser's refusals: empty files, and images above the pixel limit before decoding.
 * Other formats (WebP, GIF…) are refused with `unsupported-format`: no decoder here.
 */
export async function decodeImage(bytes: Uint8Array): Promise<RgbaImage> {
  if (bytes.length === 0) throw new UndecodableImage('empty-file', 'the file is empty (0 bytes)');
  let header: ReturnType<typeof imageSize>;
  try {
    header = imageSize(bytes);
  } catch {
    throw new UndecodableImage('decode-failed', 'not a recognisable image (unreadable header)');
  }
  const refusal = imageTooLarge(header.width ?? 0, header.height ?? 0);
  if (refusal) throw new UndecodableImage('too-large', refusal);
  try {
    if (header.type === 'jpg') {
      await startJpegDecoder();
      // A copy that owns its whole ArrayBuffer (a Buffer may be a view into a shared pool).
      // preserveOrientation: true applies the EXIF orientation, as the browser does.
      const decoded = await decodeJpeg(new Uint8Array(bytes).buffer, { preserveOrientation: true });
      return { data: decoded.data, width: decoded.width, height: decoded.height };
    }
    if (header.type === 'png') {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { data: png.data, width: png.width, height: png.height };
    }
  } catch (error) {
    throw new UndecodableImage(
      'decode-failed',
      `not a decodable ${header.type?.toUpperCase()} (${error instanceof Error ? error.message : 'corrupt or truncated'})`,
    );
  }
  throw new UndecodableImage(
    'unsupported-format',
    `${header.type?.toUpperCase() ?? 'this'} files cannot be decoded by the CLI (JPEG and PNG only); the browser can`,
  );
}
