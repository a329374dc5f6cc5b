import { imageSize } from 'image-size';
import { modelInputSquare } from '../../../lib/crop';
import { SNIFF_BYTES, SUPPORTED_FORMATS_TEXT, unsupportedFormat } from '../../../lib/imageFormat';
import { augmentPixels } from '../../../lib/augmentViews';
import { imageTooLarge, MODEL_INPUT_SIZE, modelInputFromRgba } from '../../../lib/preprocess';
import type { EmbedFailure, EmbedJob } from '../shared/protocol';

export class SkippedImage extends Error {
  constructor(readonly failure: Omit<EmbedFailure, 'id'>) {
    super(failure.message);
  }
}

async function fetchBytes(source: string | Blob): Promise<Blob> {
  if (source instanceof Blob) return source;
  const response = await fetch(source);
  // A static server answers an unknown path with its index page, so check what came back.
  if (!response.ok || response.headers.get('content-type')?.startsWith('text/html')) {
    throw new SkippedImage({
      reason: 'fetch-failed',
      message: `the server did not return this image (HTTP ${response.status})`,
    });
  }
  return response.blob();
}

/** Bytes enough to reach the size fields of any header, even behind a large EXIF block. */
const HEADER_BYTES = 512 * 1024;

/** Reads the pixel size from the file header, so a decompression bomb is refused before decoding. */
async function refuseHugeImage(blob: Blob): Promise<void> {
  let size: { width?: number; height?: number };
  try {
    size = imageSize(new Uint8Array(await blob.slice(0, HEADER_BYTES).arrayBuffer()));
  } catch {
    return; // Unknown header: the decoder decides, and reports it.
  }
  const refusal = imageTooLarge(size.width ?? 0, size.height ?? 0);
  if (refusal) throw new SkippedImage({ reason: 'too-large', message: refusal });
}

/**
 * Decodes an image (EXIF orientation applied, a GIF's first frame, no colour-profile conversion,
 * as the Node decoders do) and returns the model input of src/lib/preprocess.ts. The canvas only
 * cuts the centre square (of the job's region, when it has one) at its natural size; compositing
 * and resizing are the shared code; so is a training view's flip and colour jitter, applied last.
 */
export async function decodeToModelInput(job: EmbedJob): Promise<Uint8Array> {
  const bitmap = await decodeUpright(job.source);
  try {
    const { sx, sy, size } = modelInputSquare(job.region ?? null, bitmap);
    const canvas = new OffscreenCanvas(size, size);
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    context.drawImage(bitmap, sx, sy, size, size, 0, 0, size, size);
    const square = context.getImageData(0, 0, size, size);
    const input = modelInputFromRgba({ data: square.data, width: size, height: size });
    return job.augment ? augmentPixels(input, MODEL_INPUT_SIZE, job.augment) : input;
  } finally {
    bitmap.close();
  }
}

/**
 * Fetches (or takes) an image and decodes it upright (EXIF orientation applied), with the checks
 * every worker makes first: empty files, formats other than JPEG/PNG/WebP/GIF, and decompression
 * bombs, each refused with a SkippedImage. The caller closes the bitmap.
 */
export async function decodeUpright(source: string | Blob): Promise<ImageBitmap> {
  const blob = await fetchBytes(source);
  if (blob.size === 0) throw new SkippedImage({ reason: 'empty-file', message: 'the file is empty (0 bytes)' });
  const refusal = unsupportedFormat(new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer()));
  if (refusal) throw new SkippedImage({ reason: 'unsupported-format', message: refusal });
  await refuseHugeImage(blob);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, {
      imageOrientation: 'from-image',
      colorSpaceConversion: 'none',
      premultiplyAlpha: 'none',
    });
  } catch {
    throw new SkippedImage({
      reason: 'decode-failed',
      message: `not a decodable image (corrupt, truncated or not ${SUPPORTED_FORMATS_TEXT})`,
    });
  }
  return bitmap;
}
