import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { checkResolvedAddresses, type OutgoingUrlAllowList } from '@taskrouter/contract';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Every address of a name, as the system resolver gives them (hosts file, DNS), in its order. */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

// `dns.lookup` is read at call time (not destructured at import) so a test preload can stand in for DNS.
export const systemResolve: Resolve = (hostname) => new Promise((resolve, reject) => {
  dns.lookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
});

/** A destination the policy refuses, found only once its name was resolved. */
export class RefusedDestinationError extends Error {
  override readonly name = 'RefusedDestinationError';
}

/**
 * The `lookup` a socket uses to find its peer: resolves the name once, refuses the connection if
 * any address is outside the public internet (and not allowed), and hands the socket exactly the
 * addresses it checked. The socket connects to what was checked, so a DNS answer that changes
 * between the check and the connection (rebinding) cannot send it elsewhere; the request keeps
 * the name for its Host header and TLS SNI.
 */
export function checkedLookup(allowList: OutgoingUrlAllowList, options: { trusted: boolean; resolve?: Resolve }): LookupFunction {
  const resolve = options.resolve ?? systemResolve;
  return (hostname, lookupOptions, callback) => {
    const pick = (addresses: ResolvedAddress[]): ResolvedAddress[] => {
      const why = options.trusted ? undefined : checkResolvedAddresses(hostname, addresses.map((a) => a.address), allowList);
      if (why) throw new RefusedDestinationError(why);
      const family = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : undefined;
      const usable = family ? addresses.filter((a) => a.family === family) : addresses;
      if (usable.length === 0) throw Object.assign(new Error(`${hostname} has no IPv${family} address`), { code: 'ENOTFOUND' });
      return usable;
    };
    resolve(hostname).then((addresses) => {
      let usable: ResolvedAddress[];
      try {
        usable = pick(addresses);
      } catch (error) {
        return callback(error as NodeJS.ErrnoException, '', 0);
      }
      // Sockets that try several addresses (autoSelectFamily) ask for all of them.
      if (lookupOptions.all) (callback as unknown as (error: null, addresses: ResolvedAddress[]) => void)(null, usable);
      else callback(null, usable[0]!.address, usable[0]!.family);
    }, (error: NodeJS.ErrnoException) => callback(error, '', 0));
  };
}
