import { CfnResource, Stack, TagManager } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { parseLabStackName, STUDENT_TAG } from '../../classroom/student';

export interface LabTagFinding {
  readonly constructPath: string;
  readonly message: string;
}

/**
 * Taggable resources that lack `lab=<lab>` or `project=<project>`, or in a student's stack (`<student>-<Lab>`)
 * `student=<student>`: the tags that cost and leftover scans search for. The lab is the stack's id, which is its name
 * outside classroom mode. Read from the construct tree, where CDK knows which resources take tags.
 */
export function missingLabTags(root: IConstruct, project: string): LabTagFinding[] {
  return root.node.findAll()
    .filter((construct): construct is CfnResource => CfnResource.isCfnResource(construct))
    .flatMap((resource) => {
      const tags = tagsOf(resource);
      if (tags === undefined) return [];
      const stack = Stack.of(resource);
      const student = parseLabStackName(stack.stackName)?.student;
      const expected = { lab: stack.node.id, project, ...(student === undefined ? {} : { [STUDENT_TAG]: student }) };
      const missing = Object.entries(expected).filter(([key, value]) => tags[key] !== value);
      return missing.length === 0 ? [] : [{
        constructPath: resource.node.path,
        message: `${resource.cfnResourceType} lacks ${missing.map(([key, value]) => `${key}=${value}`).join(' and ')}`,
      }];
    });
}

function tagsOf(resource: CfnResource): Record<string, string> | undefined {
  if (TagManager.isTaggableV2(resource)) return resource.cdkTagManager.tagValues();
  if (TagManager.isTaggable(resource)) return resource.tags.tagValues();
  return undefined;
}
