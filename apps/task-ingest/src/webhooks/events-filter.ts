/**
 * A workspace's `EventsFilter`: the event types its EventCallbackUrl receives, comma-separated
 * (`task.created,reservation.accepted`); empty or unset: every type. Kept per filter text, since
 * a workspace's filter is read for every Event.
 */
export function eventsFilterOf(text: string | null | undefined): (eventType: string) => boolean {
  const types = (text ?? '').split(',').map((type) => type.trim()).filter(Boolean);
  if (types.length === 0) return () => true;
  const allowed = new Set(types);
  return (eventType) => allowed.has(eventType);
}
