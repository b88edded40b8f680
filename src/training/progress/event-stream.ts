/**
 * A bounded push-to-pull queue behind one subscription: the producer pushes, GraphQL pulls. When a slow
 * client lets more than `max` messages wait, the oldest waiting ones are dropped (progress is a state:
 * the newest message supersedes the older ones); the last message pushed before `end` is always kept.
 */
export class EventStream<T> implements AsyncIterableIterator<T> {
  private readonly waiting: T[] = [];
  private pull?: (r: IteratorResult<T>) => void;
  private ended = false;
  dropped = 0;

  constructor(
    private readonly max: number,
    private readonly onClose: () => void,
  ) {}

  push(value: T): void {
    if (this.ended) return;
    if (this.pull) {
      const pull = this.pull;
      this.pull = undefined;
      pull({ value, done: false });
      return;
    }
    this.waiting.push(value);
    if (this.waiting.length > this.max) {
      this.waiting.shift();
      this.dropped++;
    }
  }

  /** No more messages: the ones waiting are still delivered, then the stream completes. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onClose();
    if (this.pull && !this.waiting.length) {
      const pull = this.pull;
      this.pull = undefined;
      pull({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.waiting.length) return Promise.resolve({ value: this.waiting.shift()!, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.pull = resolve));
  }

  /** The client went away (or GraphQL stopped reading): stop at once. */
  return(): Promise<IteratorResult<T>> {
    this.waiting.length = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
