import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';

/** Any account SID authenticates in development mode; the SDK only checks its shape. */
export const SDK_ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';

/**
 * Sends the official SDK's requests to this server instead of taskrouter.twilio.com: the only
 * change a TaskRouter user makes. Everything else is the SDK as published.
 */
class RedirectingHttpClient extends RequestClient {
  constructor(private readonly baseUrl: string) {
    super();
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    return super.request({ ...opts, uri: opts.uri.replace(/^https:\/\/taskrouter(\.[a-z0-9-]+)*\.twilio\.com/, this.baseUrl) });
  }
}

/** The official `twilio` client, pointed at a server of this project. */
export function sdkClient(baseUrl: string): twilio.Twilio {
  return twilio(SDK_ACCOUNT_SID, 'any-token', { httpClient: new RedirectingHttpClient(baseUrl) });
}
