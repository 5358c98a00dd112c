import http from 'node:http';
import https from 'node:https';
import { checkOutgoingUrl, type OutgoingUrlAllowList } from '@taskrouter/contract';
import { checkedLookup, RefusedDestinationError, type Resolve } from './checked-lookup';

/** An answer is read up to this size: an instruction is a few hundred bytes; anything bigger is not one. */
export const MAX_CALLBACK_ANSWER_BYTES = 64 * 1024;

export type PostOutcome =
  | { readonly kind: 'answered'; readonly status: number; readonly contentType: string | null; readonly body: string }
  /** `refused`: the policy stopped it before any connection; `failed`: the destination did not answer usably. */
  | { readonly kind: 'refused' | 'failed'; readonly reason: string };

export interface GuardedPostOptions {
  readonly allowList: OutgoingUrlAllowList;
  /** The whole exchange: resolving, connecting, sending, and the last byte of the answer. */
  readonly timeoutMs: number;
  readonly maxAnswerBytes?: number;
  readonly resolve?: Resolve;
}

/**
 * POSTs a form to a URL this server was given, under the outgoing URL policy: the URL is checked
 * again (the allow-list may have changed since it was saved), a name is checked once resolved and
 * the socket connects to the checked address; redirects are not followed (a 3xx is a failure,
 * since the new location was never checked); the answer is capped in size and the exchange in
 * time, so a slow-drip answer cannot hold a delivery past its deadline.
 */
export function guardedPost(rawUrl: string, body: string, headers: Record<string, string>, options: GuardedPostOptions): Promise<PostOutcome> {
  const check = checkOutgoingUrl(rawUrl, options.allowList);
  if (!check.ok) return Promise.resolve({ kind: 'refused', reason: `the URL ${check.reason}` });
  const { url, host } = check;
  const maxBytes = options.maxAnswerBytes ?? MAX_CALLBACK_ANSWER_BYTES;
  return new Promise<PostOutcome>((settle) => {
    let settled = false;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      request.destroy();
      settle(outcome);
    };
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      // A fresh connection per call: a pooled socket would skip the lookup that checks its address.
      agent: false,
      lookup: host.kind === 'name' ? checkedLookup(options.allowList, { trusted: host.trusted, resolve: options.resolve }) : undefined,
    });
    const deadline = setTimeout(() => finish({ kind: 'failed', reason: `no complete answer within ${options.timeoutMs} ms` }), options.timeoutMs);
    request.on('error', (error) => finish(error instanceof RefusedDestinationError
      ? { kind: 'refused', reason: error.message }
      : { kind: 'failed', reason: `could not be reached (${(error as NodeJS.ErrnoException).code ?? error.message})` }));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        return finish({ kind: 'failed', reason: `answered ${status}, a redirect, which is not followed` });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) return finish({ kind: 'failed', reason: `answered more than ${maxBytes} bytes` });
        chunks.push(chunk);
      });
      response.on('end', () => finish({
        kind: 'answered', status, contentType: response.headers['content-type'] ?? null, body: Buffer.concat(chunks).toString('utf8'),
      }));
      response.on('error', (error) => finish({ kind: 'failed', reason: `broke off its answer (${error.message})` }));
      response.on('close', () => finish({ kind: 'failed', reason: 'closed the connection before its answer ended' }));
    });
    request.end(body);
  });
}
