import { badRequest, checkOutgoingUrl, type FormReader, type OutgoingUrlAllowList } from '@taskrouter/contract';

/**
 * A URL parameter this server will later call (EventCallbackUrl, AssignmentCallbackUrl,
 * FallbackAssignmentCallbackUrl), checked against the outgoing URL policy before anything is
 * written: refused with a 400 naming the parameter. Empty clears the URL, as before.
 */
export function outgoingUrlParameter(form: FormReader, name: string, allowList: OutgoingUrlAllowList): string | undefined {
  const value = form.string(name);
  if (value === undefined || value === '') return value;
  const check = checkOutgoingUrl(value, allowList);
  if (!check.ok) throw badRequest(`${name} ${check.reason}`);
  return value;
}
