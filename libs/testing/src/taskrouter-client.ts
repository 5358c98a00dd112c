/** A minimal TaskRouter REST client for tests: form-encoded bodies, Basic auth, JSON answers. */
export class TaskRouterTestClient {
  constructor(
    private readonly baseUrl: string,
    private readonly accountSid = 'AC00000000000000000000000000000001',
    private readonly authToken = 'test-token',
  ) {}

  async request(method: 'GET' | 'POST' | 'DELETE', path: string, form?: Record<string, string | number | boolean>, headers: Record<string, string> = {}) {
    const body = form ? new URLSearchParams(Object.entries(form).map(([k, v]): [string, string] => [k, String(v)])).toString() : undefined;
    const response = await fetch(`${this.baseUrl}/v1/${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`,
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      body,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  }

  async ok(method: 'GET' | 'POST', path: string, form?: Record<string, string | number | boolean>): Promise<any> {
    const response = await this.request(method, path, form);
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  }
}
