/** The parts of a synthesized CloudFormation template that the guardrail rules read. */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResourceJson>;
  readonly Outputs?: Record<string, { readonly Value?: unknown }>;
}

export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

/** One finding of a rule: the resource, and the property path that is wrong. */
export interface Finding {
  readonly logicalId: string;
  readonly location: string;
  readonly message: string;
}

/** Logical ids of the template's resources of one type. */
export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, CfnResourceJson]> {
  return Object.entries(template.Resources ?? {}).filter(([, resource]) => resource.Type === type);
}

/** True when the value refers (Ref or Fn::GetAtt, at any depth) to a resource of the given type in this template. */
export function refersToResourceOfType(template: CfnTemplate, value: unknown, type: string): boolean {
  if (Array.isArray(value)) return value.some((item) => refersToResourceOfType(template, item, type));
  if (value === null || typeof value !== 'object') return false;
  const object = value as Record<string, unknown>;
  const target = typeof object.Ref === 'string' ? object.Ref
    : Array.isArray(object['Fn::GetAtt']) ? object['Fn::GetAtt'][0]
      : undefined;
  if (typeof target === 'string' && template.Resources?.[target]?.Type === type) return true;
  return Object.values(object).some((item) => refersToResourceOfType(template, item, type));
}
