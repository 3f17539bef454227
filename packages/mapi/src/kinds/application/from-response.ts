import type { ApplicationStatus } from '@gko/api';
import type * as A from '../../generated/automation.ts';
import { baseStatus } from '../status.ts';

export function applicationStatus(state: A.ApplicationState): ApplicationStatus {
  return baseStatus(state);
}
