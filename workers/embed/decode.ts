import { imageSize } from 'image-size';
import { modelInputSquare } from '../../src/lib/crop';
import { ALPHA_BACKGROUND, MODEL_INPUT_SIZE, imageTooLarge, rgbaToRgb } from '../../src/lib/preprocess';
import type { EmbedFailure, EmbedJob } from './protocol';

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
    throw new SkippedImage({ reason: 'fetch-failed', message: `the server did not return this image (HTTP ${response.status})` });
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

const canvas = new OffscreenCanvas(MODEL_INPUT_SIZE, MODEL_INPUT_SIZE);
const context = canvas.getContext('2d', { willReadFrequently: true })!;

/**
 * Decodes an image (EXIF orientation applied) and returns the model input: the centre
 * crop (of the job's region, when it has one) resized to 224×224, RGB, one byte per
 * channel, alpha composited on white.
 */
export async function decodeToModelInput(job: EmbedJob): Promise<Uint8Array> {
  const blob = await fetchBytes(job.source);
  if (blob.size === 0) throw new SkippedImage({ reason: 'empty-file', message: 'the file is empty (0 bytes)' });
  await refuseHugeImage(blob);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
  } catch {
    throw new SkippedImage({
      reason: 'decode-failed',
      message: 'not a decodable image (corrupt, truncated or not JPEG/PNG/WebP)',
    });
  }
  try {
    const { sx, sy, size } = modelInputSquare(job.region ?? null, bitmap);
    context.fillStyle = ALPHA_BACKGROUND;
    context.fillRect(0, 0, MODEL_INPUT_SIZE, MODEL_INPUT_SIZE);
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, sx, sy, size, size, 0, 0, MODEL_INPUT_SIZE, MODEL_INPUT_SIZE);
    return rgbaToRgb(context.getImageData(0, 0, MODEL_INPUT_SIZE, MODEL_INPUT_SIZE).data);
  } finally {
    bitmap.close();
  }
}
