// NAT rules that stand in for kube-proxy, and the chains the kubelet adds. Every rule a run adds
// carries a comment naming the run, so that a clean-up finds its rules by listing, even after the run
// was killed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

const TAG_PREFIX = 'gko-testenv-run:';
/** Chains the kubelet creates (in filter, nat and mangle, for both IP families) and leaves behind. */
export const KUBELET_CHAINS = ['KUBE-FIREWALL', 'KUBE-KUBELET-CANARY', 'KUBE-IPTABLES-HINT'];
const TABLES = ['filter', 'nat', 'mangle'];
type Family = 'iptables' | 'ip6tables';

export function ruleTag(runId: string): string {
  return `${TAG_PREFIX}${runId}`;
}

async function iptables(family: Family, args: string[]): Promise<string> {
  const { stdout } = await run(family, ['-w', '5', ...args]);
  return stdout;
}

/** The rules of a table as `iptables -S` prints them; nothing when the tool or family is unavailable. */
async function listRules(family: Family, table: string): Promise<string[]> {
  try {
    return (await iptables(family, ['-t', table, '-S'])).split('\n').filter((line) => line !== '');
  } catch {
    return [];
  }
}

/** Splits a line of `iptables -S` into arguments (comments with spaces come double-quoted). */
export function splitRule(line: string): string[] {
  const args: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let match = pattern.exec(line); match; match = pattern.exec(line)) {
    args.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? ''));
  }
  return args;
}

async function deleteRule(family: Family, table: string, line: string): Promise<void> {
  const [append, ...spec] = splitRule(line);
  if (append !== '-A') return;
  await iptables(family, ['-t', table, '-D', ...spec]).catch(() => undefined);
}

export interface NatRedirect {
  clusterIp: string;
  port: number;
  protocol: 'tcp' | 'udp';
  toPort: number;
}

function redirectSpec(runId: string, redirect: NatRedirect): string[] {
  return [
    'OUTPUT',
    '-d',
    `${redirect.clusterIp}/32`,
    '-p',
    redirect.protocol,
    '-m',
    'comment',
    '--comment',
    ruleTag(runId),
    '-m',
    redirect.protocol,
    '--dport',
    String(redirect.port),
    '-j',
    'DNAT',
    '--to-destination',
    `127.0.0.1:${redirect.toPort}`,
  ];
}

/**
 * Refuses this machine's connections to the Service range that no NAT rule has redirected: they
 * would otherwise leave by the default route. DNAT happens before the filter table sees a packet.
 */
export async function guardServiceRange(runId: string, cidr: string): Promise<void> {
  const spec = ['OUTPUT', '-d', cidr, '-m', 'comment', '--comment', ruleTag(runId), '-j', 'REJECT'];
  await iptables('iptables', ['-t', 'filter', '-A', ...spec]);
}

/** The Service ranges that runs guard at the moment: each is in use by a running cluster. */
export async function guardedRanges(): Promise<string[]> {
  const ranges: string[] = [];
  for (const line of await listRules('iptables', 'filter')) {
    const args = splitRule(line);
    const destination = args[args.indexOf('-d') + 1];
    if (args.includes('REJECT') && args.some((arg) => arg.startsWith(TAG_PREFIX)) && destination)
      ranges.push(destination);
  }
  return ranges;
}

/** Sends this machine's own connections to a Service address to a port on loopback (once). */
export async function addNatRedirect(runId: string, redirect: NatRedirect): Promise<() => Promise<void>> {
  const spec = redirectSpec(runId, redirect);
  const exists = await iptables('iptables', ['-t', 'nat', '-C', ...spec]).then(
    () => true,
    () => false,
  );
  if (!exists) await iptables('iptables', ['-t', 'nat', '-A', ...spec]);
  return async () => {
    await iptables('iptables', ['-t', 'nat', '-D', ...spec]).catch(() => undefined);
  };
}

/** Run ids named by the rules on the machine. */
export async function taggedRunIds(): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const family of ['iptables', 'ip6tables'] as const) {
    for (const table of TABLES) {
      for (const line of await listRules(family, table)) {
        const id = new RegExp(`${TAG_PREFIX}([^\\s"]+)`).exec(line)?.[1];
        if (id) ids.add(id);
      }
    }
  }
  return ids;
}

/** The rules tagged with a run id, as `<family> <table> <rule>`. */
export async function runRules(runId: string): Promise<string[]> {
  const tag = ruleTag(runId);
  const found: string[] = [];
  for (const family of ['iptables', 'ip6tables'] as const) {
    for (const table of TABLES) {
      for (const line of await listRules(family, table)) {
        if (splitRule(line).includes(tag)) found.push(`${family} ${table} ${line}`);
      }
    }
  }
  return found;
}

export async function deleteRunRules(runId: string): Promise<void> {
  const tag = ruleTag(runId);
  for (const family of ['iptables', 'ip6tables'] as const) {
    for (const table of TABLES) {
      for (const line of await listRules(family, table)) {
        if (splitRule(line).includes(tag)) await deleteRule(family, table, line);
      }
    }
  }
}

export async function kubeletChainsPresent(): Promise<string[]> {
  const found: string[] = [];
  for (const family of ['iptables', 'ip6tables'] as const) {
    for (const table of TABLES) {
      for (const line of await listRules(family, table)) {
        const [verb, chain] = splitRule(line);
        if (verb === '-N' && chain && KUBELET_CHAINS.includes(chain)) found.push(`${family} ${table} ${chain}`);
      }
    }
  }
  return found;
}

/** Removes the kubelet's chains and the rules jumping to them; only when no other node is running. */
export async function deleteKubeletChains(): Promise<void> {
  for (const family of ['iptables', 'ip6tables'] as const) {
    for (const table of TABLES) {
      const lines = await listRules(family, table);
      const chains = lines
        .map((line) => splitRule(line))
        .filter(([verb, chain]) => verb === '-N' && chain !== undefined && KUBELET_CHAINS.includes(chain))
        .map(([, chain]) => chain as string);
      if (chains.length === 0) continue;
      for (const line of lines) {
        const args = splitRule(line);
        const jump = args.indexOf('-j');
        const target = jump >= 0 ? args[jump + 1] : undefined;
        const chain = args[1];
        // Rules inside the chains go with the flush below; jumps from other chains go one by one.
        if (args[0] === '-A' && target && chains.includes(target) && chain && !chains.includes(chain))
          await deleteRule(family, table, line);
      }
      for (const chain of chains) {
        await iptables(family, ['-t', table, '-F', chain]).catch(() => undefined);
        await iptables(family, ['-t', table, '-X', chain]).catch(() => undefined);
      }
    }
  }
}
