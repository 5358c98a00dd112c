/** A workflow configuration that cannot be used, naming the JSON path at fault. */
export class WorkflowConfigurationError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'WorkflowConfigurationError';
  }
}
