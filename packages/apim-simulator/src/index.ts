export { startSimulator, type RecordedRequest, type Simulator, type SimulatorOptions } from './server.ts';
export type { Faults } from './faults.ts';
export type { EnvironmentSeed, OrganizationsSeed } from './state.ts';
