/**
 * kafkajs reports a few routine moments of group membership at level error: a member the
 * coordinator forgot (it was restarted, or paused past its session timeout) simply joins again.
 * An operator's error alarm must mean something, so these are warnings here.
 */
const ROUTINE_MEMBERSHIP = [/^The coordinator is not aware of this member, re-joining the group/, /^The group is rebalancing, re-joining/];

/** The level a kafkajs log line is reported at. */
export function kafkaLogLevel(isError: boolean, message: string): 'warn' | 'error' {
  if (!isError) return 'warn';
  return ROUTINE_MEMBERSHIP.some((pattern) => pattern.test(message)) ? 'warn' : 'error';
}
