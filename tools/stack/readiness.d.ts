// Types of readiness.js.
export const SERVICES: readonly string[];
export const READY_LINES: Readonly<Record<string, RegExp>>;
export class Readiness {
  constructor(names?: readonly string[], patterns?: Readonly<Record<string, RegExp>>);
  apiUrl: string | undefined;
  observe(name: string, line: string): boolean;
  operationsUrl(name: string): string | undefined;
  readonly allReady: boolean;
  readonly pending: string[];
}
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string;
