export { startSimulator, type Simulator, type SimulatorOptions } from './server.ts';
export { EditError, type EditableKind, type EditableObjects, type EditScope } from './edits.ts';
export type { InFlightStats } from './in-flight.ts';
export type { RecordedRequest, RequestFilter } from './request-log.ts';
export type { Faults } from './faults.ts';
export type { EnvironmentSeed, EnvironmentState, OrganizationsSeed } from './state.ts';
