import fc from 'fast-check';
import { limitOf, MAX_JSON_DEPTH, MAX_PARAMETERS, MAX_PATH_SEGMENT_LENGTH } from '@taskrouter/contract';
import type { RawRequest } from './raw-http-client';
import { ENDPOINTS, pathOf, slotsOf, type Endpoint, type Fixture, type ParameterKind, type SidSlot } from './taskrouter-endpoints';

/**
 * Generators of requests that must be refused: each carries at least one flaw that makes it
 * invalid whatever else it holds (the "poison"), and may carry plausible parameters and
 * headers around it (the "noise"). `kind` names the poison; `statuses` narrows the answer
 * where the order of the edge's checks makes it certain (otherwise any 4xx is right).
 */
export interface HostileRequest {
  readonly kind: string;
  readonly request: RawRequest;
  readonly statuses?: readonly number[];
}

/** Percent-encoded fragments that are not UTF-8 text: NUL, stray bytes, overlong and surrogate encodings, past U+10FFFF. */
const BAD_ESCAPES = ['%00', '%FF', '%80', '%C0%AF', '%C3', '%E2%82', '%ED%A0%80', '%ED%BF%BF', '%F4%90%80%80', '%F8%88%80%80%80', 'a%00b'];
/** JSON escapes that parse to what Postgres refuses: NUL and lone surrogates. */
const BAD_JSON_ESCAPES = ['\\u0000', '\\ud800', '\\udfff', 'x\\u0000y', '\\udc00\\ud800', '\\ud83d'];
/** Names every JavaScript object answers to (`prototype` is not one, but no resource has it either). */
const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__', 'prototype'];
const INHERITED_NAMES = PROTOTYPE_NAMES.filter((name) => name in Object.prototype);
const SID_PREFIXES: Record<SidSlot, string> = { WS: 'WS', WA: 'WA', TC: 'TC', WQ: 'WQ', WW: 'WW', WK: 'WK', WC: 'WC', WT: 'WT', WR: 'WR', EV: 'EV' };
const FORM = 'application/x-www-form-urlencoded';
const NO_SUCH = (prefix: string) => `${prefix}${'0'.repeat(32)}`;

const enc = (text: string) => encodeURIComponent(text);
const shortText = fc.string({ unit: 'grapheme', maxLength: 16 });
const hex32 = fc.stringMatching(/^[0-9a-f]{32}$/);

type Pair = readonly [name: string, value: string];
type Parts = { path?: string; query?: Pair[]; body?: Pair[]; headers?: Record<string, string>; statuses?: number[] };
const formOf = (pairs: readonly Pair[]) => pairs.map(([name, value]) => `${name}=${value}`).join('&');

export function hostileRequests(fixture: Fixture): fc.Arbitrary<HostileRequest> {
  const authorization = `Basic ${Buffer.from(`${fixture.accountSid}:fuzz-token`).toString('base64')}`;
  const endpoint = fc.constantFrom(...ENDPOINTS);
  const posts = ENDPOINTS.filter((e) => e.method === 'POST');
  const lists = ENDPOINTS.filter((e) => e.list);
  const isDocument = (kind: ParameterKind) => kind === 'attributes' || kind === 'configuration';
  const withJson = ENDPOINTS.filter((e) => Object.values(e.parameters).some(isDocument));
  const withSlots = ENDPOINTS.filter((e) => slotsOf(e).length > 0);

  /** A plausible value of a parameter kind, percent-encoded: right or wrong, but text the edge takes. */
  const plausible = (kind: ParameterKind): fc.Arbitrary<string> => {
    switch (kind) {
      case 'sid':
        return fc.oneof(fc.constantFrom(fixture.WA, fixture.WQ, fixture.WW, fixture.WK, ...PROTOTYPE_NAMES), hex32.map((hex) => `WA${hex}`));
      case 'integer':
        return fc.oneof(fc.integer({ min: -5, max: 100 }).map(String), fc.constantFrom('1e3', '0x10', '99999999999999999999', '1.5', ''));
      case 'boolean':
        return fc.constantFrom('true', 'false', '1', 'yes', 'no', '');
      case 'choice':
        return fc.constantFrom('FIFO', 'LIFO', 'NONE', 'pending', 'reserved', 'accepted', 'canceled', 'completed', 'accept', 'dequeue', 'x');
      case 'attributes':
        return fc.oneof(fc.json({ maxDepth: 2 }), fc.constantFrom('{', '[1]', 'null')).map(enc);
      case 'configuration': {
        const valid = JSON.stringify({ task_routing: { default_filter: { queue: fixture.WQ } } });
        return fc.oneof(fc.constant(valid), fc.json({ maxDepth: 2 })).map(enc);
      }
      case 'expression':
        return fc.oneof(fc.constantFrom('1==1', 'skills HAS "a"', '(((', 'a IN [1,2', 'constructor == 1'), shortText).map(enc);
      case 'url':
        return fc.constantFrom('http://example.com/cb', 'file:///etc/passwd', 'javascript:alert(1)', 'http://169.254.169.254/', '').map(enc);
      default:
        return fc.oneof(shortText, fc.constantFrom(...PROTOTYPE_NAMES)).map(enc);
    }
  };

  const noiseFor = (target: Endpoint): fc.Arbitrary<Pair[]> => {
    const names = Object.keys(target.parameters);
    const pairOf = (name: string) => plausible(target.parameters[name]).map((value): Pair => [name, value]);
    const known = names.length === 0 ? fc.constant<Pair[]>([]) : fc.array(fc.constantFrom(...names).chain(pairOf), { maxLength: 4 });
    const unknownName = fc.constantFrom('PageToken', 'Unknown', 'friendlyname', ...PROTOTYPE_NAMES);
    const unknown = fc.array(fc.tuple(unknownName, shortText.map(enc)), { maxLength: 2 });
    return fc.tuple(known, unknown).map(([a, b]) => [...a, ...b]);
  };

  const noiseHeaders = fc.record({
    host: fc.constantFrom('evil.example', '127.0.0.1', 'localhost:1', 'x'.repeat(300)),
    'x-forwarded-host': fc.constantFrom('evil.example', 'a,b'),
    'x-forwarded-proto': fc.constantFrom('https', 'gopher'),
    accept: fc.constantFrom('application/json', 'text/html', '*/*'),
    'if-match': fc.constantFrom('*', '"1"', 'W/"999"', 'garbage'),
  }, { requiredKeys: [] });

  /** A request to `target` with these query and body pairs (a body only for POST), the fixture's account, noise headers. */
  const build = (kind: string, target: Endpoint, parts: Parts) =>
    noiseHeaders.map((headers): HostileRequest => {
      const query = parts.query && parts.query.length > 0 ? `?${formOf(parts.query)}` : '';
      const body = target.method === 'POST' ? Buffer.from(formOf(parts.body ?? []), 'latin1') : undefined;
      const path = `${parts.path ?? pathOf(target, fixture)}${query}`;
      const all = { authorization, ...headers, ...(body ? { 'content-type': FORM } : {}), ...parts.headers };
      return { kind, statuses: parts.statuses, request: { method: target.method, path, body, headers: all } };
    });

  /** The pairs in the body of a POST unless `inQuery`, else in the query. */
  const buildWith = (kind: string, target: Endpoint, pairs: Pair[], inQuery: boolean, statuses?: number[]) =>
    target.method === 'POST' && !inQuery ? build(kind, target, { body: pairs, statuses }) : build(kind, target, { query: pairs, statuses });

  /** Puts `pair` among noise at a random place, in the query or (for a POST) the body. */
  const placed = (kind: string, target: Endpoint, pair: Pair, statuses?: number[]) =>
    fc.tuple(noiseFor(target), fc.nat(), fc.boolean()).chain(([noise, at, inQuery]) => {
      const cut = at % (noise.length + 1);
      return buildWith(kind, target, [...noise.slice(0, cut), pair, ...noise.slice(cut)], inQuery, statuses);
    });

  const poisonedText = fc.tuple(shortText, fc.constantFrom(...BAD_ESCAPES), shortText).map(([a, bad, b]) => `${enc(a)}${bad}${enc(b)}`);

  const textInValue = endpoint.chain((target) => {
    const name = fc.constantFrom(...Object.keys(target.parameters), 'Unknown', 'PageToken');
    return fc.tuple(name, poisonedText).chain(([n, value]) => placed('text in a value', target, [n, value], [400]));
  });

  const textInName = endpoint.chain((target) => poisonedText.chain((name) => placed('text in a name', target, [name, enc('x')], [400])));

  const overlong = endpoint.chain((target) => {
    const names = Object.keys(target.parameters).filter((name) => target.method === 'POST' || limitOf(name).unit === 'characters');
    return fc.tuple(fc.constantFrom(...names, 'Reason', 'Unknown'), fc.nat({ max: 100 })).chain(([name, extra]) => {
      const value = 'x'.repeat(limitOf(name).max + 1 + extra);
      // A byte-counted value (Configuration, about 1 MB) goes in the body: in a query it would pass Node's header limit.
      if (limitOf(name).unit === 'bytes') return build('an overlong value', target, { body: [[name, value]], statuses: [400] });
      return placed('an overlong value', target, [name, value], [400]);
    });
  });

  /** A JSON document with a NUL or lone surrogate at some depth (as key or value), or nested too deep. */
  const poisonedDocument = fc.oneof(
    fc.tuple(fc.array(shortText, { maxLength: 5 }), fc.constantFrom(...BAD_JSON_ESCAPES), fc.boolean(), fc.json({ maxDepth: 1 }))
      .map(([keys, bad, asKey, sibling]) => {
        let document: unknown = asKey ? { '@@POISON@@': JSON.parse(sibling) } : '@@POISON@@';
        // The poisoned branch is written last, so a key equal to `other` cannot hide it.
        for (const key of [...keys].reverse()) document = { other: JSON.parse(sibling), [key]: document };
        return JSON.stringify(document).replace('@@POISON@@', bad);
      }),
    fc.integer({ min: MAX_JSON_DEPTH + 1, max: MAX_JSON_DEPTH + 40 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  );
  const jsonInside = fc.constantFrom(...withJson).chain((target) => {
    const names = Object.keys(target.parameters).filter((name) => isDocument(target.parameters[name]));
    return fc.tuple(fc.constantFrom(...names), poisonedDocument)
      .chain(([name, document]) => placed('a document with bad text inside', target, [name, enc(document)], [400]));
  });

  // Pages are read by the list, after its filters: a filter naming something missing may answer 404 first.
  const badPage = fc.constantFrom(...lists).chain((target) =>
    fc.oneof(
      fc.constantFrom('1e20', '-1', '1000001', '1.5', 'abc', '0x10', '%201', '+1', '99999999999999999999999', '%D9%A1')
        .map((v): Pair => ['Page', v]),
      fc.constantFrom('0', '1001', '-1', '1e3', '50.0', 'ten', '%2050', '100000000000000000000').map((v): Pair => ['PageSize', v]),
    ).chain((pair) => placed('a bad page', target, pair)));

  const segmentFlaw = fc.oneof(
    poisonedText,
    fc.integer({ min: MAX_PATH_SEGMENT_LENGTH + 1, max: MAX_PATH_SEGMENT_LENGTH + 50 }).map((length) => 'W'.repeat(length)),
  );
  const badPathSegment = fc.constantFrom(...withSlots).chain((target) =>
    fc.tuple(fc.constantFrom(...slotsOf(target)), segmentFlaw, noiseFor(target)).chain(([slot, segment, noise]) => {
      const path = pathOf(target, fixture, { [slot]: segment });
      return build('a bad path segment', target, { path, body: noise, statuses: [400] });
    }));

  // Any SID of the path may name nothing: the workspace, the parent of a list (a worker's
  // channels, a task's reservations), or the resource of a fetch, update or delete: all 404.
  const missingSegment = fc.constantFrom(...withSlots).chain((target) => {
    const slots = slotsOf(target);
    const missing = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), hex32);
    return fc.tuple(fc.constantFrom(...slots), missing, noiseFor(target)).chain(([slot, name, noise]) => {
      const segment = PROTOTYPE_NAMES.includes(name) ? name : `${SID_PREFIXES[slot]}${name}`;
      return build('a resource that does not exist', target, { path: pathOf(target, fixture, { [slot]: segment }), body: noise });
    });
  });

  const unreadableHeaders = fc.oneof(
    fc.constantFrom('application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/xml', '', `${FORM}; charset=latin1`,
      `${FORM}; charset=utf-16`).map((type): Record<string, string> => ({ 'content-type': type })),
    fc.constantFrom('gzip', 'br', 'deflate', 'x-unknown', 'gzip, identity')
      .map((encoding): Record<string, string> => ({ 'content-type': FORM, 'content-encoding': encoding })),
  );
  const unreadableBody = fc.constantFrom(
    '{"FriendlyName":"x","MaxReservedWorkers":5}', '{"FriendlyName":{"a":"x"}}', 'FriendlyName=x',
    '--x\r\nContent-Disposition: form-data; name="FriendlyName"\r\n\r\nx\r\n--x--',
  );
  const badBody = fc.tuple(fc.constantFrom(...posts), unreadableHeaders, unreadableBody, noiseHeaders)
    // JSON is what the bulk statistics endpoint takes: there a JSON body is read, not refused.
    .filter(([target, headers]) => !(target.jsonBody && headers['content-type'] === 'application/json'))
    .map(([target, headers, body, noise]): HostileRequest => ({
      kind: 'a body TaskRouter does not take', statuses: [415],
      request: { method: 'POST', path: pathOf(target, fixture), body: Buffer.from(body), headers: { authorization, ...noise, ...headers } },
    }));

  const served = new Map<string, Set<string>>();
  for (const e of ENDPOINTS) {
    const methods = served.get(e.path) ?? new Set<string>();
    methods.add(e.method);
    if (e.method === 'GET') methods.add('HEAD');
    served.set(e.path, methods);
  }
  const unknownPaths = [
    '/', '/v1', '/v2/Workspaces', '/v1/Nothing', `/v1/Workspaces/${fixture.WS}/Unknown`,
    `/v1/Workspaces/${fixture.WS}/Tasks/${fixture.WT}/Reservations/${fixture.WR}/More`,
  ];
  const badMethod = fc.oneof(
    fc.constantFrom(...ENDPOINTS).chain((target) => {
      const others = ['PUT', 'PATCH', 'DELETE', 'POST', 'OPTIONS'].filter((method) => !served.get(target.path)?.has(method));
      return fc.tuple(fc.constantFrom(...others), noiseHeaders).map(([method, noise]): HostileRequest => ({
        kind: 'a method the path does not serve', statuses: [405],
        request: { method, path: pathOf(target, fixture), headers: { authorization, ...noise } },
      }));
    }),
    fc.tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), fc.constantFrom(...unknownPaths)).map(([method, path]): HostileRequest => ({
      kind: 'a path nothing serves', statuses: [404], request: { method, path, headers: { authorization } },
    })),
  );

  const tooManyParameters = fc.tuple(endpoint, fc.integer({ min: MAX_PARAMETERS + 1, max: MAX_PARAMETERS + 200 }), fc.boolean())
    .chain(([target, count, inQuery]) => {
      const pairs = Array.from({ length: count }, (_, i): Pair => [`P${i}`, '1']);
      return buildWith('too many parameters', target, pairs, inQuery, [413]);
    });

  const badCredentials = fc.constantFrom(
    '', 'Basic', 'Basic !!!', `Bearer ${fixture.accountSid}`,
    `Basic ${Buffer.from('not-an-account:x').toString('base64')}`, `Basic ${Buffer.from(fixture.accountSid).toString('base64')}`,
  );
  const unauthenticated = endpoint.chain((target) =>
    fc.tuple(badCredentials, noiseFor(target)).chain(([header, noise]) =>
      build('no valid credentials', target, { body: noise, headers: { authorization: header } })));

  // Refused by the resource, after the edge: no noise, since a plausible value beside one of these could make it valid.
  type Case = readonly [method: Endpoint['method'], path: string, pairs: Pair[]];
  const workflow = (document: object): Pair[] => [['FriendlyName', 'fuzz'], ['Configuration', enc(JSON.stringify({ task_routing: document }))]];
  const longFilterName = { filters: [{ filter_friendly_name: 'n'.repeat(65), expression: '1==1', targets: [{ queue: fixture.WQ }] }] };
  const refusedCases: Case[] = [
    ...PROTOTYPE_NAMES.map((name): Case => ['POST', 'Workspaces/{WS}/Tasks', [['WorkflowSid', fixture.WW], ['TaskChannel', name]]]),
    ...INHERITED_NAMES.map((name): Case => ['POST', 'Workspaces/{WS}/TaskChannels', [['FriendlyName', 'Chan'], ['UniqueName', name]]]),
    ...PROTOTYPE_NAMES.map((name): Case => ['POST', `Workspaces/{WS}/Workers/{WK}/Channels/${name}`, [['Capacity', '2']]]),
    ['POST', 'Workspaces/{WS}/Workers/{WK}/Channels/{WC}', [['Capacity', '51']]],
    ['POST', 'Workspaces/{WS}/Tasks', [['WorkflowSid', fixture.WW], ['TaskChannel', 'fax']]],
    ['POST', 'Workspaces/{WS}/Tasks', [['WorkflowSid', fixture.WW], ['Priority', '2147483648']]],
    ['POST', 'Workspaces/{WS}/Tasks', [['WorkflowSid', fixture.WW], ['Timeout', '1209601']]],
    ['POST', 'Workspaces/{WS}/Tasks', [['WorkflowSid', fixture.WW], ['Attributes', enc('[1]')]]],
    ['POST', 'Workspaces/{WS}/Tasks', [['WorkflowSid', NO_SUCH('WW')]]],
    ['POST', 'Workspaces/{WS}/Workers', [['FriendlyName', 'fuzz'], ['ActivitySid', 'constructor']]],
    ['POST', 'Workspaces/{WS}/Workers', [['FriendlyName', ''], ['Attributes', '{}']]],
    ['POST', 'Workspaces/{WS}/TaskQueues', [['FriendlyName', 'fuzz'], ['TargetWorkers', enc('(((')]]],
    ['POST', 'Workspaces/{WS}/TaskQueues', [['FriendlyName', 'fuzz'], ['MaxReservedWorkers', '51']]],
    ['POST', 'Workspaces/{WS}/Workflows', workflow({ default_filter: { queue: NO_SUCH('WQ') } })],
    ['POST', 'Workspaces/{WS}/Workflows', workflow(longFilterName)],
    ['POST', 'Workspaces/{WS}/Tasks/{WT}', [['AssignmentStatus', 'reserved']]],
    ['POST', 'Workspaces/{WS}/Tasks/{WT}/Reservations/{WR}', [['ReservationStatus', 'garbage']]],
    ['POST', 'Workspaces/{WS}/Workers/{WK}/Reservations/{WR}', [['Instruction', 'dequeue']]],
    ['POST', 'Workspaces', [['FriendlyName', 'fuzz'], ['Template', 'XYZ']]],
    ['POST', 'Workspaces/{WS}', [['DefaultActivitySid', NO_SUCH('WA')]]],
    ['GET', 'Workspaces/{WS}/Workers', [['TargetWorkersExpression', enc('(((')]]],
    ['GET', 'Workspaces/{WS}/TaskQueues', [['EvaluateWorkerAttributes', enc('[1]')]]],
    ['GET', 'Workspaces/{WS}/Tasks', [['Priority', '-5']]],
  ];
  const refusedByTheResource = fc.constantFrom(...refusedCases).chain(([method, path, pairs]) =>
    buildWith('a value the resource refuses', { method, path, parameters: {} }, pairs, method !== 'POST'));

  const oversizedBody = fc.tuple(fc.constantFrom(...posts), fc.nat({ max: 1000 })).map(([target, extra]): HostileRequest => ({
    kind: 'a body over 4 MB, unauthenticated', statuses: [413],
    request: {
      method: 'POST', path: pathOf(target, fixture), headers: { 'content-type': FORM },
      body: Buffer.from(`FriendlyName=${'a'.repeat(4 * 1024 * 1024 + extra)}`),
    },
  }));

  const hugeHeader = fc.nat({ max: 1000 }).map((extra): HostileRequest => ({
    kind: 'headers over 16 KB', statuses: [431],
    request: { method: 'GET', path: pathOf(ENDPOINTS[0], fixture), headers: { authorization, 'x-filler': 'f'.repeat(17 * 1024 + extra) } },
  }));

  return fc.oneof(
    { arbitrary: textInValue, weight: 400 },
    { arbitrary: textInName, weight: 100 },
    { arbitrary: overlong, weight: 160 },
    { arbitrary: jsonInside, weight: 240 },
    { arbitrary: badPage, weight: 120 },
    { arbitrary: badPathSegment, weight: 160 },
    { arbitrary: missingSegment, weight: 200 },
    { arbitrary: badBody, weight: 160 },
    { arbitrary: badMethod, weight: 120 },
    { arbitrary: tooManyParameters, weight: 40 },
    { arbitrary: unauthenticated, weight: 100 },
    { arbitrary: refusedByTheResource, weight: 200 },
    { arbitrary: oversizedBody, weight: 1 },
    { arbitrary: hugeHeader, weight: 10 },
  );
}
