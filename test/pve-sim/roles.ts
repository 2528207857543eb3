// PVE's built-in roles and the privileges each one grants (PVE 9). Custom roles are not
// simulated: a scenario's ACL may only name these.

const vmAudit = ['VM.Audit', 'VM.GuestAgent.Audit'];
const vmUser = ['VM.Backup', 'VM.Config.CDROM', 'VM.Console', 'VM.PowerMgmt'];
const vmAdmin = [
  'VM.Allocate',
  'VM.Clone',
  'VM.Config.CPU',
  'VM.Config.Cloudinit',
  'VM.Config.Disk',
  'VM.Config.HWType',
  'VM.Config.Memory',
  'VM.Config.Network',
  'VM.Config.Options',
  'VM.GuestAgent.FileRead',
  'VM.GuestAgent.FileSystemMgmt',
  'VM.GuestAgent.FileWrite',
  'VM.GuestAgent.Unrestricted',
  'VM.Migrate',
  'VM.Replicate',
  'VM.Snapshot',
  'VM.Snapshot.Rollback',
];
const datastoreAudit = ['Datastore.Audit'];
const datastoreUser = ['Datastore.AllocateSpace'];
const datastoreAdmin = ['Datastore.Allocate', 'Datastore.AllocateTemplate'];
const sysAudit = ['Sys.Audit'];
const sysAdmin = ['Sys.Console', 'Sys.Syslog'];
const sysRoot = ['Sys.AccessNetwork', 'Sys.Incoming', 'Sys.Modify', 'Sys.PowerMgmt'];
const poolAudit = ['Pool.Audit'];
const poolAdmin = ['Pool.Allocate'];
const sdnAudit = ['SDN.Audit'];
const sdnUser = ['SDN.Use'];
const sdnAdmin = ['SDN.Allocate'];
const mappingAudit = ['Mapping.Audit'];
const mappingUser = ['Mapping.Use'];
const mappingAdmin = ['Mapping.Modify'];
const userAdmin = ['Group.Allocate', 'Realm.AllocateUser', 'User.Modify'];
const accessRoot = ['Permissions.Modify', 'Realm.Allocate'];

const everyAdminPrivilege = [
  ...vmAudit,
  ...vmUser,
  ...vmAdmin,
  ...datastoreAudit,
  ...datastoreUser,
  ...datastoreAdmin,
  ...sysAudit,
  ...sysAdmin,
  ...poolAudit,
  ...poolAdmin,
  ...sdnAudit,
  ...sdnUser,
  ...sdnAdmin,
  ...mappingAudit,
  ...mappingUser,
  ...mappingAdmin,
  ...userAdmin,
];

/** Every built-in role id and the privileges it grants. */
export const builtinRoles: Readonly<Record<string, readonly string[]>> = {
  NoAccess: [],
  Administrator: [...everyAdminPrivilege, ...sysRoot, ...accessRoot],
  PVEAdmin: [...everyAdminPrivilege, 'Permissions.Modify', 'Sys.Modify'],
  PVEAuditor: [
    ...vmAudit,
    ...datastoreAudit,
    ...sysAudit,
    ...poolAudit,
    ...sdnAudit,
    ...mappingAudit,
  ],
  PVEVMAdmin: [...vmAudit, ...vmUser, ...vmAdmin],
  PVEVMUser: [...vmAudit, ...vmUser],
  PVETemplateUser: ['VM.Audit', 'VM.Clone'],
  PVEDatastoreAdmin: [...datastoreAudit, ...datastoreUser, ...datastoreAdmin],
  PVEDatastoreUser: [...datastoreAudit, ...datastoreUser],
  PVEPoolAdmin: [...poolAudit, ...poolAdmin],
  PVEPoolUser: [...poolAudit],
  PVESysAdmin: [...sysAudit, ...sysAdmin, 'Sys.AccessNetwork', 'Sys.Modify', 'Sys.PowerMgmt'],
  PVEUserAdmin: [...userAdmin],
  PVESDNAdmin: [...sdnAudit, ...sdnUser, ...sdnAdmin],
  PVESDNUser: [...sdnAudit, ...sdnUser],
  PVEMappingAdmin: [...mappingAudit, ...mappingUser, ...mappingAdmin],
  PVEMappingUser: [...mappingAudit, ...mappingUser],
};

/** Every privilege any built-in role grants; `root@pam` holds all of them everywhere. */
export const allPrivileges: readonly string[] = [...new Set(builtinRoles.Administrator)].sort();

/** Whether a role id names a built-in role. */
export function isBuiltinRole(roleid: string): boolean {
  return Object.hasOwn(builtinRoles, roleid);
}
