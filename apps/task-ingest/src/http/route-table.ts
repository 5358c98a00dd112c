import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';

interface Route {
  readonly segments: readonly string[];
  readonly method: string;
  /** Each segment lower-cased, or null for a `:param`; and how many are literal. */
  readonly match: readonly (string | null)[];
  readonly literals: number;
}

/**
 * Every path the controllers serve, with its methods, read from Nest's own route metadata so it
 * cannot drift from them. When Express finds no route for a request, this says whether the path
 * exists under other methods (405 with `Allow`) or not at all (404).
 */
export class RouteTable {
  private readonly routes: Route[] = [];
  /** By segment count: a request is compared with the routes of its own length only (every request asks `shadowedBy`). */
  private readonly byLength = new Map<number, Route[]>();

  constructor(controllers: readonly Type<unknown>[]) {
    for (const controller of controllers) {
      const base = segmentsOf(Reflect.getMetadata(PATH_METADATA, controller));
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const segments = [...base, ...segmentsOf(Reflect.getMetadata(PATH_METADATA, handler))];
        const match = segments.map((part) => (part.startsWith(':') ? null : part.toLowerCase()));
        const route = { segments, method: RequestMethod[method], match, literals: match.filter((part) => part !== null).length };
        this.routes.push(route);
        this.byLength.set(segments.length, [...(this.byLength.get(segments.length) ?? []), route]);
      }
    }
  }

  /**
   * The methods of a literal path that a parameter route of another method would otherwise take:
   * `POST …/Workers/CumulativeStatistics` is not an update of a worker whose SID is
   * `CumulativeStatistics` but a method the statistics resource does not allow. Undefined when the
   * most specific routes matching the path serve `method` (or none match).
   */
  shadowedBy(method: string, path: string): string[] | undefined {
    const segments = path.replace(/\/$/, '').split('/').slice(1);
    let most = -1;
    let methods = new Set<string>();
    for (const route of this.byLength.get(segments.length) ?? []) {
      if (!matchesLowered(route.match, segments)) continue;
      if (route.literals > most) [most, methods] = [route.literals, new Set()];
      if (route.literals === most) methods.add(route.method);
    }
    const asked = method === 'HEAD' ? 'GET' : method;
    if (most < 0 || methods.has(asked)) return undefined;
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  }

  /** The methods a path is served with (HEAD wherever GET is, as Express answers it), or none. */
  allowedMethods(path: string): string[] {
    const segments = path.replace(/\/$/, '').split('/').slice(1);
    const methods = new Set<string>();
    for (const route of this.routes) if (matches(route.segments, segments)) methods.add(route.method);
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  }
}

function segmentsOf(path: unknown): string[] {
  return typeof path === 'string' ? path.split('/').filter((segment) => segment !== '') : [];
}

/** `matches`, with the route's literal segments lower-cased once. */
function matchesLowered(pattern: readonly (string | null)[], segments: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i];
    if (part === null ? segments[i] === '' : part !== segments[i]!.toLowerCase()) return false;
  }
  return true;
}

/** As Express matches: literal segments case-insensitively, `:param` any non-empty segment. */
function matches(pattern: readonly string[], segments: readonly string[]): boolean {
  return pattern.length === segments.length
    && pattern.every((part, index) => (part.startsWith(':') ? segments[index] !== '' : part.toLowerCase() === segments[index].toLowerCase()));
}
