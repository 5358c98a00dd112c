export * from './text';
export * from './percent-decoding';
export * from './form-decoding';
export * from './path-decoding';
export * from './json-document';
export * from './parameter-limits';
export * from './stored-size';
export * from './workflow-configuration-limits';
