// Package vbgc is the client for the REST API of Veeam Backup for Google
// Cloud (revision 1.4-rev0). NewClient logs in lazily with the credentials
// given, keeps the access token fresh (refresh grant first, full login only
// when needed, MFA through a callback), retries what is safe to retry and
// returns every failure as an *apierr.Error.
//
// Services follow the sections of the API reference: the policies
// (VMPolicies, SQLPolicies, SpannerPolicies), the protected items
// (VMInstances, SQLInstances, SpannerInstances), their restore points and
// restores (VMRestorePoints with file-level recovery, SQLRestorePoints,
// SpannerRestorePoints), Repositories and Buckets, CloudInfrastructure,
// Projects, Regions, Networks, ServiceAccounts, SQLAccounts, Users,
// Licensing, Settings, Certificates, ConfigurationBackup, Workers, System and
// Sessions. They are generated from the
// annotations of the spec (services.gen.go); each method's comment names the
// operation it calls. Actions that start work return a session, and
// Sessions.Wait follows it to its end.
//
//	c, err := vbgc.NewClient("https://vbgc.example.com:13140",
//		vbgc.PasswordCredentials("admin", pw), option.WithCACertFile("vbgc-ca.pem"))
//	policy, err := c.VMPolicies.Create(ctx, spec)
//	started, err := c.VMPolicies.Start(ctx, policy.ID)
//	session, err := c.Sessions.Wait(ctx, started.SessionID, nil)
//	if errors.Is(err, vbgc.ErrSessionFailed) {
//		// session.Result is Failed or Canceled; session.Message says why
//	}
//
// The three policy families (VMPolicies, SQLPolicies, SpannerPolicies) have
// the same methods, each on its own models.
//
// Every list takes *ListOptions and has an All iterator (AllSessions for
// Sessions, AllCmeks for Cmeks, ...) that pages through the results, 100 at
// a time unless Limit says otherwise. ListOptions.Filter and
// ListOptions.OrderBy are the JSON arrays the API documents; Filter and
// OrderBy build them from typed conditions (Condition, Order).
//
// IDs: the appliance's own objects (policies, sessions, restore points,
// worker configurations) are identified by uuid.UUID; Google Cloud objects
// (projects, folders, regions, zones, Cloud SQL instances, service
// accounts) by their Google Cloud IDs, which are strings. An empty string
// ID is refused before anything is sent, with an error matching
// apierr.ErrMissingID.
//
// Sessions.Wait polls a session with growing pauses (poll.Options; nil for
// 1s growing to 15s) until it has ended and bounds the whole wait by its
// context. A session that ended Failed or Canceled comes back together with
// a *SessionError, which matches ErrSessionFailed; Warning counts as done.
// Final and Failed classify a session read in any other way.
//
// The client shares its login, options and error handling with package vbaws
// (see packages auth, option and apierr). The generated wire layer is in
// gen/vbgcapi; Raw returns it. Package vbgcfake is an in-memory appliance to
// test against; the examples of this package run on it.
package vbgc
