// What `gko validate` prints: one line per problem, in the webhook's words, where it was written
// (text); or every object with its findings, for programs (json, described by report.schema.json).
import type { ObjectReport, ReportedFinding } from '@gko/webhook/offline';
import { plural } from '../io.ts';
import type { Origin } from '../manifests.ts';

/** Why a finding is reported, as rule ids (SARIF) and in the JSON report. */
export type FindingRule = 'schema' | 'admission' | 'unresolved-reference' | 'duplicate';

export const ruleOf = (f: ReportedFinding): FindingRule =>
  f.missing
    ? 'unresolved-reference'
    : f.source === 'webhook'
      ? 'admission'
      : f.source === 'schema'
        ? 'schema'
        : 'duplicate';

/** `Kind namespace/name: path: message`, as the webhook says it. */
export const findingText = (r: ObjectReport<Origin>, f: ReportedFinding) =>
  `${r.kind} ${r.namespace}/${r.name}: ${f.path ? `${f.path}: ` : ''}${f.message}`;

export const lineOf = (r: ObjectReport<Origin>, f: ReportedFinding) => r.origin?.lineOf(f.path) ?? r.origin?.line;

export interface Totals {
  objects: number;
  refused: number;
  errors: number;
  warnings: number;
  unresolved: number;
  /** Documents that are not gravitee.io objects (they only serve as references: Secrets, ConfigMaps). */
  ignored: number;
}

export function totals(reports: ObjectReport<Origin>[], ignored: number): Totals {
  const findings = reports.flatMap((r) => r.findings);
  return {
    objects: reports.length,
    refused: reports.filter((r) => r.refusal !== undefined).length,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    unresolved: findings.filter((f) => f.missing).length,
    ignored,
  };
}

export function textReport(reports: ObjectReport<Origin>[], ignored: number): { lines: string[]; summary: string } {
  const lines = reports.flatMap((r) =>
    r.findings.map((f) => {
      const where = r.origin ? `${r.origin.file}:${lineOf(r, f)}: ` : '';
      return `${where}${f.severity}: ${findingText(r, f)}`;
    }),
  );
  const t = totals(reports, ignored);
  const summary =
    `${plural(t.objects, 'object')} checked: ${t.refused} refused, ${plural(t.errors, 'error')}, ${plural(t.warnings, 'warning')}` +
    (t.unresolved > 0
      ? ` (${t.unresolved} for objects the input does not hold: add them, --cluster or --assume-present)`
      : '');
  return { lines, summary };
}

export function jsonReport(reports: ObjectReport<Origin>[], ignored: number) {
  return {
    objects: reports.map((r) => ({
      kind: r.kind,
      namespace: r.namespace,
      name: r.name,
      ...(r.origin ? { file: r.origin.file, document: r.origin.document, line: r.origin.line } : {}),
      allowed: r.refusal === undefined,
      ...(r.refusal !== undefined ? { refusal: r.refusal } : {}),
      findings: r.findings.map((f) => ({
        severity: f.severity,
        rule: ruleOf(f),
        path: f.path,
        message: f.message,
        ...(r.origin ? { line: lineOf(r, f) } : {}),
        ...(f.missing ? { missing: f.missing } : {}),
      })),
    })),
    summary: totals(reports, ignored),
  };
}
