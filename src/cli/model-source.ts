import { NeuriteError } from '../index.js';
import { readBytes } from './read-bytes.js';

/**
 * A model file as the format table sees it: its path, and its bytes and JSON read once, on demand.
 * Formats recognise a file by its name or its content (a TF.js `model.json` and neurite's own
 * model file are both JSON), and the row that reads it reuses what recognising it already parsed.
 */
export class ModelSource {
  private bytesRead?: Uint8Array;
  private parsed?: { value: unknown } | { error: string };

  /** @param path the file, as the user named it. */
  constructor(readonly path: string) {}

  /** The file's bytes; `IO_ERROR` naming the path when it cannot be read. */
  bytes(): Uint8Array {
    this.bytesRead ??= readBytes(this.path);
    return this.bytesRead;
  }

  /** The file parsed as JSON; `INVALID_MODEL` naming the path when it is not JSON. */
  json(): unknown {
    this.parsed ??= parse(this.bytes());
    if ('error' in this.parsed) {
      throw new NeuriteError(
        'INVALID_MODEL',
        `model file ${JSON.stringify(this.path)} is not valid JSON (${this.parsed.error})`,
      );
    }
    return this.parsed.value;
  }

  /** The file's JSON object, or undefined when the file is not a JSON object (binary formats, bad JSON). */
  jsonObject(): Record<string, unknown> | undefined {
    const bytes = this.bytes();
    // Binary files are not decoded as text to find out: a JSON object starts with '{' after any BOM and blanks.
    let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
    if (bytes[i] !== 0x7b) return undefined;
    this.parsed ??= parse(bytes);
    const v = 'value' in this.parsed ? this.parsed.value : undefined;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  }
}

function parse(bytes: Uint8Array): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(new TextDecoder().decode(bytes)) as unknown };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
