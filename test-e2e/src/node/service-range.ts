// Each cluster with a node gets a Service range of its own, so that the NAT rules of clusters running
// side by side (one per test file) never claim the same address, starting with the kubernetes
// Service's first address.
import { randomInt } from 'node:crypto';
import { guardedRanges } from './iptables.ts';

/**
 * A /24 out of 10.192.0.0/10, away from the 10.0.0.0/24 of clusters without node. Ranges in use are
 * skipped; two clusters that start at the same moment still have 16384 ranges to draw from.
 */
export async function pickServiceCidr(): Promise<string> {
  const taken = new Set(await guardedRanges());
  for (;;) {
    const cidr = `10.${192 + randomInt(64)}.${randomInt(256)}.0/24`;
    if (!taken.has(cidr)) return cidr;
  }
}
