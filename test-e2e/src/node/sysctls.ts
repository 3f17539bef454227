// The kubelet sets a few kernel settings when it starts (protectKernelDefaults: false), among them
// kernel.panic and kernel.panic_on_oops, which change what the machine does on a kernel oops. The
// values from before the first live node are kept in the node's marker and put back once no node
// is left.
import { readFile, writeFile } from 'node:fs/promises';

/** What the kubelet's container manager sets (setupKernelTunables), as paths under /proc/sys. */
const KUBELET_SYSCTLS = [
  'vm/overcommit_memory',
  'vm/panic_on_oom',
  'kernel/panic',
  'kernel/panic_on_oops',
  'kernel/keys/root_maxkeys',
  'kernel/keys/root_maxbytes',
];

export async function readKubeletSysctls(): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const name of KUBELET_SYSCTLS) {
    const value = await readFile(`/proc/sys/${name}`, 'utf8').catch(() => undefined);
    if (value !== undefined) values[name] = value.trim();
  }
  return values;
}

export async function restoreSysctls(values: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    if (!KUBELET_SYSCTLS.includes(name)) continue;
    const current = await readFile(`/proc/sys/${name}`, 'utf8').catch(() => undefined);
    if (current !== undefined && current.trim() !== value) await writeFile(`/proc/sys/${name}`, value);
  }
}
