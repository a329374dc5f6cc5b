/**
 * The raster formats the app decodes, told apart by their first bytes (not the file name or
 * the type the browser guesses from it). Anything else, SVG included, is refused: an SVG is
 * a document that can carry script, and it is never shown or decoded here.
 */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif';

export const SUPPORTED_FORMATS_TEXT = 'JPEG, PNG, WebP or GIF';

/** Bytes `sniffImageFormat` needs from the start of a file. */
export const SNIFF_BYTES = 64;

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  return signature.every((byte, i) => bytes[offset + i] === byte);
}

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  return null;
}

/** Why a file is refused before decoding, or null when its format is one the app decodes. */
export function unsupportedFormat(bytes: Uint8Array): string | null {
  if (sniffImageFormat(bytes)) return null;
  const text = new TextDecoder().decode(bytes).trimStart().toLowerCase();
  const what =
    text.startsWith('<svg') || text.startsWith('<?xml') ? 'an SVG or XML document' : 'not an image the app decodes';
  return `${what}: only ${SUPPORTED_FORMATS_TEXT} files are accepted`;
}
