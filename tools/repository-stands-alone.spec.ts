import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// A user clones this repository alone: no file of it may reach for the steering folder that
// sits beside the checkout on the developers' machines (its test data is copied in instead).
const ROOT = join(__dirname, '..');
const SKIPPED = new Set(['node_modules', '.git', '.nx', '.run', 'dist', 'coverage', '.cache']);
const OUTSIDE = new RegExp(['shared/reference', "'shared', 'reference'", '\\.\\./shared/(architecture|examples)', "'\\.\\.', 'shared'"].join('|'));

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
      .filter((file) => file !== __filename && OUTSIDE.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });
});
