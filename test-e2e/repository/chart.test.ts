// The Helm chart as a tested artefact: `helm lint --strict` is clean, and every case of its
// helm-unittest suites (charts/gko/tests/) is one test here, so that CI counts and names them.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { helm } from '../src/helm.ts';
import { repoRoot } from './tools.ts';

const chart = join(repoRoot, 'charts', 'gko');

interface ChartCase {
  suite: string;
  name: string;
  failure?: string;
}

const unescape = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Runs every helm-unittest suite once, and reads its JUnit report. */
async function chartCases(): Promise<{ cases: ChartCase[]; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'gko-chart-'));
  try {
    const report = join(dir, 'junit.xml');
    const result = await helm(['unittest', chart, '--output-type', 'JUnit', '--output-file', report]);
    const xml = await readFile(report, 'utf8').catch(() => '');
    const cases = [
      ...xml.matchAll(/<testcase classname="([^"]*)" name="([^"]*)"[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g),
    ].map(([, suite, name, body]) => {
      const failure = body && /<(failure|error)[\s\S]*?>([\s\S]*?)<\/\1>/.exec(body)?.[2];
      return { suite: unescape(suite!), name: unescape(name!), ...(failure ? { failure: unescape(failure) } : {}) };
    });
    return { cases, output: `${result.stdout}${result.stderr}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const { cases, output } = await chartCases();

describe('the Helm chart', () => {
  it('passes helm lint --strict', async () => {
    const result = await helm(['lint', '--strict', chart]);
    expect(result.stdout).toContain('0 chart(s) failed');
    expect(result.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(result.code).toBe(0);
  });

  it('has helm-unittest suites that ran', () => {
    expect(cases.length, output).toBeGreaterThan(50);
  });

  it.each(cases.map((c) => [`${c.suite}: ${c.name}`, c] as const))('%s', (_name, chartCase) => {
    expect(chartCase.failure).toBeUndefined();
  });
});
