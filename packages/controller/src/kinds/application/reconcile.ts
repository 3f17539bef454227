// An Application is one Automation API object. Its client certificates may come from Secrets or
// ConfigMaps: they are read at sync time, and a change of one re-synchronises the application (the
// dependency index knows which applications read it).
import type { Application } from '@gko/api';
import { grantedData } from '@gko/kube';
import { applicationStatus, resolveCertificates, toApplicationSpec, applicationIds, type Automation } from '@gko/mapi';
import { MissingReferenceError } from '../../reconcile/errors.ts';
import { subscriptionCounter } from '../../dependencies/counters.ts';
import { usersOf } from '../../dependencies/users.ts';
import { automationKind, type AutomationObject } from '../../sync/automation-kind.ts';
import { synchronizer } from '../../sync/synchronizer.ts';
import { sourceVersion, type SourceVersion } from '../../templating/compile.ts';

export const APPLICATION_FINALIZER = 'finalizers.gravitee.io/applicationdeletion';

type App = Application & AutomationObject;

export const applicationSync = automationKind<App, Automation.ApplicationSpec, Automation.ApplicationState>({
  kind: 'Application',
  finalizer: APPLICATION_FINALIZER,
  ids: applicationIds,
  collection: (client) => client.applications,
  body({ object, context }) {
    const sources = new Map<string, SourceVersion>();
    const { certificates, problems } = resolveCertificates(object, (kind, namespace, name, from) => {
      const source = context.cache.get(kind, namespace, name);
      if (source) sources.set(`${kind}/${namespace}/${name}`, sourceVersion(kind, `${namespace}/${name}`, source));
      return grantedData(source, namespace, from);
    });
    const problem = problems[0];
    if (problem) {
      const { kind, namespace, name, detail } = problem.source;
      throw new MissingReferenceError(problem.path, kind, namespace, name, detail);
    }
    const body = toApplicationSpec(object, certificates);
    return {
      body,
      sources: [...sources.values()],
      // Certificates read from Secrets and ConfigMaps count by their versions, not their content.
      written: { ...body, settings: { ...body.settings, tls: object.spec.settings.tls } },
    };
  },
  status: applicationStatus,
  users: (object, context) => usersOf(context.cache, object).filter((user) => user.startsWith('Subscription ')),
  statusExtras: (object, context) => subscriptionCounter(context.cache, object),
});

export const reconcileApplication = synchronizer(applicationSync);
