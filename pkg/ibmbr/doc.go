// Package ibmbr is the client for the REST API of IBM Cloud Backup and
// Recovery (v2, the Cohesity DataProtect API behind IBM Cloud IAM).
//
// [NewClient] takes the instance's service URL (ending in /v2),
// credentials, and the tenant every call is made for. [APIKey] exchanges an
// IBM Cloud API key for an access token at IAM ([DefaultIAMURL], or
// [WithIAMURL] for a private endpoint) on the first call, and renews the
// token before it expires; one exchange serves however many goroutines
// need a token, and a wrong key fails with apierr.ErrInvalidCredentials.
// [BearerToken] uses a token obtained elsewhere, as it is. [Client.Logout]
// forgets the token (IAM has nothing to revoke), so the next call exchanges
// the key again.
//
//	c, err := ibmbr.NewClient("https://my-instance.us-east.backup-recovery.cloud.ibm.com/v2",
//		ibmbr.APIKey(os.Getenv("IBMCLOUD_API_KEY")),
//		ibmbr.WithTenant("tenant-id/"))
//	if err != nil {
//		return err
//	}
//	for p, err := range c.Policies.All(ctx, nil) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(p.Name)
//	}
//
// # Tenants
//
// Every call names its tenant in the X-IBM-Tenant-Id header. [WithTenant]
// gives the client's; a context from [ContextWithTenant] sends the calls
// made with it to another tenant, on the same client and IAM token. A call
// without any tenant fails with [ErrNoTenant] before anything is sent, the
// IAM exchange included.
//
// # Services
//
// The fields of [Client] follow the sections of IBM's API reference:
// Policies, ProtectionGroups (with their runs), Recoveries, Search,
// Snapshots, Agents, Sources, Connections and Connectors, plus
// ProgressMonitors. They also cover the operations IBM's own Go SDK has
// beyond the reference: [ProtectionGroupsService.GetRun],
// [ProtectionGroupsService.RunProgress], [RecoveriesService.Cancel],
// [SnapshotsService.ConstructMetaInfo], and three operations of the legacy
// v1 API of the same instance ([SourcesService.ListProtectionSources],
// [SourcesService.RegistrationInfo], [ProgressMonitorsService.List]), which
// the client sends to /irisservices/api/v1 in place of the /v2 of the
// service URL, as IBM's SDK does. They are
// generated from the annotations of specs/ibmbr/openapi.yaml
// (services.gen.go): one method an operation, the operation's optional
// parameters in an options struct (nil for none; a field left at its zero
// value is not sent, booleans are pointers), and the X-IBM-Tenant-Id header
// filled in for you. A list the service answers in one response has a List
// method and an All iterator (iter.Seq2). Searches that page by
// paginationCookie ([SearchService.AllObjects],
// [SearchService.AllIndexedObjects], [SearchService.AllIndexedFiles]) pass
// each page's cookie back for the next, and fetch a page only when the loop
// gets there. Downloads ([RecoveriesService.DownloadFiles],
// [SnapshotsService.DownloadFile], [AgentsService.Download]) return an
// io.ReadCloser that streams the body without buffering it; the caller
// closes it. Models are the plain structs of package gen/ibmbrapi, decoded
// by encoding/json.
//
// # IDs
//
// Ids are strings, as the service gives them: policies, protection groups
// and recoveries ("clusterId:clusterIncarnationId:n"), runs
// ("instanceId:startTimeUsecs"), snapshots, connections and connectors. The
// service numbers protection sources, their registrations and the objects
// it protects: those ids are int64.
//
// # Long-running work
//
// A protection group run and a recovery run on the service.
// [ProtectionGroupsService.CreateRun] returns the ids of the runs it
// started, and [ProtectionGroupsService.WaitRun] polls a run until its
// backup has a final status ([ProtectionGroupsService.WaitRunProgress]
// reads the run's progress too, for a progress report);
// [RecoveriesService.Wait] does the same for a recovery, which
// [RecoveriesService.Cancel] stops. They poll at once and then with growing pauses (package poll:
// 2s, growing by half up to 30s unless poll.Options say otherwise), stop
// when ctx ends, and return the final run or recovery with a [*RunError] or
// [*RecoveryError] (matching [ErrRunFailed] or [ErrRecoveryFailed], and
// [ErrRunCanceled] or [ErrRecoveryCanceled] when it was canceled) unless it
// Succeeded or SucceededWithWarning.
//
// # Errors
//
// Every answer outside 2xx is an [*apierr.Error] with the status code and
// the service's error code and message; test it with errors.Is against the
// sentinels of package apierr (apierr.ErrNotFound, apierr.ErrForbidden,
// ...). Calls with an empty id (or a numeric id below 1) fail with
// [apierr.ErrMissingID] before anything is sent, and so do requests the
// service would refuse, with an error that says why.
//
// # Shared parts
//
// The options ([option.WithCACert], [option.WithLogger], [option.WithRetry],
// ...) are those of package option, shared by every backupsdk client, and the requests go
// through the same pipeline of package transport: retries of safe requests
// (the IAM exchange among them), one new token after a 401, redacted debug
// logs. [Client.Raw] is the generated client on that pipeline, for
// anything the services leave out; it leaves the tenant header to you.
//
// To test code that uses this package, start the in-memory service of
// package [github.com/backupsdk/backupsdk/pkg/fake/ibmfake], which serves
// IAM too, and point the client at it; the examples of this package run
// that way.
package ibmbr
