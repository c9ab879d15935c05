// Package vbemfake is an in-memory Veeam Backup Enterprise Manager for
// tests, demos and your own test suites. The examples of package
// [github.com/backupsdk/backupsdk/pkg/vbem], the contract tests in tests/
// and `make demo` run against it; no Enterprise Manager is needed.
//
// It speaks XML by default and JSON when asked (Accept: application/json),
// validates every request and response of both media types against
// specs/vbem/openapi.yaml (XML element order included), keeps logon
// sessions that expire when idle, and keeps accounts, restore scopes,
// passwords and tasks that finish after a few polls. The request handling
// and the validation are those of package fake; this package adds the
// Enterprise Manager's state, its logon sessions and its error body.
//
// [Start] serves a fake over TLS on a loopback port with a certificate of
// its own, as Enterprise Manager does; give the client its URL and trust its
// CACertPEM:
//
//	srv, err := vbemfake.Start(vbemfake.WithUser(`CORP\admin`, "pw"))
//	if err != nil {
//		t.Fatal(err)
//	}
//	defer srv.Close()
//	srv.OnViolation(func(err error) { t.Errorf("spec violation: %v", err) })
//	c, err := vbem.NewClient(srv.URL(), vbem.BasicCredentials(`CORP\admin`, "pw"),
//		option.WithCACert(srv.CACertPEM()))
//
// [New] returns the same fake as an http.Handler, to serve it yourself.
//
// # Seed data
//
// The API root offers the versions v1_5, v1_6 and v1_7. Every fake starts
// with one account ([SeedAccountName], [SeedAccountID]) holding one
// processed restore scope, and two backup servers ([SeedBackupServer1ID],
// [SeedBackupServer2ID]) with one encryption password each
// ([SeedPassword1ID], [SeedPassword2ID]). Without [WithUser] the user
// admin, password admin, may log on.
//
// For file-level restore it holds a VM restore point
// ([SeedVMRestorePointID]) and VM replica points whose guest disks can be
// mounted: a mount appears when the task that makes it finishes, its guest
// folders can be browsed page by page and its files restored
// ([Fake.RestoredFiles] lists the restores). The guest file catalog holds
// the VMs [SeedCatalogVM] and exch01, each restore point with its own
// index. Two replicas ([SeedReplicaID]) hold three VM replica points
// ([SeedVMReplicaPointID]) and three replication task sessions; a
// failover, or starting the failover plan [SeedFailoverPlanID], marks its
// VMs failed over ([Fake.FailedOver]) and records a session per VM, and
// undoing the plan fails them back. Replication job sessions
// ([SeedReplicaSessionID]) group the task sessions; each failover runs as a
// new job session that finishes after a few reads. A job that includes a
// vApp (urn:vCloud:Vapp:...) leaves a vApp restore point when it runs.
// Backup servers hold credentials records ([SeedCredentialsID]) that can be
// created, edited and deleted; [Fake.CheckCredentials] tells whether one
// holds a given password, which the API never returns. The summary reports are computed from
// this state. The seeded account holds the File Restore Operator role; the
// seven security roles can be assigned to it and removed, except the last.
//
// For Cloud Connect it holds, on the second backup server, the tenant
// account [SeedCloudTenantName] ([SeedCloudTenantID]) with a storage quota
// on [SeedRepositoryID] and a subscription to the VMware hardware plan
// [SeedCloudHardwarePlanID], the cloud gateway [SeedCloudGatewayID] and
// the gateway pool [SeedCloudGatewayPoolID] that serves the tenant.
// Tenants, their quotas and subscriptions, gateways, pools and plans can
// be created, edited and deleted, each through a Task whose Related link
// names what was created. The fake refuses (400) a tenant name taken on
// the server, a quota below 1 GB or over the capacity of its repository or
// on another server's repository, a second quota on one repository, a plan
// of the other platform, a gateway in two pools, the deletion of a gateway
// still in a pool or of a plan with tenants, and a change of the networks
// of a plan. [Fake.CheckTenantPassword] tells whether a tenant holds a
// given password, which the API never returns, and [Fake.DeletedTenants]
// which tenants were deleted and whether with their backups.
//
// Backup servers can be connected, edited and disconnected
// ([Fake.CheckBackupServerPassword] tells whether one holds a given
// connection password). A quick backup of a VM runs the backup job that
// processes it for that VM only and adds a restore point to the job's
// backup; a VeeamZIP makes a new backup of its own; a data collection
// brings the jobs [Fake.StageJob] put on a backup server into Enterprise
// Manager and is logged as a CollectJob system session.
// [Fake.AddBackupCopyJob] adds a backup copy job whose linked jobs and
// repositories feed its sync runs, and [Fake.AddVAppReplica] a vApp
// replica whose point fails all its VMs over at once. Each backup server
// has a WAN accelerator ([SeedWANAcceleratorID]). The Veeam Agent job
// [SeedAgentJobID] backs up the protection group [SeedProtectionGroupID]
// (two discovered computers, [SeedDiscoveredComputerID]); its runs are
// AgentBackup sessions that leave a Veeam Agent restore point per computer,
// whose disks can be mounted for file-level restore. The file share backup
// job [SeedNASJobID] backs up the share [SeedFileServerID]. The default
// VMware Cloud Director organization configuration ([SeedOrgConfigID]) and
// a vSphere self-service tenant ([SeedSelfServiceConfigID]) are seeded;
// [Fake.OrgConfigDeletions] tells what the deletion of an organization
// configuration was asked to delete with it. The CDP policy
// [SeedCdpPolicyID] keeps the replica [SeedCdpReplicaID] of one VM and runs
// the session [SeedCdpReplicaSession]; disabling it stops the session,
// enabling it starts another, and the vApp CDP replica
// [SeedVAppCdpReplicaID] holds two VMs. Their restore intervals are
// computed from the time range asked for.
// The seeded tenant also has the subtenant [SeedCloudSubtenantID] (with a
// quota on its backup resource; [Fake.CheckSubtenantPassword] checks the
// password of a subtenant) and free license counters
// ([Fake.SetFreeLicenseCounters] changes them); VMware Cloud Director
// tenants get the organization VDCs [SeedVCloudOrgVdcRef] and
// [SeedVCloudOrgVdc2Ref], one tenant each. The second backup server holds
// two public IP addresses ([SeedPublicIPID]), which go to its tenants as
// their PublicIpCount claims them, two VLAN configurations ([SeedVlanID]),
// the tenant's replicas ([SeedCloudReplicaID], with the VM replica point
// [SeedCloudVMReplicaPointID] among others) and its cloud failover plan
// [SeedCloudFailoverPlanID]. Starting the plan fails its VMs over (the
// points of a failed-over VM show the Failover state, and
// [Fake.CloudVMFailedOver] tells) until it is undone; starting and testing
// it record a cloud failover session that works for a few reads and then
// succeeds. The fake refuses a subtenant name taken in the tenant, a
// subtenant quota below 1 GB or over the tenant's, an organization VDC for
// another kind of tenant or one another tenant holds, a public IP address
// the pool holds or a tenant uses, overlapping or out-of-range VLAN IDs,
// a start of a failed-over plan and the deletion of one.
//
// # Knobs and counters
//
// Options set the idle timeout of sessions ([WithIdleTimeout]) and how many
// reads a task takes to finish ([WithTaskSteps]);
// [Fake.SetPasswordCreateStatus] picks the answer of password creation
// (201, 202 with a Task, or 204). For assertions, [Fake.Logons],
// [Fake.SessionCount], [Fake.CookiesSeen] and [Fake.Tokens] tell how a
// client handles its session (the fake offers a session cookie, as the
// server does, and counts the requests that send one back), [Fake.ExpireSessions] ends every session as
// 15 idle minutes would, and [Fake.CheckPassword] tells whether a password
// record holds a given secret, which the API never returns. Calls and
// Violations (from the engine of package fake) count the requests of each
// operation and list the spec violations seen.
package vbemfake
