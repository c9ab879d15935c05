// Package vbem is the client for the REST API of Veeam Backup Enterprise
// Manager (API v1_7, and the earlier revisions v1_5 and v1_6).
//
// Enterprise Manager authenticates with a logon session, not a token:
// [NewClient] logs on with [BasicCredentials] on the first call (or on
// [Client.Login]) with POST /api/sessionMngr/, sends only the
// X-RestSvcSessionId header afterwards (never the credentials, never a
// cookie), logs on again after a 401 or 15 idle minutes, and
// [Client.Logout] deletes the session. However many goroutines start at
// once, they share one logon. [Client.Token] returns the session as an
// auth.Token: the X-RestSvcSessionId, and the SessionId as its ID.
//
//	c, err := vbem.NewClient("https://em.example.com:9398",
//		vbem.BasicCredentials(`CORP\backup-admin`, password),
//		option.WithCACertFile("em-ca.pem")) // Enterprise Manager's certificate is self-signed
//	if err != nil {
//		return err
//	}
//	defer c.Logout(ctx)
//
//	for p, err := range c.Query.AllPasswords(ctx, &vbem.QueryOptions{PageSize: 50, SortAsc: "Hint"}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(*p.Hint)
//	}
//
// The API speaks XML and JSON. The client uses JSON unless [WithXML] is
// given; it then writes request bodies in the documented element order and
// namespace. Either way, answers decode into the same Go values: the
// generated models of package gen/vbemapi. [Client.SupportedVersions]
// reads the API root, which needs no logon, and [option.WithAPIVersion] picks the
// version to log on with.
//
// # Services
//
// The fields of [Client] follow the sections of the API reference:
// Jobs (start, stop, retry, clone, toggle the schedule, edit, included
// objects), BackupSessions, BackupTaskSessions, RestoreSessions and the
// replica sessions, Backups, BackupFiles, RestorePoints, VMRestorePoints
// (restore a VM), VAppRestorePoints, FileRestore (mount a restore or replica
// point, browse its guest files, restore them), Catalog, Replicas,
// ReplicaPoints (failover), FailoverPlans, Reports, HierarchyRoots, Lookup,
// Repositories, ExternalRepositories, ManagedServers, Sessions, Accounts
// (with their restore scopes) and Roles, BackupServers (connect, edit and
// disconnect them, VeeamZIP, quick backup and data collection) with their
// Credentials and Passwords, Query and Tasks. Backup copy jobs have their
// linked jobs and repositories and their sync action on Jobs; Agents
// manages Veeam Agent backup jobs, protection groups, discovered computers
// and their restore points (with file-level restore); NAS the file share
// backup jobs and shares; CDP the CDP policies, replicas and sessions
// ([CDPService.FailoverVM] and [CDPService.VMIntervals] are written by
// hand: one URL answers a Task or the intervals); VAppReplicaPoints,
// WANAccelerators and
// SystemSessions read what their names say; VCloud and
// VSphereSelfService manage the self-service configurations of VMware
// Cloud Director organizations and vSphere tenants. An action of the API
// (?action=start on a job) is a method of its own ([JobsService.Start],
// [BackupServersService.QuickBackup]).
// Their methods are generated from the annotations of the
// API's spec (services.gen.go); the calls with quirks are written by hand
// beside them. Optional parameters go in an options struct per call
// ([GetAccountOptions], [ListBackupServersOptions], [QueryOptions], ...);
// a format of Entity asks for the entity instead of the reference.
//
// Lists come whole in one answer, and their All iterators (iter.Seq2) range
// over it. The query service pages and is typed per query type
// ([QueryService.Jobs], [QueryService.BackupSessions],
// [QueryService.VMRestorePoints], [QueryService.AgentBackupJobs],
// [QueryService.CDPPolicies], [QueryService.WANAccelerators], ...: every type
// of the reference); its All iterators
// ([QueryService.AllPasswords], [QueryService.AllTasks], ...) fetch page after
// page (package pager) as long as the server's PagingInfo announces more.
//
// Actions that run asynchronously ([AccountsService.RebuildScopes], and
// creates and deletes the server chooses to run as tasks) answer 202 with a
// Task; the Task is nil when the server finished at once. [Client.WaitTask]
// polls it with growing pauses (package poll, tuned by poll.Options) until
// it is Finished and returns a [*TaskError], matching [ErrTaskFailed], when
// it failed.
// [BackupSessionsService.Wait] and [RestoreSessionsService.Wait] wait for a
// session to stop and return a [*SessionError], matching
// [ErrSessionFailed], when it failed.
//
// # Cloud Connect
//
// Service providers manage Veeam Cloud Connect with [CloudTenantsService]
// (tenant accounts, their storage quotas on cloud repositories, their
// hardware plan subscriptions and gateway pools), [CloudGatewaysService],
// [CloudGatewayPoolsService] and [CloudHardwarePlansService];
// [CloudConnectService] reads the entry point (/api/cloud). Creates, edits
// and deletes answer a Task; [RelatedID] of the finished task is the id of
// what was created. The API has no action that enables, disables or resizes
// a tenant, so [CloudTenantsService.Enable], [CloudTenantsService.Disable]
// and [CloudTenantsService.SetResourceQuota] send the edits (PUT
// /api/cloud/tenants/{id}) that do. Tenant passwords are write-only: the
// server never returns them, and the client never logs them nor puts them
// in an error.
//
// [CloudTenantsService] also manages the subtenant accounts of a tenant
// (their passwords are write-only too), reads its free license counters
// (new and rental machines) and assigns organization VDCs to VMware Cloud
// Director tenants. For Cloud Connect Replication,
// [CloudPublicIPAddressesService] manages the pools of public IP addresses
// of the backup servers, [CloudVLANsService] the VLAN ranges reserved on
// virtual switches, [CloudFailoverPlansService] reads, edits and deletes the
// cloud failover plans of tenants and starts, undoes and tests them
// (the finished task of a start or a test links its session),
// [CloudFailoverSessionsService] reads those sessions, and
// [CloudReplicasService] and [CloudVMReplicaPointsService] read the
// replicas of tenants and their restore points. The query service reads
// every Cloud Connect type page by page ([QueryService.CloudTenants],
// [QueryService.AllCloudVMReplicaPoints], ...).
//
// # Ids
//
// Every id is a string: GUIDs as Enterprise Manager writes them, task ids
// such as task-12, and the SessionId of a logon session (the vbemapi id
// types, such as vbemapi.BackupServerID, are aliases of string). Resources
// are named by their Href, and some, such as restore scopes, have no Id
// element at all: [ScopeID], [AccountID] and [IDFromHref] take the id from
// the Href, and [Client.Follow] reads whatever a link of the server points
// to.
//
// # Errors
//
// Every answer outside 2xx is an [*apierr.Error] with the status code and
// Enterprise Manager's Status and Message; test it with errors.Is against
// the sentinels of package apierr (apierr.ErrNotFound,
// apierr.ErrInvalidCredentials for a failed logon, ...). Calls with an
// empty id fail with [apierr.ErrMissingID] before anything is sent.
// Passwords given to [PasswordsService.Create] never appear in an error or a
// log line.
//
// # Shared parts
//
// The options ([option.WithCACert], [option.WithLogger], [option.WithRetry],
// ...) are those of package option, shared by every backupsdk client, and the requests go
// through the same pipeline of package transport: retries of safe
// requests, redacted debug logs. [Client.Raw] is the generated client on
// that pipeline, with the session header, for anything the services leave
// out.
//
// To test code that uses this package, start the in-memory Enterprise
// Manager of package [github.com/backupsdk/backupsdk/pkg/fake/vbemfake]
// and point the client at it; the examples of this package run that way.
package vbem
