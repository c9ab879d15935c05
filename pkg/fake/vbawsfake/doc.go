// Package vbawsfake is an in-memory, stateful Veeam Backup for AWS server for
// tests, demos and your own test suites. Every request and response is
// validated against specs/vbaws/openapi.yaml; see Server.Violations.
//
//	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "secret"))
//	defer srv.Close()
//	c, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "secret"),
//		option.WithCACert(srv.CACertPEM()))
//
// Start serves the fake over TLS on a loopback port with a fresh self-signed
// certificate, so a client reaches it exactly as it reaches an appliance:
// give it URL and trust CACertPEM (with option.WithCACert, or write the PEM to
// a file for option.WithCACertFile). New returns the bare http.Handler for
// callers that serve it themselves.
//
// The options shape the appliance: WithUser sets who can log in (admin /
// admin by default), WithMFA demands a one-time code after the password,
// WithTokenTTL and WithClock control token expiry, and WithOrganizations seeds
// organizations named org-0001, org-0002 and so on. AddOrganization adds one
// with a name of your choice and MarkInUse makes one fail delete validation.
//
// The user of WithUser is the appliance's default user; users added through
// the API log in with their passwords (never answered back) until they are
// removed, and the default user cannot be removed. User names are unique
// and follow the documented rule (lowercase Latin letters, digits,
// underscores and dashes, a dollar sign last, at most 32 characters);
// passwords have at least 8 characters with uppercase and lowercase letters
// and digits and no run of 4 characters going up, down or staying the same
// ("abcd", "4321", "aaaa"), and change only with the current one. A user of
// the identity provider (accountType External) is added without a password
// and never logs in with one. EnableMFA
// issues a secret that AcceptMFA confirms with its token and a code of
// MFACode (or a scratch code) before mfaEnabled turns true. WithFirstLogin
// starts a new appliance instead: no user, license agreements not accepted
// (their checksums are AgreementChecksum's), and CreateDefaultUser needs
// InstanceID. The TLS certificate, the retention and time zone settings are
// kept as set (their resets restore the defaults); CertificateFile makes a
// file the certificate upload takes for a .PFX.
//
// The AWS Organizations endpoints keep state: organizations can be listed
// (with search, sorting and paging), added, read, updated, deleted and
// exported as CSV or XML; rescans produce a fixed tree of units and accounts.
// The AWS side is seeded: three AWS Regions (us-east-1, eu-central-1,
// ap-southeast-2) with zones, instance types, a default and a production VPC
// (only the latter with an S3 gateway endpoint), subnets, security groups and
// KMS keys; five AWS tags; and three buckets with folders, one of which no
// IAM role reaches until a bucket rescan for a role succeeds. Amazon
// connections are added from an IAM role the fake has (or access keys, which
// it does not keep) and browse their region until they are removed; for
// RDS restores a connection offers a DB subnet group per VPC, the region's
// security groups, three license models and a DB instance class per
// instance type, and each VPC has a main route table. Every region has a
// Default backup vault (the first one also veeam-efs-backups), and the EC2
// restore points are stored in the appliance's account, 111122223333.
// Sessions sort and filter as the API says and link to their items; a
// manual snapshot of an EC2 instance adds a restore point once its session
// succeeds, and a removal of its snapshots or backups deletes them and lists
// them as the session's deleted items; LicenseFile builds a license file
// that Install accepts, and the license raises notifications as it nears its
// expiry or runs short of instances; every list export writes the rows its
// list shows; the system logs are a .zip archive of the session logs
// (LogFileName). IAM roles added with access keys keep no
// secret key.
//
// Tokens (see package veeamfake) expires and revokes tokens and counts the
// grants the client used; the embedded *fake.Engine reports spec violations
// and calls per operation. Organization and session ids are random UUIDs.
package vbawsfake
