import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

// No Docker engine on the development machines or CI: the images cannot be built here. What can
// be checked is what they are made of: each service's Dockerfile, the Nx target that builds it
// and the compose services that use it.
const ROOT = join(__dirname, '../..');
const SERVICES = ['task-ingest', 'workflow-evaluator', 'queue-matcher', 'reservation-timer'];

interface Instruction { keyword: string; argument: string }

/** Dockerfile instructions, comments dropped and continuation lines joined. */
function instructionsOf(dockerfile: string): Instruction[] {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), argument: rest.join(' ') };
    });
}

describe.each(SERVICES)('the %s image', (service) => {
  const instructions = instructionsOf(readFileSync(join(ROOT, 'apps', service, 'Dockerfile'), 'utf8'));
  const last = (keyword: string): string | undefined => instructions.filter((i) => i.keyword === keyword).at(-1)?.argument;

  it('is built in stages, the last one copying from an earlier one', () => {
    const stages = instructions.filter((i) => i.keyword === 'FROM');
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const firstStage = /\bAS\s+(\S+)/i.exec(stages[0].argument)?.[1];
    expect(instructions.some((i) => i.keyword === 'COPY' && i.argument.startsWith(`--from=${firstStage} `))).toBe(true);
  });

  it('runs as a non-root user', () => {
    expect(last('USER')).toBeDefined();
    expect(['root', '0']).not.toContain(last('USER')?.split(':')[0]);
  });

  it(`starts apps/${service}/src/main.ts through SWC`, () => {
    expect(JSON.parse(last('ENTRYPOINT') ?? 'null')).toEqual(['node', '-r', './tools/register.js', `apps/${service}/src/main.ts`]);
    expect(last('CMD')).toBeUndefined();
  });

  it('exposes the operations port (and task-ingest its API)', () => {
    const ports = instructions.filter((i) => i.keyword === 'EXPOSE').flatMap((i) => i.argument.split(/\s+/));
    expect(ports).toEqual(service === 'task-ingest' ? ['3000', '9464'] : ['9464']);
  });

  it('has an Nx target docker-build that builds this Dockerfile from the repository root', () => {
    const project = JSON.parse(readFileSync(join(ROOT, 'apps', service, 'project.json'), 'utf8'));
    const target = project.targets['docker-build'];
    expect(target.options.cwd).toBe('{workspaceRoot}');
    expect(target.command).toMatch(new RegExp(`^docker build -f apps/${service}/Dockerfile -t \\S+/${service}:\\S+ \\.$`));
  });

  it('is what docker compose builds and runs, healthy once /health/ready of the ops port answers', () => {
    const compose = load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as any;
    const composed = compose.services[service];
    expect(composed.build).toEqual({ context: '.', dockerfile: `apps/${service}/Dockerfile` });
    expect(composed.image).toBe(`open-taskrouter/${service}:local`);
    expect(composed.environment.OPS_PORT).toBe(9464);
    expect(composed.healthcheck.test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(composed.healthcheck.test[3]).toContain('http://127.0.0.1:9464/health/ready');
  });
});
