/** sha256 of a file's bytes, hex, as setup hashes the catalogue's files; null when it cannot be read or hashed. */
export async function contentHash(file: Blob): Promise<string | null> {
  try {
    const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  } catch {
    // No WebCrypto (not a secure context), or the file changed or went away: it is embedded, not looked up.
    return null;
  }
}
