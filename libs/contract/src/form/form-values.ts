import { badRequest } from '../errors/taskrouter-error';

/** A parsed `application/x-www-form-urlencoded` body or query: repeated names give arrays. */
export type FormValues = Record<string, string | string[] | undefined>;

/** Reads TaskRouter's PascalCase parameters with TaskRouter's rules, refusing bad values by name. */
export class FormReader {
  constructor(private readonly values: FormValues) {}

  has(name: string): boolean {
    return this.values[name] !== undefined;
  }

  string(name: string): string | undefined {
    const value = this.values[name];
    return Array.isArray(value) ? value[value.length - 1] : value;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') throw badRequest(`Missing required parameter ${name} in the post body`);
    return value;
  }

  strings(name: string): string[] {
    const value = this.values[name];
    if (value === undefined) return [];
    return (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  }

  integer(name: string, min: number, max: number): number | undefined {
    const raw = this.string(name);
    if (raw === undefined || raw === '') return undefined;
    if (!/^-?\d+$/.test(raw.trim())) throw badRequest(`${name} must be an integer, got '${raw}'`);
    const value = Number(raw);
    if (value < min || value > max) throw badRequest(`${name} must be from ${min} to ${max}, got ${value}`);
    return value;
  }

  /** TaskRouter's booleans: `true`, `1` or `yes` are true; "all other values" are false. */
  boolean(name: string): boolean | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    return ['true', '1', 'yes'].includes(raw.trim().toLowerCase());
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const match = allowed.find((value) => value.toLowerCase() === raw.toLowerCase());
    if (!match) throw badRequest(`${name} must be one of ${allowed.join(', ')}, got '${raw}'`);
    return match;
  }

  sid(name: string, prefix: string): string | undefined {
    const raw = this.string(name);
    if (raw === undefined || raw === '') return undefined;
    if (!new RegExp(`^${prefix}[0-9a-fA-F]{32}$`).test(raw)) throw badRequest(`${name} must be a ${prefix} SID, got '${raw}'`);
    return raw;
  }
}
