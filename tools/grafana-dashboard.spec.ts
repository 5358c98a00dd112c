import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// The dashboard must only chart metrics the services export: a renamed metric would leave a panel silently empty.
const ROOT = join(__dirname, '..');
const OPERATIONS = join(ROOT, 'libs', 'runtime', 'src', 'operations');

describe('the Grafana dashboard (ops/grafana/taskrouter-dashboard.json)', () => {
  const dashboard = JSON.parse(readFileSync(join(ROOT, 'ops', 'grafana', 'taskrouter-dashboard.json'), 'utf8')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
  const exported = new Set(readdirSync(OPERATIONS).filter((file) => file.endsWith('.ts') && !file.includes('.spec.'))
    .flatMap((file) => [...readFileSync(join(OPERATIONS, file), 'utf8').matchAll(/'(taskrouter_[a-z_]+)'/g)].map((match) => match[1])));

  it('charts only metrics the services export', () => {
    const charted = dashboard.panels.flatMap((panel) => panel.targets.flatMap((target) => [...target.expr.matchAll(/\b(taskrouter_[a-z_]+)/g)].map((m) => m[1])));
    const unknown = [...new Set(charted.map((name) => name.replace(/_(bucket|sum|count)$/, '')))].filter((name) => !exported.has(name));
    expect(charted.length).toBeGreaterThan(10);
    expect(unknown).toEqual([]);
  });

  it('charts every taskrouter metric the services export', () => {
    const text = JSON.stringify(dashboard);
    expect([...exported].filter((name) => !text.includes(name))).toEqual([]);
  });
});
