import { redact } from '../shared/runtime/redact';

/** Extra bytes kept beyond the cap so that a secret cut by the cap is still recognised and masked whole. */
const MASK_MARGIN_BYTES = 4096;

/** Collects a stream's output, keeping only the last bytes once it grows past the cap. */
export class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = 0;

  constructor(private readonly capBytes: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    const limit = this.capBytes + MASK_MARGIN_BYTES;
    if (this.size > limit * 2) this.compact(limit);
  }

  /** The tail as text with secrets masked, at most capBytes of UTF-8 plus a one-line note of what was cut. */
  text(secrets: readonly string[]): string {
    this.compact(this.capBytes + MASK_MARGIN_BYTES);
    const masked = Buffer.from(maskSecrets(decodeFromCharBoundary(Buffer.concat(this.chunks)), secrets), 'utf8');
    const cut = Math.max(0, masked.length - this.capBytes);
    const kept = decodeFromCharBoundary(masked.subarray(cut));
    const droppedBytes = this.dropped + cut;
    return droppedBytes > 0 ? `[output truncated: first ${droppedBytes} bytes not kept]\n${kept}` : kept;
  }

  private compact(limit: number): void {
    if (this.size <= limit) return;
    const all = Buffer.concat(this.chunks);
    const cut = all.length - limit;
    this.chunks = [all.subarray(cut)];
    this.dropped += cut;
    this.size = limit;
  }
}

/** Masks the given secret values, then everything redact() recognises (tokens, keys, passwords). */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  return redact(text, secrets);
}

/** Decodes UTF-8, skipping continuation bytes at the start that belong to a character cut in half. */
function decodeFromCharBoundary(bytes: Buffer): string {
  let start = 0;
  while (start < bytes.length && start < 4 && ((bytes[start] ?? 0) & 0xc0) === 0x80) start++;
  return bytes.subarray(start).toString('utf8');
}
