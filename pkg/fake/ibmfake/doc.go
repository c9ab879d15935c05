// Package ibmfake is an in-memory IBM Cloud Backup and Recovery service for
// tests, demos and your own test suites, with an IBM Cloud IAM token
// endpoint beside it. The examples of package
// [github.com/backupsdk/backupsdk/pkg/ibmbr], the contract tests in tests/
// and `make demo` run against it; no IBM Cloud account is needed.
//
// Every request and response of the service is validated against
// specs/ibmbr/openapi.yaml; calls need a valid IAM token and a known
// X-IBM-Tenant-Id (an unknown tenant is answered 403). Protection policies,
// protection groups and their runs, recoveries, source registrations, data
// source connections and connectors, and agent upgrade tasks keep state per
// tenant; the snapshots, restore points and protected objects are those the
// runs of the tenant's groups left; connector metadata offers the release
// set with SetRelease; searches page with paginationCookie; downloads stream
// a verifiable pattern of any size without buffering it. Every operation has
// a stateful handler. The request handling and the validation are those of
// package fake; this package adds the service's state, IAM and its error
// body.
//
// [Start] serves a fake over TLS on a loopback port with a certificate of
// its own. The server's URL serves IAM (give it to ibmbr.WithIAMURL) and
// [Server.ServiceURL] the service (give it to ibmbr.NewClient):
//
//	srv, err := ibmfake.Start(ibmfake.WithAPIKey("key"), ibmfake.WithTenant("tenant-a/"))
//	if err != nil {
//		t.Fatal(err)
//	}
//	defer srv.Close()
//	srv.OnViolation(func(err error) { t.Errorf("spec violation: %v", err) })
//	c, err := ibmbr.NewClient(srv.ServiceURL(), ibmbr.APIKey("key", ibmbr.WithIAMURL(srv.URL())),
//		ibmbr.WithTenant("tenant-a/"), option.WithCACert(srv.CACertPEM()))
//
// The legacy (v1) operations of the instance that IBM's SDK calls
// (protection sources, their registration info, progress monitors) are
// served under [LegacyBase] ("/irisservices/api/v1") instead of "/v2", as
// the spec's path-level servers say; a legacy operation asked for under
// "/v2", or a v2 one under [LegacyBase], is a spec violation answered 404.
//
// [New] returns the same fake as an http.Handler, to serve it yourself.
// Without [WithAPIKey] the fake accepts the API key "test-api-key", and
// without [WithTenant] it knows the tenant "tenant-a/" only.
//
// # Behaviour
//
// A recovery starts Accepted and moves one step at every read (Running,
// then Succeeded; Failed when its name contains "fail",
// SucceededWithWarning when it contains "warn", Canceling and then Canceled
// when it contains "cancel"); only a Succeeded recovery can be downloaded.
// A protection group run starts Accepted and moves on at every read of the
// group's runs (Running, then Succeeded; Failed when the group's name
// contains "fail", SucceededWithWarning when it contains "warn"), so that
// ibmbr's Recoveries.Wait and ProtectionGroups.WaitRun end after a few
// polls. Reading one run (getProtectionGroupRun) moves it on too. The
// progress of a run is 0% while it is Accepted, 10% once it runs and 20
// points more at every progress read up to 90%, and 100% when it
// succeeded; progress monitors list the same progress at the run's
// progressTaskId. Canceling a recovery that has not ended makes it
// Canceling, and its next read Canceled; one that has ended is refused with
// 400. The meta information of a snapshot is that of the group whose run
// took it. The legacy protection sources are the tenant's source
// registrations. Object and
// indexed file search answer a fixed catalogue of [SearchCatalogSize]
// objects and files, in pages of the request's count (default 10).
// Downloads are [DefaultDownloadSize] bytes until [Fake.SetDownloadSize],
// and the byte at position p is [DownloadByte](p), so a test can check
// what it received, byte ranges included.
//
// # Knobs and counters
//
// [WithTokenTTL] sets the lifetime of IAM tokens and [Fake.ExpireTokens]
// makes every token issued so far invalid; [Fake.IAMRequests] counts the
// token exchanges. [Fake.SeedPolicies] stores any number of protection
// policies for a tenant (seed-policy-000, ...) and [Fake.PolicyCount]
// counts them. Calls and Violations (from the engine of package fake)
// count the requests of each operation and list the spec violations seen.
package ibmfake
