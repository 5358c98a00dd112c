import { ConfigError } from './config-error';
import { readPublicUrl } from './read-public-url';

const listener = { host: '127.0.0.1', port: 3000 };

describe('readPublicUrl', () => {
  it("defaults to the listener's address when unset or empty", () => {
    expect(readPublicUrl({}, listener)).toBe('http://127.0.0.1:3000');
    expect(readPublicUrl({ PUBLIC_URL: '  ' }, { host: '::1', port: 8080 })).toBe('http://[::1]:8080');
  });

  it.each([
    ['https://taskrouter.example.com', 'https://taskrouter.example.com'],
    ['https://taskrouter.example.com/', 'https://taskrouter.example.com'],
    ['http://10.0.0.5:8080/routing/', 'http://10.0.0.5:8080/routing'],
    ['HTTPS://Example.COM:443', 'https://example.com'],
  ])('reads %s as %s', (raw, expected) => {
    expect(readPublicUrl({ PUBLIC_URL: raw }, listener)).toBe(expected);
  });

  it.each([
    ['taskrouter.example.com', /^PUBLIC_URL is not a URL/],
    ['ftp://example.com', /^PUBLIC_URL must start with http:\/\/ or https:\/\//],
    ['https://user:secret@example.com', /^PUBLIC_URL must not hold credentials$/],
    ['https://example.com/?a=1', /^PUBLIC_URL must not have a query or a fragment/],
    ['https://example.com/#top', /^PUBLIC_URL must not have a query or a fragment/],
  ])('refuses %s, naming PUBLIC_URL', (raw, message) => {
    expect(() => readPublicUrl({ PUBLIC_URL: raw }, listener)).toThrow(ConfigError);
    expect(() => readPublicUrl({ PUBLIC_URL: raw }, listener)).toThrow(message);
  });
});
