import { TaskRouterError } from '@taskrouter/contract';
import { ExpressionFilterRateLimit } from './expression-filter-rate-limit';

describe('the expression filters’ rate limit (3 per second, averaged over 10 seconds)', () => {
  it('allows 30 requests in a 10-second window, refuses the 31st with 429 / 20429, and allows again once the window moves', () => {
    let now = 0;
    const limit = new ExpressionFilterRateLimit(30, 10_000, () => now);
    for (let i = 0; i < 30; i++) limit.take('AC1', 'TargetWorkersExpression');
    let refusal: unknown;
    try {
      limit.take('AC1', 'TargetWorkersExpression');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(TaskRouterError);
    expect((refusal as TaskRouterError).toBody()).toMatchObject({ status: 429, code: 20429 });
    expect((refusal as TaskRouterError).headers).toEqual({ 'Retry-After': '10' });
    expect(() => limit.take('AC2', 'TargetWorkersExpression')).not.toThrow();
    expect(() => limit.take('AC1', 'EvaluateTaskAttributes')).not.toThrow();
    now = 10_001;
    expect(() => limit.take('AC1', 'TargetWorkersExpression')).not.toThrow();
  });
});

describe('Retry-After on a refusal', () => {
  it('says in whole seconds when the oldest request of the window leaves it', () => {
    let now = 0;
    const limit = new ExpressionFilterRateLimit(2, 10_000, () => now);
    limit.take('AC1', 'EvaluateTaskAttributes');
    now = 4_000;
    limit.take('AC1', 'EvaluateTaskAttributes');
    now = 7_500;
    expect(() => limit.take('AC1', 'EvaluateTaskAttributes')).toThrow(expect.objectContaining({ headers: { 'Retry-After': '3' } }));
    now = 9_999;
    expect(() => limit.take('AC1', 'EvaluateTaskAttributes')).toThrow(expect.objectContaining({ headers: { 'Retry-After': '1' } }));
  });
});
