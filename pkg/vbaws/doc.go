// Package vbaws is the client for the REST API of Veeam Backup for AWS
// (revision 1.7-rev0). NewClient logs in lazily with the credentials given,
// keeps the access token fresh (refresh grant first, full login only when
// needed, MFA through a callback), retries what is safe to retry and returns
// every failure as an *apierr.Error.
//
//	creds := vbaws.PasswordCredentials("admin", os.Getenv("VBAWS_PASSWORD"),
//		auth.WithMFA(promptTOTP))
//	c, err := vbaws.NewClient("https://vbaws.example.com:11005", creds,
//		option.WithCACertFile("/etc/ssl/vbaws-ca.pem")) // the appliance's self-signed certificate
//	if err != nil {
//		return err
//	}
//	defer c.Logout(ctx)
//	for org, err := range c.Organizations.All(ctx, nil) { ... }
//
// A Client is safe for concurrent use and holds one access token for all its
// goroutines. The first call logs in (call Login to do it up front and see
// bad credentials at once); Token returns the current token, whose refresh
// token RefreshTokenCredentials accepts later; Logout revokes the token, and
// the next call logs in again. The options (option.WithCACert,
// option.WithLogger, option.WithRetry, ...) are those of package option.
//
// The services and their methods are generated from the annotations of
// specs/vbaws/openapi.yaml (services.gen.go). Each workload has three
// services: EC2Policies, EC2Instances and EC2RestorePoints, and the same for
// RDS, EFS, DynamoDB, FSx (FSxFileSystems) and Redshift (RedshiftClusters):
// policies are created, read, changed, deleted, started, stopped, enabled and
// disabled; restore points are listed and restored from (with validations and
// file-level restore where the API has them). EC2Instances also takes manual
// snapshots of an instance and removes its snapshots or backups.
// Organizations, Repositories, Workers, IAMRoles, StandardAccounts,
// ConfigurationBackup, Licensing (with Install and the license
// notifications), Overview and System (version, product ID, time, logs,
// connection test) cover the rest of the appliance, and its administration:
// Users (accounts, MFA with EnableMFA and AcceptMFA, Export, and the first
// login), Certificates (Get, Regenerate, Upload of a .PFX file),
// RetentionSettings, TimeSettings and LicenseAgreement. The AWS side it sees
// is read through Regions (Availability Zones, instance types), Tags and
// Buckets (folders; Rescan for an IAM role), and AmazonConnections: a
// connection to one AWS Region, made with an IAM role or access keys, lists
// its zones, VPCs, subnets, security groups, route tables and KMS keys, what
// it offers for restoring RDS resources (ListRDSSubnetGroups,
// ListRDSSecurityGroups, ListRDSLicenses, ListRDSInstanceClasses), checks a
// subnet's route to Amazon S3 (ValidateS3Endpoint) and browses bucket
// folders. BackupVaults lists the AWS Backup vaults that can store EFS
// backups. Those RDS lists, the route tables and the backup vaults are named
// by the REST API changelogs only: their answers are inferred (see the
// spec). Every
// List has an All twin, an iter.Seq2 that pages 100 at a time unless the
// options' Limit says otherwise (the Amazon connections and a connection's
// zones come in one response). Operations that start work on the appliance
// (policy starts, restores, rescans, snapshots, removals) answer with a
// session link; Sessions reads sessions (List with its orders and filters,
// Get, Log, ProtectedItems, RestoredItems, DeletedItems, Stop) and
// Sessions.Wait waits for one to end.
//
// The exports of the lists (Organizations, IAMRoles, StandardAccounts,
// Repositories, Sessions, EC2Instances, Licensing, Users) take an
// ExportFormat, CSV or XML, and stream the file: the caller closes it.
// System.Logs streams the appliance's log archive.
//
// Every ID of this API is a uuid.UUID; the generated ID types such as
// vbawsapi.OrganizationID are aliases of it. Users are the exception: a
// user's name is its ID.
//
// A new appliance has no user to log in with. Its first login (the license
// agreements, Users.IsFirstLogin, Users.CheckInstanceID,
// Users.CreateDefault) needs no access token; run it with a client whose
// credential is a placeholder, auth.StaticToken(auth.Token{AccessToken:
// "-"}), since every client sends the token it has.
//
// Failures are *apierr.Error values: test them with errors.Is against the
// sentinels of package apierr (apierr.ErrNotFound, apierr.ErrInvalidCredentials,
// apierr.ErrMFARequired, ...) and read the status, Veeam errorCode and request
// id with errors.As. The generated wire layer is in gen/vbawsapi; Raw returns
// it for anything the facade does not cover, running through the same
// pipeline. Package vbawsfake is an in-memory appliance to test against; the
// examples of this package run on it.
package vbaws
