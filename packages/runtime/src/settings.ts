// Settings read from the environment, checked as they are read: a wrong value stops the program with
// a message naming the variable, rather than being taken for the default.
import { existsSync, readFileSync } from 'node:fs';

export class SettingError extends Error {
  override name = 'SettingError';
}

type Env = Record<string, string | undefined>;

export function integerSetting(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new SettingError(`${name} must be a whole number from ${min} to ${max}, not ${raw}`);
  return value;
}

export function booleanSetting(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new SettingError(`${name} must be true or false, not ${env[name]}`);
}

/** A comma-separated list; empty items dropped. */
export function listSetting(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** The namespace this process runs in: POD_NAMESPACE, else the pod's service account; undefined outside a pod. */
export function podNamespace(env: Env, serviceAccountFile = SERVICE_ACCOUNT_NAMESPACE): string | undefined {
  if (env['POD_NAMESPACE']) return env['POD_NAMESPACE'];
  if (existsSync(serviceAccountFile)) return readFileSync(serviceAccountFile, 'utf8').trim() || undefined;
  return undefined;
}
