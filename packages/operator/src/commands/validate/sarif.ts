// The findings of `gko validate` as SARIF 2.1.0, the format code-review tools turn into annotations
// on the lines of a pull request (GitHub code scanning, GitLab, Azure DevOps...).
import { sep } from 'node:path';
import type { ObjectReport } from '@gko/webhook/offline';
import type { Origin } from '../manifests.ts';
import { findingText, lineOf, ruleOf, type FindingRule } from './report.ts';

const RULES: Record<FindingRule, string> = {
  schema: 'The object does not match the CustomResourceDefinition: its schema, defaults or CEL rules.',
  admission: 'The admission webhook would refuse (or warn about) the object.',
  'unresolved-reference': 'The object refers to an object that neither the input nor the cluster holds.',
  duplicate: 'The object is given more than once: the last one given replaces the others.',
};

/** A path as a relative URI reference: forward slashes, each segment escaped. */
const uriOf = (file: string) =>
  file
    .split(sep)
    .join('/')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');

export function sarifReport(reports: ObjectReport<Origin>[]) {
  const rules = Object.keys(RULES) as FindingRule[];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gko validate',
            rules: rules.map((id) => ({ id, shortDescription: { text: RULES[id] } })),
          },
        },
        results: reports.flatMap((r) =>
          r.findings.map((f) => {
            const rule = ruleOf(f);
            const file = r.origin && r.origin.file !== '<stdin>' ? r.origin.file : undefined;
            return {
              ruleId: rule,
              ruleIndex: rules.indexOf(rule),
              level: f.severity === 'error' ? 'error' : 'warning',
              message: { text: findingText(r, f) },
              locations: [
                {
                  ...(file
                    ? {
                        physicalLocation: {
                          artifactLocation: { uri: uriOf(file) },
                          region: { startLine: lineOf(r, f) ?? 1 },
                        },
                      }
                    : {}),
                  logicalLocations: [
                    {
                      fullyQualifiedName: `${r.kind}/${r.namespace}/${r.name}${f.path ? `/${f.path}` : ''}`,
                      kind: 'object',
                    },
                  ],
                },
              ],
            };
          }),
        ),
      },
    ],
  };
}
