// Waits for a service's /health/ready to answer 200: its consumers joined their groups and its
// dependencies answer. Plain CommonJS, like the rest of tools/stack.
'use strict';

/** Resolves true once `<operationsUrl>/health/ready` answers 200, false if `stillWaiting()` turns false first. */
async function untilHealthy(operationsUrl, stillWaiting, intervalMs = 200) {
  while (stillWaiting()) {
    const status = await fetch(`${operationsUrl}/health/ready`, { signal: AbortSignal.timeout(2000) }).then((response) => response.status, () => 0);
    if (status === 200) return true;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return false;
}

module.exports = { untilHealthy };
