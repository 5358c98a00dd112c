import { execFileSync } from 'node:child_process';
import { loadAll } from 'js-yaml';
import type { KubernetesObject } from './manifest-validator';

/** Renders a kustomization directory with kubectl's built-in kustomize (what `kubectl apply -k` applies). */
export function renderOverlay(kubectl: string, directory: string): KubernetesObject[] {
  const output = execFileSync(kubectl, ['kustomize', directory], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return loadAll(output).filter((document): document is KubernetesObject => document !== null && document !== undefined);
}
