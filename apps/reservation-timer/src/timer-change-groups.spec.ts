import { TimerChangeGroups } from './timer-change-groups';
import { TimerChanges } from './timer-changes';

const cancel = (...taskSids: string[]) => taskSids.reduce((changes, sid) => changes.cancelTask(sid), new TimerChanges());

/** A store whose statements finish only when the test says so. */
class ControlledStore {
  readonly statements: Array<{ tasks: string[]; finish: () => void }> = [];
  refuse?: string;
  apply = (changes: TimerChanges): Promise<void> => new Promise((resolve, reject) => {
    const tasks = changes.cancelledTasks();
    this.statements.push({ tasks, finish: () => (this.refuse && tasks.includes(this.refuse) ? reject(new Error(`refused ${this.refuse}`)) : resolve()) });
  });
}

describe('TimerChangeGroups', () => {
  it('writes a lone batch at once, and what arrives while a statement is in flight together in the next one', async () => {
    const store = new ControlledStore();
    const groups = new TimerChangeGroups(store);
    const settled: string[] = [];
    const first = groups.apply(cancel('WT1')).then(() => settled.push('WT1'));
    const rest = ['WT2', 'WT3', 'WT4'].map((sid) => groups.apply(cancel(sid)).then(() => settled.push(sid)));
    expect(store.statements.map((s) => s.tasks)).toEqual([['WT1']]);
    store.statements[0].finish();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toEqual(['WT1']);
    expect(store.statements.map((s) => s.tasks)).toEqual([['WT1'], ['WT2', 'WT3', 'WT4']]);
    store.statements[1].finish();
    await Promise.all(rest);
    expect(settled).toEqual(['WT1', 'WT2', 'WT3', 'WT4']);
  });

  it('writes the members of a group that failed one by one, so only the one at fault fails', async () => {
    const store = new ControlledStore();
    store.refuse = 'WT3';
    const groups = new TimerChangeGroups(store);
    const blocker = groups.apply(cancel('WT1'));
    const good = groups.apply(cancel('WT2'));
    const bad = groups.apply(cancel('WT3')).catch((error: unknown) => error);
    store.statements[0].finish();
    await blocker;
    for (let i = 0; i < 5; i++) {
      store.statements.slice(1).forEach((s) => s.finish());
      await new Promise((resolve) => setImmediate(resolve));
    }
    await expect(good).resolves.toBeUndefined();
    expect(await bad).toEqual(new Error('refused WT3'));
    expect(store.statements.map((s) => s.tasks)).toEqual([['WT1'], ['WT2', 'WT3'], ['WT2'], ['WT3']]);
  });

  it('sends nothing for no changes', async () => {
    const store = new ControlledStore();
    await new TimerChangeGroups(store).apply(new TimerChanges());
    expect(store.statements).toEqual([]);
  });
});
