import type { Dictionary } from '@gko/api';
import { toDictionarySpec } from '@gko/mapi';
import { findContext } from '../../rules/context.ts';
import { withDryRun } from '../../rules/dry-run.ts';
import { identityFindings } from '../../rules/identity.ts';
import type { KindAdmission } from '../../rules/rule.ts';
import { compiled, templateFindings } from '../../rules/templates.ts';

export const dictionary: KindAdmission = {
  kind: 'Dictionary',
  validates: ['CREATE', 'UPDATE'],
  validate(input, lookups) {
    const dictionary = input.object as Dictionary;
    const { namespace } = input;
    const { context, findings: contextFindings } = findContext(dictionary.spec.contextRef, namespace, lookups);
    const findings = [
      ...identityFindings('Dictionary', input, lookups),
      ...templateFindings(dictionary.spec, namespace, lookups),
      ...contextFindings,
    ];
    return withDryRun(findings, context, lookups, (client) =>
      client.dictionaries.put(toDictionarySpec(compiled(dictionary, namespace, lookups)), { dryRun: true }),
    );
  },
};
