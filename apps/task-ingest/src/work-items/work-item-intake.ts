import { EventConsumer, EventPublisher, type ConsumedRecord, type DeadLetterPolicy, type KafkaConnection } from '@taskrouter/messaging';
import type { WorkItemAdmission } from '../http/admission/work-item-admission';
import { toTaskRouterError } from '../http/to-taskrouter-error';
import type { TaskCommands } from '../resources/task-commands';
import { workItemToTask } from './work-item';

/**
 * Turns work items from the `work-items` topic into tasks. A work item that cannot become a
 * task is not lost: it goes to `work-items.rejected` with TaskRouter's error body beside it.
 * Infrastructure failures are not "rejections": the consumer retries them.
 */
export class WorkItemIntake {
  private readonly consumer: EventConsumer;
  private readonly rejected: EventPublisher;
  private stopping = new AbortController();

  /** `admission` holds items back while task creations are shed (docs/limits.md, "Admission under overload"). */
  constructor(
    connection: KafkaConnection, private readonly tasks: TaskCommands, private readonly topics: { workItems: string; rejected: string }, groupId: string,
    deadLetters?: DeadLetterPolicy, private readonly admission?: WorkItemAdmission,
  ) {
    this.rejected = new EventPublisher(connection);
    this.consumer = new EventConsumer(connection, { groupId, topics: [topics.workItems], fromBeginning: true, handler: (record) => this.take(record), deadLetters });
  }

  async start(): Promise<void> {
    this.stopping = new AbortController();
    await this.rejected.connect();
    await this.consumer.start();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.consumer.stop();
    await this.rejected.disconnect();
  }

  private async take(record: ConsumedRecord): Promise<void> {
    await this.admission?.waitForCreates(this.stopping.signal);
    try {
      await this.tasks.createTask(workItemToTask(record.value, record));
    } catch (error) {
      const refusal = toTaskRouterError(error);
      if (refusal.status >= 500) throw error;
      await this.rejected.publish([{
        topic: this.topics.rejected, key: record.key ?? `${record.partition}:${record.offset}`,
        value: JSON.stringify({ error: refusal.toBody(), item: record.value, source: { topic: record.topic, partition: record.partition, offset: record.offset } }),
      }]);
    }
  }
}
