/** Resolves once `condition` holds after some `record` call; no clocks involved. */
export class Collector<T> {
  readonly items: T[] = [];
  private waiters: { condition: (items: T[]) => boolean; resolve: () => void }[] = [];

  record(item: T): void {
    this.items.push(item);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.condition(this.items)) return true;
      waiter.resolve();
      return false;
    });
  }

  until(condition: (items: T[]) => boolean): Promise<T[]> {
    if (condition(this.items)) return Promise.resolve(this.items);
    return new Promise((resolve) => this.waiters.push({ condition, resolve: () => resolve(this.items) }));
  }
}
