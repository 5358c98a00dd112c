import Ajv from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strictSchema } from './strict-schema';

/** A rendered Kubernetes object: at least apiVersion, kind and a name. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** The CRD schemas vendored beside this file (each names its source and version in `$comment`). */
const CRD_SCHEMA_DIR = join(__dirname, 'crd-schemas');
// Plain file names as ids: a reference from a CRD schema resolves against its own id.
const KUBERNETES_SCHEMA_ID = 'kubernetes.json';
const OBJECT_META = `${KUBERNETES_SCHEMA_ID}#/definitions/kubernetes_apimachinery_ObjectMeta`;

/**
 * fabric8 describes these two as the Java classes that hold them; on the wire they are a number
 * or a string (`targetPort: http`, `cpu: 100m`, `memory: 1Gi`).
 */
const QUANTITY = { type: ['string', 'number'], pattern: '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$' };
const WIRE_FORMS: Record<string, object> = {
  kubernetes_apimachinery_pkg_util_intstr_IntOrString: { type: ['integer', 'string'] },
  k8s_io_apimachinery_pkg_api_resource_Quantity: QUANTITY,
  kubernetes_resource_Quantity: QUANTITY,
};

interface CrdSchemaFile {
  group: string;
  version: string;
  kind: string;
  openAPIV3Schema: object;
}

/**
 * Validates objects against the Kubernetes schemas (fabric8's, from Maven Central: see
 * toolchain.ts) and the vendored CRD schemas, offline and strictly (unknown fields are errors).
 * An object of a kind without a schema is an error too, so nothing passes unchecked.
 */
export class ManifestValidator {
  private readonly ajv = new Ajv({ allErrors: true, validateSchema: false, unknownFormats: 'ignore', nullable: true, jsonPointers: true, logger: false });
  private readonly definitionOf = new Map<string, string>();
  private readonly crdKinds = new Set<string>();

  constructor(kubernetesSchemaDir: string) {
    this.ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    this.ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
    const definitions: Record<string, unknown> = {};
    for (const file of readdirSync(kubernetesSchemaDir).filter((name) => name.endsWith('.json')).sort()) {
      Object.assign(definitions, (JSON.parse(readFileSync(join(kubernetesSchemaDir, file), 'utf8')) as { definitions: Record<string, unknown> }).definitions);
    }
    for (const [name, form] of Object.entries(WIRE_FORMS)) definitions[name] = form;
    for (const [name, definition] of Object.entries(definitions)) {
      const properties = (definition as { properties?: Record<string, { default?: unknown }> }).properties;
      const apiVersion = properties?.apiVersion?.default;
      const kind = properties?.kind?.default;
      if (typeof apiVersion === 'string' && typeof kind === 'string' && !kind.endsWith('List')) this.definitionOf.set(`${apiVersion}/${kind}`, name);
    }
    this.ajv.addSchema({ $id: KUBERNETES_SCHEMA_ID, definitions: strictSchema(definitions) as object });
    for (const file of readdirSync(CRD_SCHEMA_DIR).filter((name) => name.endsWith('.json'))) {
      const crd = JSON.parse(readFileSync(join(CRD_SCHEMA_DIR, file), 'utf8')) as CrdSchemaFile;
      const schema = strictSchema(crd.openAPIV3Schema) as { properties: Record<string, unknown> };
      // The API server checks metadata for every kind alike; the CRD only says `type: object`.
      schema.properties.metadata = { $ref: OBJECT_META };
      const key = `${crd.group}/${crd.version}/${crd.kind}`;
      this.ajv.addSchema({ ...schema, $id: crdSchemaId(key) });
      this.crdKinds.add(key);
    }
  }

  /** Every problem of one object, each as `<path> <message>`; empty when it is valid. */
  validate(object: KubernetesObject): string[] {
    const key = `${object.apiVersion}/${object.kind}`;
    const validate = this.crdKinds.has(key) ? this.ajv.getSchema(crdSchemaId(key)) : this.definitionOf.has(key) ? this.ajv.getSchema(`${KUBERNETES_SCHEMA_ID}#/definitions/${this.definitionOf.get(key)}`) : undefined;
    if (!validate) return [`no schema for ${key}`];
    if (validate(object)) return [];
    return (validate.errors ?? []).map((error) => {
      const extra = (error.params as { additionalProperty?: string }).additionalProperty;
      return `${error.dataPath || '/'} ${error.message ?? 'is invalid'}${extra ? `: ${extra}` : ''}`;
    });
  }
}

const crdSchemaId = (key: string): string => `crd-${key.replace(/\//g, '-')}.json`;
