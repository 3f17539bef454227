// The log of the requests the simulator answered on the APIM paths (never its /_simulator controls),
// which tests read to check what the operator called, how often, and as whom.

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** Who called: basic:<user>, bearer, or none. Never the credentials. */
  caller: string;
  body?: unknown;
}

export interface RequestFilter {
  method?: string;
  /** The path as called, e.g. /management/organizations/DEFAULT/environments/DEFAULT/apis/. */
  pathPrefix?: string;
}

export function countRequests(log: readonly RecordedRequest[], filter: RequestFilter = {}): number {
  const method = filter.method?.toUpperCase();
  return log.filter((r) => (!method || r.method === method) && r.path.startsWith(filter.pathPrefix ?? '')).length;
}
