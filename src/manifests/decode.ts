// Manifest bytes -> text, as kubectl reads them: UTF-8 (a BOM dropped), UTF-16 with a BOM (kubectl's
// BOMOverride), UTF-16 without one (YAML 1.2, 5.2: told by where the NULs of ASCII text fall),
// and old Mac CR-only line ends as line ends.

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf16le = new TextDecoder('utf-16le', { fatal: true });
const utf16be = new TextDecoder('utf-16be', { fatal: true });

/** The UTF-16 byte order of text without a BOM, from a NUL in its first two bytes. */
function utf16Order(b: Uint8Array): 'le' | 'be' | undefined {
  if (b.length < 2 || b.length % 2 !== 0) return undefined;
  if (b[0] !== 0 && b[1] === 0) return 'le';
  if (b[0] === 0 && b[1] !== 0) return 'be';
  return undefined;
}

export type Decoded = { text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' } | undefined;

/** The text of a manifest, or undefined when it is in no encoding kubectl reads. */
export function decodeManifest(bytes: Uint8Array): Decoded {
  const decoded = decode(bytes);
  if (!decoded) return undefined;
  // CR-only line ends (no LF anywhere): YAML reads a lone CR as a line break, the scanner needs LF.
  const { text } = decoded;
  if (text.includes('\r') && !text.includes('\n')) return { ...decoded, text: text.replace(/\r/g, '\n') };
  return decoded;
}

function decode(bytes: Uint8Array): Decoded {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: utf16le.decode(bytes), encoding: 'utf-16le' };
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: utf16be.decode(bytes), encoding: 'utf-16be' };
    const order = utf16Order(bytes);
    if (order === 'le') return { text: utf16le.decode(bytes), encoding: 'utf-16le' };
    if (order === 'be') return { text: utf16be.decode(bytes), encoding: 'utf-16be' };
    return { text: utf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    return undefined;
  }
}
