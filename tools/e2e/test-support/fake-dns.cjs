// Test preload (`node -r`): answers the names in E2E_FAKE_DNS ({"name": ["address", ...]}) as DNS would,
// so an end-to-end spec can make a name resolve to a forbidden address without touching /etc/hosts or
// a real DNS server. Every other name goes to the real resolver. Never loaded outside tests.
'use strict';

const dns = require('node:dns');

const table = JSON.parse(process.env.E2E_FAKE_DNS || '{}');
const realLookup = dns.lookup;

dns.lookup = function lookup(hostname, options, callback) {
  if (typeof options === 'function') [callback, options] = [options, {}];
  if (typeof options === 'number') options = { family: options };
  const addresses = table[String(hostname).toLowerCase()];
  if (!addresses) return realLookup.call(this, hostname, options, callback);
  const family = options.family === 4 || options.family === 6 ? options.family : undefined;
  const entries = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })).filter((e) => !family || e.family === family);
  process.nextTick(() => {
    if (entries.length === 0) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    if (options.all) return callback(null, entries);
    return callback(null, entries[0].address, entries[0].family);
  });
  return {};
};
