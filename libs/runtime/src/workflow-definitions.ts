import { parseWorkflowConfiguration, type WorkflowDefinition } from '@taskrouter/routing';
import type { WorkflowState } from '@taskrouter/domain';

/**
 * Parsed and compiled workflow configurations, one per workflow and configuration text:
 * expressions are compiled once per configuration version, never per task.
 */
export class WorkflowDefinitions {
  private readonly cache = new Map<string, { configuration: string; definition: WorkflowDefinition }>();

  of(workflow: WorkflowState): WorkflowDefinition {
    const cached = this.cache.get(workflow.workflowSid);
    if (cached && cached.configuration === workflow.configuration) return cached.definition;
    const definition = parseWorkflowConfiguration(workflow.configuration);
    this.cache.set(workflow.workflowSid, { configuration: workflow.configuration, definition });
    return definition;
  }
}
