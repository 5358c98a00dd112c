// js-yaml 4 ships no types and @types/js-yaml is not a dependency: the two functions used here.
declare module 'js-yaml' {
  export function load(text: string): unknown;
  export function loadAll(text: string): unknown[];
}
