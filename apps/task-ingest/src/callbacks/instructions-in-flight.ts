/**
 * The assignment instructions (an app's `accept` or `reject` answer) this process is carrying out,
 * by task. An app that answers `accept` and then completes the task over REST sends the complete
 * right behind its answer: decided before the accept commits, it would be refused (409) for a
 * task that is only reserved. A command on a task waits for the instruction that arrived before
 * it, so commands are decided in the order the app sent them.
 */
export class InstructionsInFlight {
  private readonly byTask = new Map<string, Promise<void>>();

  /** Carries out `instruction` for the task; commands on the task that arrive meanwhile wait for it. */
  async carryOut(taskSid: string, instruction: () => Promise<void>): Promise<void> {
    const before = this.byTask.get(taskSid);
    const running = (before ? before.then(instruction, instruction) : instruction()).finally(() => {
      if (this.byTask.get(taskSid) === running) this.byTask.delete(taskSid);
    });
    this.byTask.set(taskSid, running);
    return running;
  }

  /** Settles once every instruction for the task received so far is carried out (at once when there is none). */
  async settled(taskSid: string): Promise<void> {
    const running = this.byTask.get(taskSid);
    if (running) await running.catch(() => undefined);
  }

  /** How many tasks have an instruction being carried out. */
  get size(): number {
    return this.byTask.size;
  }
}
