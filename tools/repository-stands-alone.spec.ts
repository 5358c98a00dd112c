import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// A user clones this repository alone: no file of it may reach for the steering folder that
// sits beside the checkout on the developers' machines (its test data is copied in instead).
const ROOT = join(__dirname, '..');
const SKIPPED = new Set(['node_modules', '.git', '.nx', '.run', 'dist', 'coverage', '.cache']);
// Spelled from parts, so that this file does not itself name the folder it looks for.
const FOLDER = ['sha', 'red'].join('');
const OUTSIDE = new RegExp([
  `${FOLDER}/reference`, `'${FOLDER}', 'reference'`, `\\.\\./${FOLDER}/(architecture|examples)`, `'\\.\\.', '${FOLDER}'`,
].join('|'));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    if (SKIPPED.has(entry)) return [];
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the repository stands on its own', () => {
  it('has no file that reads from or points to the folder beside the checkout', () => {
    const offenders = filesUnder(ROOT)
      .filter((file) => /\.(ts|js|cjs|mjs|json|sh|md|ya?ml)$/.test(file) || file.endsWith('/run'))
      .filter((file) => OUTSIDE.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });
});
