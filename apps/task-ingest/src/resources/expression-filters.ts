import { badRequest } from '@taskrouter/contract';
import { compileExpression, ExpressionError, EXPRESSION_PLACES, workerFactsFromFlatDocument, type CompiledExpression, type WorkerFacts } from '@taskrouter/expression';
import type { TaskView, WorkerView } from '@taskrouter/contract';

/** Compiles a list filter's expression, refusing it with the parameter and the column. */
export function filterExpression(source: string, parameter: 'TargetWorkersExpression' | 'EvaluateTaskAttributes'): CompiledExpression {
  const place = parameter === 'TargetWorkersExpression' ? EXPRESSION_PLACES.targetWorkersExpression : EXPRESSION_PLACES.evaluateTaskAttributes;
  try {
    return compileExpression(source, { bareKeys: place.bareKeys });
  } catch (error) {
    if (error instanceof ExpressionError) throw badRequest(`${parameter} is not a valid expression: ${error.message}`);
    throw error;
  }
}

/** What a worker list filter sees of a worker: its fields and attributes. */
export function workerFactsOfView(view: WorkerView): WorkerFacts {
  return { sid: view.sid, friendly_name: view.friendlyName, activity_sid: view.activitySid, activity_name: view.activityName, attributes: view.attributes };
}

export function taskMatches(expression: CompiledExpression, view: TaskView): boolean {
  return expression.evaluate({ task: view.attributes });
}

/** `EvaluateWorkerAttributes`: a JSON object of worker attributes, as TaskRouter takes it. */
export function workerFactsFromParameter(source: string): WorkerFacts {
  let document: unknown;
  try {
    document = JSON.parse(source);
  } catch (error) {
    throw badRequest(`EvaluateWorkerAttributes is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw badRequest('EvaluateWorkerAttributes must be a JSON object');
  return workerFactsFromFlatDocument(document as Record<string, unknown>);
}
