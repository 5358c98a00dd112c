// Integration and end-to-end specs talk to real services: their hooks and tests get minutes, not 5 s.
jest.setTimeout(Number(process.env.JEST_LONG_TIMEOUT_MS ?? 180_000));
