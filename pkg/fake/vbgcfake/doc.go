// Package vbgcfake is an in-memory, stateful Veeam Backup for Google Cloud
// server for tests, demos and your own test suites. Every request and
// response is validated against specs/vbgc/openapi.yaml. The three policy
// families, sessions, cloud infrastructure folders and projects, HMAC keys,
// configuration backup, worker settings and profiles keep state; sessions
// move from Queued through Running to Stopped with a result as they are
// polled. The Google Cloud look-ups (regions, zones, machine types, keys,
// subfolders) read a small catalog (Regions) and what AddCMEK and
// AddCloudFolder add, for projects added to the configuration database.
// VM instances, Cloud Spanner instances and their restore points (from
// manual snapshots and from the policy runs that ended well), restores and
// file-level recovery, repositories in rescanned buckets, the license (its
// used units are the instances with policy restore points), users (who can
// then log in), the certificate and the settings keep state too; see
// AddVMInstance, AddSpannerInstance, LicenseFile, RestoreCount and
// RepositoryCount. Every operation has a stateful handler.
//
//	srv, err := vbgcfake.Start(vbgcfake.WithUser("admin", "secret"))
//	defer srv.Close()
//	c, err := vbgc.NewClient(srv.URL(), vbgc.PasswordCredentials("admin", "secret"),
//		option.WithCACert(srv.CACertPEM()))
//
// Start serves the fake over TLS on a loopback port with a self-signed
// certificate; New returns the bare http.Handler. WithUser, WithMFA and
// WithTokenTTL shape the login (access tokens last 15 minutes by default, as
// on the product), and WithSessionSteps sets how many reads a session takes
// to finish (3 by default), so a test of vbgc.SessionsService.Wait sees it
// running before it ends.
//
// A token request is read as the appliance reads it: form field names and
// grant types in any case (grant_type=Password, Username=), no x-api-version
// header, "api/v1/token/" with its trailing slash, as the published 1.0
// clients send them. Cloud SQL instances are addressed by project and name.
//
// Starting a policy, a configuration backup or another action records a
// session that ends with Success. FailNextSession makes the next one end with
// Failed, Warning or Canceled instead, to test how code handles
// vbgc.ErrSessionFailed; StartSession records one directly. PolicyCount,
// InfrastructureCount and ConfigurationRestorePointCount let a test check
// the state the client changed, and Page applies the product's filter,
// orderby, offset and limit query parameters for handlers of your own. The
// Tokens field (package veeamfake) and the embedded *fake.Engine work as in
// vbawsfake.
package vbgcfake
