import { randomBytes } from 'node:crypto';
import { sidFromBytes } from '@taskrouter/contract';

/** The edges' source of new SIDs and of time; the pure libraries receive both as arguments. */
export const newSid = (prefix: string): string => sidFromBytes(prefix, randomBytes(16));
export const systemClock = (): Date => new Date();
