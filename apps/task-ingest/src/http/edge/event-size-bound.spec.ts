import { EVENT_SIZE_BOUND_BYTES, MAX_STORED_PARAMETER_BYTES } from '@taskrouter/contract';
import { MAX_EVENT_BYTES } from '@taskrouter/event-store';

describe("the edge's budget for stored parameters", () => {
  it('is the event store’s own bound, less room for the fields an event adds', () => {
    expect(EVENT_SIZE_BOUND_BYTES).toBe(MAX_EVENT_BYTES);
    expect(MAX_STORED_PARAMETER_BYTES).toBeLessThan(MAX_EVENT_BYTES);
  });
});
