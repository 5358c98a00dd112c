import type { DeadLetterFailure, DeadLetterSource, DeadLetterStore, HoldOutcome, StoredDeadLetter } from '../dead-letters';

export interface MemoryLetter extends StoredDeadLetter {
  failure: DeadLetterFailure | null;
  marked: boolean;
}

/** The dead-letter table's rules without Postgres, for unit specs (the int specs use the real one). */
export class InMemoryDeadLetters implements DeadLetterStore {
  readonly letters: MemoryLetter[] = [];
  private nextId = 1;

  async parkedKeys(consumer: string): Promise<string[]> {
    return [...new Set(this.letters.filter((l) => l.consumer === consumer && l.streamKey !== null).map((l) => l.streamKey as string))];
  }

  async park(letter: DeadLetterSource, failure: DeadLetterFailure): Promise<boolean> {
    return this.insert(letter, 'parked', failure);
  }

  async holdIfBehind(letter: DeadLetterSource): Promise<HoldOutcome> {
    if (letter.streamKey === null) return 'clear';
    const first = this.streamOf(letter.consumer, letter.streamKey)[0];
    if (!first) return 'clear';
    if (BigInt(first.streamSequence) > BigInt(letter.streamSequence)) return 'ahead';
    return this.insert(letter, 'held', null) ? 'held' : 'already-there';
  }

  async headsToRetry(consumer: string): Promise<StoredDeadLetter[]> {
    const marked = this.letters.filter((l) => l.consumer === consumer && l.marked);
    const heads = new Map<string, MemoryLetter>();
    for (const l of marked) {
      if (l.streamKey === null) heads.set(`#${l.id}`, l);
      else heads.set(l.streamKey, this.streamOf(consumer, l.streamKey)[0]);
    }
    return [...heads.values()];
  }

  async resolve(letter: StoredDeadLetter): Promise<StoredDeadLetter | null> {
    this.remove(letter.id);
    return letter.streamKey === null ? null : this.streamOf(letter.consumer, letter.streamKey)[0] ?? null;
  }

  async repark(letter: StoredDeadLetter, failure: DeadLetterFailure): Promise<void> {
    const stored = this.letters.find((l) => l.id === letter.id);
    if (stored) Object.assign(stored, { status: 'parked', failure });
    for (const l of this.letters) if (l.consumer === letter.consumer && (l.id === letter.id || (l.streamKey !== null && l.streamKey === letter.streamKey))) l.marked = false;
  }

  /** What the operator's `retry --stream` does. */
  markStream(consumer: string, streamKey: string): void {
    for (const l of this.streamOf(consumer, streamKey)) l.marked = true;
  }

  remove(id: string): void {
    const index = this.letters.findIndex((l) => l.id === id);
    if (index >= 0) this.letters.splice(index, 1);
  }

  private insert(letter: DeadLetterSource, status: 'parked' | 'held', failure: DeadLetterFailure | null): boolean {
    if (this.letters.some((l) => l.consumer === letter.consumer && l.sourceRef === letter.sourceRef)) return false;
    this.letters.push({ ...letter, id: String(this.nextId++), status, failure, marked: false });
    return true;
  }

  private streamOf(consumer: string, streamKey: string): MemoryLetter[] {
    return this.letters
      .filter((l) => l.consumer === consumer && l.streamKey === streamKey)
      .sort((a, b) => Number(BigInt(a.streamSequence) - BigInt(b.streamSequence)) || Number(a.id) - Number(b.id));
  }
}
