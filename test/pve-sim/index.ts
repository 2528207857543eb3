// The simulated PVE cluster's public API. README.md documents it.

export { startSim, bundledScenarioPath, defaultSchemaPath } from './sim.js';
export type { Sim, SimOptions, SimUser, RecordedRequest, SchemaViolation } from './sim.js';
export type { SimNode, ReceivedRequest } from './node-listeners.js';
export { totpCode, verifyTotp } from './totp.js';
export { loadScenario, parseScenario, ScenarioError, scenarioSchema } from './scenario.js';
export type { Scenario, ScenarioIssue, ContentType } from './scenario.js';
export type { SimFaults, StatusOverride } from './faults.js';
export type {
  SimState,
  NodeState,
  StorageState,
  VolumeState,
  PoolState,
  UserState,
  AclEntry,
  InstanceState,
  TaskRecord,
} from './state.js';
export { configDigest, findVolume, storageUsedBytes } from './state.js';
export type { ConfigValue, GuestType } from './disks.js';
export { formatSize, parseSizeBytes } from './sizes.js';
export { builtinRoles } from './roles.js';
export {
  createNodeCertificate,
  issueCertificate,
  generateRsaKeyPair,
  fingerprintOf,
} from './certs.js';
export type {
  IssuedCertificate,
  CertificateIssuer,
  CertificateSubject,
  KeyPairPem,
} from './certs.js';
