// What the simulator stores, per organization and environment. Everything lives in memory.
import type { Automation, ManagementV1 } from '@gko/mapi';

export interface EnvironmentSeed {
  name?: string;
  /** Portal categories that exist; others are dropped with a warning. */
  categories?: string[];
  /** Users that exist, as "source:sourceId"; other members are dropped with a warning. */
  users?: string[];
  /** APIM groups (names) created outside the operator. */
  groups?: string[];
  /** More than one portal may be stored (APIM's automation.portal.allowMultiplePortalPerEnv); default false. */
  multiplePortals?: boolean;
}

export interface StoredV2Api {
  definition: ManagementV1.ApiV2Definition;
  status: ManagementV1.ApiV2ImportStatus;
}

export class EnvironmentState {
  readonly organizationId: string;
  readonly id: string;
  readonly name: string;
  readonly categories: Set<string>;
  readonly users: Set<string>;
  readonly externalGroups: Set<string>;
  readonly apis = new Map<string, Automation.ApiV4State>();
  readonly v2Apis = new Map<string, StoredV2Api>();
  readonly applications = new Map<string, Automation.ApplicationState>();
  /** By API HRID, then subscription HRID. */
  readonly subscriptions = new Map<string, Map<string, Automation.SubscriptionState>>();
  /** Subscriptions closed through DELETE, by "apiHrid/hrid": APIM keeps them, closed, and serves them no more. */
  readonly closedSubscriptions = new Map<string, Automation.SubscriptionState & { closedAt: string }>();
  /** The id of the plan of each active subscription, by "apiHrid/hrid". */
  readonly subscriptionPlans = new Map<string, string>();
  readonly sharedPolicyGroups = new Map<string, Automation.SharedPolicyGroupState>();
  readonly groups = new Map<string, Automation.GroupState>();
  readonly dictionaries = new Map<string, Automation.DictionaryState>();
  readonly multiplePortals: boolean;
  readonly portals = new Map<string, Automation.PortalState>();
  /** The children of portals and APIs: by parent HRID, then HRID. */
  readonly portalLinks = new Map<string, Map<string, Automation.PortalLinkState>>();
  readonly portalListings = new Map<string, Map<string, Automation.PortalListingState>>();
  readonly portalDocumentations = new Map<string, Map<string, Automation.DocumentationState>>();
  readonly apiDocumentations = new Map<string, Map<string, Automation.DocumentationState>>();

  constructor(organizationId: string, id: string, seed: EnvironmentSeed = {}) {
    this.organizationId = organizationId;
    this.id = id;
    this.name = seed.name ?? id;
    this.categories = new Set(seed.categories ?? []);
    this.users = new Set(seed.users ?? []);
    this.externalGroups = new Set(seed.groups ?? []);
    this.multiplePortals = seed.multiplePortals ?? false;
  }

  /** A group is known when created outside the operator or through the Automation API (by name, HRID or id). */
  hasGroup(nameOrId: string): boolean {
    if (this.externalGroups.has(nameOrId)) return true;
    for (const group of this.groups.values())
      if (group.name === nameOrId || group.hrid === nameOrId || group.id === nameOrId) return true;
    return false;
  }
}

export type OrganizationsSeed = Record<string, Record<string, EnvironmentSeed>>;

export class SimulatorState {
  private readonly environments = new Map<string, EnvironmentState>();
  private readonly seed: OrganizationsSeed;

  constructor(seed: OrganizationsSeed) {
    this.seed = seed;
    this.reset();
  }

  reset(): void {
    this.environments.clear();
    for (const [organizationId, environments] of Object.entries(this.seed)) {
      for (const [environmentId, environment] of Object.entries(environments)) {
        this.environments.set(
          `${organizationId}/${environmentId}`,
          new EnvironmentState(organizationId, environmentId, environment),
        );
      }
    }
  }

  environment(organizationId: string, environmentId: string): EnvironmentState | undefined {
    return this.environments.get(`${organizationId}/${environmentId}`);
  }

  hasOrganization(organizationId: string): boolean {
    return [...this.environments.values()].some((e) => e.organizationId === organizationId);
  }
}
