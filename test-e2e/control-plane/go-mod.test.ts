import { describe, expect, it } from 'vitest';
import { parseOwnGoMod, parseUpstreamGoMod, renderGoMod, stagingVersion } from './go-mod.ts';

const upstream = `module k8s.io/kubernetes

go 1.26.0

godebug default=go1.26

require (
	github.com/spf13/cobra v1.10.2
	go.etcd.io/etcd/client/v3 v3.6.8
	k8s.io/api v0.0.0
	k8s.io/apiserver v0.0.0
	k8s.io/kube-openapi v0.0.0-20260317180543-43fb72c5454a
)

require (
	go.etcd.io/etcd/server/v3 v3.6.8 // indirect
	k8s.io/streaming v0.0.0 // indirect
)

replace (
	k8s.io/api => ./staging/src/k8s.io/api
)
`;

describe('the wrapper go.mod', () => {
  it('takes every k8s.io module required at v0.0.0, and only those, as staging modules', () => {
    const parsed = parseUpstreamGoMod(upstream);
    expect(parsed.stagingModules).toEqual(['k8s.io/api', 'k8s.io/apiserver', 'k8s.io/streaming']);
    expect(parsed.etcdServerVersion).toBe('v3.6.8');
    expect(parsed.goDirective).toBe('go 1.26.0');
    expect(parsed.godebug).toBe('godebug default=go1.26');
  });

  it('replaces each staging module with the tag published for the release', () => {
    const rendered = renderGoMod('v1.36.4', parseUpstreamGoMod(upstream));
    const own = parseOwnGoMod(rendered);
    expect(own.kubernetesVersion).toBe('v1.36.4');
    expect(Object.fromEntries(own.replaces)).toEqual({
      'k8s.io/api': 'v0.36.4',
      'k8s.io/apiserver': 'v0.36.4',
      'k8s.io/streaming': 'v0.36.4',
    });
    expect(rendered).toContain('go.etcd.io/etcd/server/v3 v3.6.8');
    expect(rendered).toContain('godebug default=go1.26');
  });

  it('maps release versions to staging tags and refuses anything else', () => {
    expect(stagingVersion('v1.36.4')).toBe('v0.36.4');
    expect(() => stagingVersion('v1.36.4-rc.1')).toThrow(/not a Kubernetes release/);
    expect(() => stagingVersion('1.36.4')).toThrow(/not a Kubernetes release/);
  });

  it('rejects an upstream go.mod without staging modules or without etcd', () => {
    expect(() => parseUpstreamGoMod('module x\n\ngo 1.26.0\n')).toThrow(/no staging modules/);
    expect(() => parseUpstreamGoMod('module x\n\ngo 1.26.0\nrequire k8s.io/api v0.0.0\n')).toThrow(/etcd/);
  });
});
