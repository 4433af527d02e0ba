import type { MessageResult } from './processMessage';

export interface ScanFate {
  readonly messageId: string;
  readonly subject: string;
  readonly fate: string;
  readonly ticketId?: number;
}

/** What one scan counted and the fate of each message it saw (for the run record). */
export class ScanTally {
  readonly counts: Record<string, number> = { messages: 0 };
  readonly fates: ScanFate[] = [];

  bump(key: string, by = 1): void {
    this.counts[key] = (this.counts[key] ?? 0) + by;
  }

  fate(entry: ScanFate): void {
    this.fates.push(entry);
  }

  /** Counts a processed message by its outcome and keeps its fate (unless it was already done before). */
  result(message: { id: string; subject?: string | null }, result: MessageResult): void {
    this.bump('messages');
    this.bump(result.kind === 'final' ? result.outcome : result.kind);
    if (result.kind === 'final' && result.outcome === 'alreadyDone') return;
    this.fate({
      messageId: message.id,
      subject: message.subject ?? '',
      fate: result.fate,
      ...('ticketId' in result && result.ticketId !== undefined ? { ticketId: result.ticketId } : {}),
    });
  }
}
