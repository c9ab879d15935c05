package ibmbr_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"time"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/ibmfake"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// The examples run against ibmfake, an in-memory IBM Cloud Backup and
// Recovery service with an IAM token endpoint beside it, both behind one
// self-signed certificate. Against IBM Cloud, give NewClient the instance's
// service URL and leave out WithIAMURL and WithCACert.

const apiKey = "example-api-key"

// startFake starts a fake that knows apiKey and the tenants "tenant-a/" and
// "tenant-b/".
func startFake() *ibmfake.Server {
	srv, err := ibmfake.Start(ibmfake.WithAPIKey(apiKey), ibmfake.WithTenant("tenant-a/"), ibmfake.WithTenant("tenant-b/"))
	if err != nil {
		log.Fatal(err)
	}
	// The fake checks every request and answer against the API's spec.
	srv.OnViolation(func(err error) { log.Fatalf("spec violation: %v", err) })
	return srv
}

// newClient returns a client for tenant "tenant-a/" of the fake.
func newClient(srv *ibmfake.Server) *ibmbr.Client {
	c, err := ibmbr.NewClient(srv.ServiceURL(), ibmbr.APIKey(apiKey, ibmbr.WithIAMURL(srv.URL())),
		ibmbr.WithTenant("tenant-a/"), option.WithCACert(srv.CACertPEM()))
	if err != nil {
		log.Fatal(err)
	}
	return c
}

// An API key is exchanged at IAM for an access token on the first call, and
// the token is renewed before it expires; WithTenant names the tenant
// (X-IBM-Tenant-Id) every call is made for.
func ExampleNewClient() {
	srv := startFake()
	defer srv.Close()
	srv.SeedPolicies("tenant-a/", 2)
	ctx := context.Background()

	c, err := ibmbr.NewClient(srv.ServiceURL(), // "https://<instance>.<region>.backup-recovery.cloud.ibm.com/v2"
		ibmbr.APIKey(apiKey, // os.Getenv("IBMCLOUD_API_KEY")
			ibmbr.WithIAMURL(srv.URL())), // default: ibmbr.DefaultIAMURL
		ibmbr.WithTenant("tenant-a/"),
		option.WithCACert(srv.CACertPEM())) // the fake's self-signed certificate
	if err != nil {
		fmt.Println(err)
		return
	}

	for range 3 {
		policies, err := c.Policies.List(ctx, nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("policies:", len(policies.Policies))
	}
	fmt.Println("IAM token exchanges:", srv.IAMRequests())
	// Output:
	// policies: 2
	// policies: 2
	// policies: 2
	// IAM token exchanges: 1
}

// BearerToken uses an IAM access token obtained elsewhere (from the ibmcloud
// CLI, or another client) as it is; it is not renewed, so the caller
// replaces the client when the token expires.
func ExampleBearerToken() {
	srv := startFake()
	defer srv.Close()
	srv.SeedPolicies("tenant-a/", 1)
	ctx := context.Background()

	// Here the token comes from a client with an API key; Token returns it.
	tok, err := newClient(srv).Token(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}

	c, err := ibmbr.NewClient(srv.ServiceURL(), ibmbr.BearerToken(tok.AccessToken),
		ibmbr.WithTenant("tenant-a/"), option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	policies, err := c.Policies.List(ctx, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("policies:", len(policies.Policies))
	fmt.Println("IAM token exchanges:", srv.IAMRequests())
	// Output:
	// policies: 1
	// IAM token exchanges: 1
}

// A context from ContextWithTenant sends the calls made with it to another
// tenant than the client's; the client and its IAM token are shared.
func ExampleContextWithTenant() {
	srv := startFake()
	defer srv.Close()
	srv.SeedPolicies("tenant-a/", 1)
	srv.SeedPolicies("tenant-b/", 3)
	ctx := context.Background()
	c := newClient(srv) // WithTenant("tenant-a/")

	own, err := c.Policies.List(ctx, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	other, err := c.Policies.List(ibmbr.ContextWithTenant(ctx, "tenant-b/"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("tenant-a/ policies:", len(own.Policies))
	fmt.Println("tenant-b/ policies:", len(other.Policies))
	fmt.Println("IAM token exchanges:", srv.IAMRequests())
	// Output:
	// tenant-a/ policies: 1
	// tenant-b/ policies: 3
	// IAM token exchanges: 1
}

// Every call is made for a tenant. A call that has none, neither from
// WithTenant nor from ContextWithTenant, fails with ErrNoTenant before
// anything is sent, not even the IAM token request.
func Example_tenants() {
	srv := startFake()
	defer srv.Close()
	ctx := context.Background()

	c, err := ibmbr.NewClient(srv.ServiceURL(), ibmbr.APIKey(apiKey, ibmbr.WithIAMURL(srv.URL())),
		option.WithCACert(srv.CACertPEM())) // no WithTenant
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.Policies.List(ctx, nil)
	fmt.Println("no tenant:", errors.Is(err, ibmbr.ErrNoTenant))
	fmt.Println("IAM token exchanges:", srv.IAMRequests())

	_, err = c.Policies.List(ibmbr.ContextWithTenant(ctx, "tenant-b/"), nil)
	fmt.Println("with a tenant in the context:", err == nil)
	// Output:
	// no tenant: true
	// IAM token exchanges: 0
	// with a tenant in the context: true
}

// All iterates over a list; the service answers policies in one response,
// and All yields them one by one (an error, if any, as the only element).
func ExamplePoliciesService_All() {
	srv := startFake()
	defer srv.Close()
	srv.SeedPolicies("tenant-a/", 3)
	ctx := context.Background()
	c := newClient(srv)

	for p, err := range c.Policies.All(ctx, nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(p.Name)
	}
	// Output:
	// seed-policy-000
	// seed-policy-001
	// seed-policy-002
}

// A search answers a page at a time, with a paginationCookie that fetches
// the next. AllObjects passes each cookie back and yields the objects of
// every page, fetching a page only when the loop gets there.
func ExampleSearchService_AllObjects() {
	srv := startFake()
	defer srv.Close()
	ctx := context.Background()
	c := newClient(srv)

	before := srv.Calls()["searchObjects"]
	var names []string
	for o, err := range c.Search.AllObjects(ctx, &ibmbr.SearchObjectsOptions{Count: 10}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		names = append(names, to.Value(o.Name))
	}
	fmt.Println("objects:", len(names), "from", names[0], "to", names[len(names)-1])
	fmt.Println("pages:", srv.Calls()["searchObjects"]-before)
	// Output:
	// objects: 25 from object-01 to object-25
	// pages: 3
}

// A recovery that gathers files and folders of a snapshot runs on the
// service; Wait follows it until it ends, and once it has succeeded,
// DownloadFiles streams the files. The client does not hold the body in
// memory: copy it where it goes, and close it.
func ExampleRecoveriesService_DownloadFiles() {
	srv := startFake()
	defer srv.Close()
	srv.SetDownloadSize(3 << 20) // the fake's files are 3 MiB
	ctx := context.Background()
	c := newClient(srv)

	rec, err := c.Recoveries.CreateDownloadFilesAndFolders(ctx, ibmbrapi.DownloadFilesAndFoldersRequestParams{
		Name:            "restore-reports",
		Object:          ibmbrapi.CommonRecoverObjectSnapshotParams{SnapshotID: "snap-1"},
		FilesAndFolders: []ibmbrapi.FilesAndFoldersObject{{AbsolutePath: "/data/reports"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	rec, err = c.Recoveries.Wait(ctx, *rec.ID, &poll.Options{
		Interval: 10 * time.Millisecond, // the default, 2s growing to 30s, suits the real service
		OnPoll:   func(r any) { fmt.Println(*r.(*ibmbrapi.Recovery).Status) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	body, err := c.Recoveries.DownloadFiles(ctx, *rec.ID, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = body.Close() }()
	n, err := io.Copy(io.Discard, body) // for example to an *os.File
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("bytes:", n)
	// Output:
	// Running
	// Succeeded
	// bytes: 3145728
}

// Wait returns a recovery that ended without success with a
// *RecoveryError, which matches ErrRecoveryFailed and carries the recovery
// with the service's messages.
func ExampleRecoveriesService_Wait() {
	srv := startFake()
	defer srv.Close()
	ctx := context.Background()
	c := newClient(srv)

	// The fake fails the recoveries whose name asks for it.
	rec, err := c.Recoveries.Create(ctx, ibmbrapi.CreateRecoveryRequest{
		Name: "please-fail", SnapshotEnvironment: ibmbrapi.CreateRecoveryRequestSnapshotEnvironmentKPhysical}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.Recoveries.Wait(ctx, *rec.ID, &poll.Options{Interval: 10 * time.Millisecond})
	fmt.Println("failed:", errors.Is(err, ibmbr.ErrRecoveryFailed))
	var failed *ibmbr.RecoveryError
	if errors.As(err, &failed) {
		fmt.Println(*failed.Recovery.Status, failed.Recovery.Messages)
	}
	// Output:
	// failed: true
	// Failed [the fake failed this recovery as its name asked]
}

// CreateRun starts a run of a protection group and returns the ids of the
// runs it started; WaitRun follows one until its backup ends.
func ExampleProtectionGroupsService_WaitRun() {
	srv := startFake()
	defer srv.Close()
	ctx := context.Background()
	c := newClient(srv)

	policy, err := c.Policies.Create(ctx, ibmbrapi.ProtectionPolicyRequest{Name: "Gold"})
	if err != nil {
		fmt.Println(err)
		return
	}
	group, err := c.ProtectionGroups.Create(ctx, ibmbrapi.ProtectionGroupRequest{
		Name: "file-servers", PolicyID: *policy.ID, Environment: ibmbrapi.ProtectionGroupRequestEnvironmentKPhysical,
		PhysicalParams: &ibmbrapi.PhysicalProtectionGroupParams{ProtectionType: ibmbrapi.PhysicalProtectionGroupParamsProtectionTypeKFile},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	started, err := c.ProtectionGroups.CreateRun(ctx, *group.ID, ibmbrapi.CreateProtectionGroupRunRequest{
		RunType: ibmbrapi.CreateProtectionGroupRunRequestRunTypeKRegular})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("runs started:", len(started.RunIDs))
	run, err := c.ProtectionGroups.WaitRun(ctx, *group.ID, started.RunIDs[0], &poll.Options{
		Interval: 10 * time.Millisecond, // the default, 2s growing to 30s, suits the real service
		OnPoll:   func(r any) { fmt.Println(*r.(*ibmbrapi.ProtectionGroupRun).LocalBackupInfo.Status) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("snapshot:", *run.HasLocalSnapshot)
	// Output:
	// runs started: 1
	// Running
	// Succeeded
	// snapshot: true
}

// WaitRunProgress reports the progress of the run at each poll, while it
// runs; Recoveries.Cancel stops a recovery, and Wait ends with
// ErrRecoveryCanceled.
func ExampleProtectionGroupsService_WaitRunProgress() {
	srv := startFake()
	defer srv.Close()
	ctx := context.Background()
	c := newClient(srv)

	policy, err := c.Policies.Create(ctx, ibmbrapi.ProtectionPolicyRequest{Name: "Gold"})
	if err != nil {
		fmt.Println(err)
		return
	}
	group, err := c.ProtectionGroups.Create(ctx, ibmbrapi.ProtectionGroupRequest{
		Name: "file-servers", PolicyID: *policy.ID, Environment: ibmbrapi.ProtectionGroupRequestEnvironmentKPhysical,
		PhysicalParams: &ibmbrapi.PhysicalProtectionGroupParams{ProtectionType: ibmbrapi.PhysicalProtectionGroupParamsProtectionTypeKFile},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	started, err := c.ProtectionGroups.CreateRun(ctx, *group.ID, ibmbrapi.CreateProtectionGroupRunRequest{
		RunType: ibmbrapi.CreateProtectionGroupRunRequestRunTypeKRegular})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.ProtectionGroups.WaitRunProgress(ctx, *group.ID, started.RunIDs[0], &poll.Options{
		Interval: 10 * time.Millisecond,
		OnPoll: func(s any) {
			st := s.(*ibmbr.RunState)
			if pct, ok := st.Percent(); ok {
				fmt.Printf("%s, %.0f%% done\n", *st.Run.LocalBackupInfo.Status, pct)
				return
			}
			fmt.Println(*st.Run.LocalBackupInfo.Status)
		},
	})
	fmt.Println("error:", err)

	rec, err := c.Recoveries.Create(ctx, ibmbrapi.CreateRecoveryRequest{Name: "restore-db",
		SnapshotEnvironment: ibmbrapi.CreateRecoveryRequestSnapshotEnvironmentKPhysical}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := c.Recoveries.Cancel(ctx, *rec.ID); err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.Recoveries.Wait(ctx, *rec.ID, &poll.Options{Interval: 10 * time.Millisecond})
	fmt.Println("canceled:", errors.Is(err, ibmbr.ErrRecoveryCanceled))
	// Output:
	// Running, 100% done
	// Succeeded
	// error: <nil>
	// canceled: true
}

// Agents.Download streams the installer of the agent for a platform.
func ExampleAgentsService_Download() {
	srv := startFake()
	defer srv.Close()
	srv.SetDownloadSize(70_000)
	ctx := context.Background()
	c := newClient(srv)

	body, err := c.Agents.Download(ctx, ibmbrapi.DownloadAgentRequest{Platform: ibmbrapi.DownloadAgentRequestPlatformKLinux})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = body.Close() }()
	n, err := io.Copy(io.Discard, body)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("bytes:", n)
	// Output:
	// bytes: 70000
}

// Every answer outside 2xx is an *apierr.Error with the status and the
// service's error code and message; errors.Is tests it against the
// sentinels of package apierr. An empty id fails before anything is sent,
// and a wrong API key fails at IAM.
func Example_errors() {
	srv := startFake()
	defer srv.Close()
	ctx := context.Background()
	c := newClient(srv)

	_, err := c.Policies.Get(ctx, "0:0:404", nil)
	fmt.Println("not found:", errors.Is(err, apierr.ErrNotFound))
	var apiErr *apierr.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code)
	}

	_, err = c.Policies.Get(ctx, "", nil)
	fmt.Println("missing id:", errors.Is(err, apierr.ErrMissingID))

	wrong, err := ibmbr.NewClient(srv.ServiceURL(), ibmbr.APIKey("not-a-key", ibmbr.WithIAMURL(srv.URL())),
		ibmbr.WithTenant("tenant-a/"), option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	err = wrong.Login(ctx)
	fmt.Println("invalid credentials:", errors.Is(err, apierr.ErrInvalidCredentials))
	// Output:
	// not found: true
	// 404 KNotFound
	// missing id: true
	// invalid credentials: true
}

// Example connects to an instance with an API key and a tenant, and lists
// the tenant's protection policies.
func Example() {
	ctx := context.Background()
	srv, err := ibmfake.Start(ibmfake.WithAPIKey("example-api-key"), ibmfake.WithTenant("tenant-a/"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	srv.SeedPolicies("tenant-a/", 2)

	c, err := ibmbr.NewClient(srv.ServiceURL(), // it ends in /v2, as an instance's service URL does
		ibmbr.APIKey("example-api-key", ibmbr.WithIAMURL(srv.URL())), // the fake serves IAM too
		ibmbr.WithTenant("tenant-a/"),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}

	for p, err := range c.Policies.All(ctx, nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(p.Name)
	}
	// Output:
	// seed-policy-000
	// seed-policy-001
}

// protectionRun is the code of the README's IBM section, for a client with
// a tenant: list the tenant's policies, count those of another tenant,
// search objects page by page, and run a protection group and wait for it.
func protectionRun(ctx context.Context, c *ibmbr.Client, groupID string) error {
	for p, err := range c.Policies.All(ctx, nil) {
		if err != nil {
			return err
		}
		fmt.Println("policy", p.Name)
	}
	other, err := c.Policies.List(ibmbr.ContextWithTenant(ctx, "tenant-b/"), nil) // this call only
	if err != nil {
		return err
	}
	fmt.Println("policies of tenant-b/:", len(other.Policies))

	found := 0
	for _, err := range c.Search.AllObjects(ctx, &ibmbr.SearchObjectsOptions{Count: 10}) { // follows paginationCookie
		if err != nil {
			return err
		}
		found++
	}
	fmt.Println("objects:", found)

	started, err := c.ProtectionGroups.CreateRun(ctx, groupID, ibmbrapi.CreateProtectionGroupRunRequest{
		RunType: ibmbrapi.CreateProtectionGroupRunRequestRunTypeKRegular})
	if err != nil {
		return err
	}
	run, err := c.ProtectionGroups.WaitRun(ctx, groupID, started.RunIDs[0], nil) // from 2s, growing by half to 30s
	if errors.Is(err, ibmbr.ErrRunFailed) {
		return fmt.Errorf("nightly run: %w", err) // a *ibmbr.RunError, which holds the run
	}
	if err != nil {
		return err
	}
	fmt.Println("local snapshot:", to.Value(run.HasLocalSnapshot))
	return nil
}

// Example_protectionRun runs protectionRun against the fake.
func Example_protectionRun() {
	srv := startFake()
	defer srv.Close()
	srv.SeedPolicies("tenant-b/", 2)
	ctx := context.Background()
	c := newClient(srv)

	policy, err := c.Policies.Create(ctx, ibmbrapi.ProtectionPolicyRequest{Name: "Gold"})
	if err != nil {
		fmt.Println(err)
		return
	}
	group, err := c.ProtectionGroups.Create(ctx, ibmbrapi.ProtectionGroupRequest{
		Name: "file-servers", PolicyID: *policy.ID, Environment: ibmbrapi.ProtectionGroupRequestEnvironmentKPhysical,
		PhysicalParams: &ibmbrapi.PhysicalProtectionGroupParams{ProtectionType: ibmbrapi.PhysicalProtectionGroupParamsProtectionTypeKFile},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := protectionRun(ctx, c, *group.ID); err != nil {
		fmt.Println(err)
	}
	// Output:
	// policy Gold
	// policies of tenant-b/: 2
	// objects: 25
	// local snapshot: true
}
