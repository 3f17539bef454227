import { describe, expect, it } from 'vitest';
import { serviceAddresses } from './published-address.ts';

describe('the addresses a gateway Service is reached at', () => {
  it('are those of its load balancer first, as IPs or host names', () => {
    expect(
      serviceAddresses({
        spec: { type: 'LoadBalancer', clusterIP: '10.0.0.1', externalIPs: ['192.0.2.1'] },
        status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }, { hostname: 'lb.example.com' }] } },
      }),
    ).toEqual([{ ip: '203.0.113.7' }, { hostname: 'lb.example.com' }]);
  });

  it('take the IP of a load balancer entry that has both, and skip an empty entry', () => {
    expect(
      serviceAddresses({
        spec: { clusterIP: '10.0.0.1' },
        status: { loadBalancer: { ingress: [{ ip: '203.0.113.7', hostname: 'lb.example.com' }, {}] } },
      }),
    ).toEqual([{ ip: '203.0.113.7' }]);
  });

  it('are its external IPs while the load balancer has no address', () => {
    expect(
      serviceAddresses({
        spec: { type: 'LoadBalancer', clusterIP: '10.0.0.1', externalIPs: ['192.0.2.1', '2001:db8::1'] },
        status: { loadBalancer: { ingress: [{}] } },
      }),
    ).toEqual([{ ip: '192.0.2.1' }, { ip: '2001:db8::1' }]);
  });

  it('are its cluster IP when nothing else is known', () => {
    expect(serviceAddresses({ spec: { type: 'ClusterIP', clusterIP: '10.0.0.1', externalIPs: [] } })).toEqual([
      { ip: '10.0.0.1' },
    ]);
    expect(serviceAddresses({ spec: { clusterIP: 'fd00::10' } })).toEqual([{ ip: 'fd00::10' }]);
  });

  it('are none for a headless Service, or one without any address', () => {
    expect(serviceAddresses({ spec: { clusterIP: 'None' } })).toEqual([]);
    expect(serviceAddresses({ spec: { type: 'ExternalName' } })).toEqual([]);
    expect(serviceAddresses({})).toEqual([]);
  });
});
