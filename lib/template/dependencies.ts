import { CfnTemplate } from './cfn-template';

/**
 * CloudFormation's `${Name}` and `${Name.Attribute}` in Fn::Sub. A literal `${!Text}` is matched too but names no
 * resource: logical ids are alphanumeric.
 */
const SUB_VARIABLE = /\$\{([^}]*)\}/g;

/**
 * Logical ids of the template's resources that a value refers to, at any depth: `Ref`, `Fn::GetAtt` (as an array or
 * as `"Id.Attribute"`) and the `${Id}` / `${Id.Attribute}` variables of `Fn::Sub`. Parameters and pseudo parameters
 * (`AWS::Region`) are not resources and are left out, as are the names an `Fn::Sub` defines in its own variable map.
 */
export function referencedResources(template: CfnTemplate, value: unknown): Set<string> {
  const found = new Set<string>();
  collectReferences(template, value, found);
  return found;
}

/**
 * The resources CloudFormation creates before this one (and so deletes after it): the names in its `DependsOn`
 * (a string or a list) and every resource its `Properties` refer to.
 */
export function directDependencies(template: CfnTemplate, logicalId: string): Set<string> {
  const resource = template.Resources?.[logicalId] as DependentResource | undefined;
  if (resource === undefined) return new Set();
  const found = referencedResources(template, resource.Properties);
  const declared = resource.DependsOn === undefined
    ? []
    : Array.isArray(resource.DependsOn) ? resource.DependsOn : [resource.DependsOn];
  for (const name of declared) {
    if (typeof name === 'string' && isResource(template, name)) found.add(name);
  }
  return found;
}

/**
 * Every resource this one waits for on create, directly or through others (the resource itself only through a
 * cycle).
 */
export function allDependencies(template: CfnTemplate, logicalId: string): Set<string> {
  const seen = new Set<string>();
  const pending = [...directDependencies(template, logicalId)];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    pending.push(...directDependencies(template, next));
  }
  return seen;
}

/**
 * True when `dependent` waits for `dependency`, directly or through others: CloudFormation then creates `dependency`
 * first and deletes it only after `dependent` is gone.
 */
export function dependsOn(template: CfnTemplate, dependent: string, dependency: string): boolean {
  return allDependencies(template, dependent).has(dependency);
}

/** A resource as the template writes it, with the attribute the template model leaves out. */
interface DependentResource {
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | readonly string[];
}

function isResource(template: CfnTemplate, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(template.Resources ?? {}, name);
}

function collectReferences(template: CfnTemplate, value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    value.forEach((item) => collectReferences(template, item, found));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const object = value as Record<string, unknown>;

  const ref = object.Ref;
  if (typeof ref === 'string' && isResource(template, ref)) found.add(ref);

  const getAtt = object['Fn::GetAtt'];
  const target = Array.isArray(getAtt) ? getAtt[0] : typeof getAtt === 'string' ? getAtt.split('.')[0] : undefined;
  if (typeof target === 'string' && isResource(template, target)) found.add(target);

  const sub = object['Fn::Sub'];
  if (typeof sub === 'string') {
    subReferences(template, sub, {}).forEach((id) => found.add(id));
  } else if (Array.isArray(sub) && typeof sub[0] === 'string') {
    const variables = (sub[1] ?? {}) as Record<string, unknown>;
    subReferences(template, sub[0], variables).forEach((id) => found.add(id));
  }

  Object.values(object).forEach((item) => collectReferences(template, item, found));
}

function subReferences(template: CfnTemplate, text: string, variables: Record<string, unknown>): string[] {
  return [...text.matchAll(SUB_VARIABLE)]
    .map((match) => match[1].trim())
    .filter((name) => !Object.prototype.hasOwnProperty.call(variables, name))
    .map((name) => name.split('.')[0])
    .filter((id) => isResource(template, id));
}
