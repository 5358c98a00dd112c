/**
 * The instant of a subject fact held as epoch milliseconds (a JSON number in `rm_event_subjects`),
 * exact to the millisecond as the event's own `at` is: a float division by 1,000 is not.
 */
export const factInstant = (milliseconds: string): string => `(timestamptz 'epoch' + (${milliseconds})::bigint * interval '1 millisecond')`;
