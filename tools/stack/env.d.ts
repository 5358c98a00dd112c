// Types of env.js (plain CommonJS, so it runs before anything is built).
export interface StackSettings {
  databaseUrl: string;
  redisUrl: string;
  kafkaBrokers: string | undefined;
  schema: string;
  topicPrefix: string;
  port: number;
  host: string;
}
export const DEFAULTS: Readonly<Record<'DATABASE_URL' | 'REDIS_URL' | 'TASKROUTER_SCHEMA' | 'TASKROUTER_TOPIC_PREFIX' | 'PORT' | 'HOST', string>>;
export function resolveStackSettings(env: NodeJS.ProcessEnv): { settings: StackSettings; errors: string[] };
export const DEVELOPMENT_OUTGOING_URL_ALLOW: string;
export function outgoingUrlNotice(env: NodeJS.ProcessEnv): string | undefined;
export function serviceEnvironment(env: NodeJS.ProcessEnv, settings: StackSettings, kafkaBrokers: string): NodeJS.ProcessEnv;
export function redactUrl(raw: string): string;
export function parseKafkaBrokers(stdout: string): string | undefined;
export function apiBaseUrl(host: string, port: number): string;
export function exampleCredentials(env: NodeJS.ProcessEnv): string;
export function readyBanner(options: { apiUrl: string; credentials: string; kafkaBrokers: string; kafkaStartedHere: boolean; settings: StackSettings; seconds: number }): string[];
