// Package auth holds the credential machinery every backupsdk product shares:
// the one cache for expiring credentials (tokens, session ids), the OAuth-like
// Token, the transport Authorizer built on the cache, and the Veeam /token
// grants used by Veeam Backup for AWS and Veeam Backup for Google Cloud.
//
// Most programs use this package only to say how a Veeam cloud client logs
// in. Password, RefreshToken and AuthorizationCode build Credentials, and
// WithMFA supplies the second factor when the appliance asks for one:
//
//	creds := auth.Password("admin", os.Getenv("VBAWS_PASSWORD"),
//		auth.WithMFA(func(ctx context.Context) (string, error) {
//			return promptTOTP(ctx) // the current code of the user's authenticator
//		}))
//	c, err := vbaws.NewClient(endpoint, creds) // vbaws.PasswordCredentials is the same call
//
// The client logs in on its first call (or on Login). A password login the
// server answers with 202 calls the MFA callback and posts grant_type=mfa;
// without a callback the error matches apierr.ErrMFARequired. A refused login
// matches apierr.ErrInvalidCredentials. Credentials and Token print without
// their secrets with any fmt verb and in slog.
//
// Underneath, Cache holds one expiring value for any number of goroutines:
// one acquisition at a time, a background refresh at a jittered point ahead
// of expiry while callers keep using the current value, a growing backoff
// after a failed acquisition (during which Get returns the failure as a
// *BackoffError without a new request), and Invalidate after a 401 so the
// transport's auth link re-authenticates exactly once. For Veeam tokens the
// acquisition is VeeamTokens.Login, which tries the refresh token before a
// new password login (NewVeeamCache, BearerAuthorizer). Enterprise Manager
// (session ids) and IBM Cloud (IAM tokens) reuse Cache with their own
// acquire functions; CacheOptions, given through option.WithCredentialCache,
// tune its timing.
package auth
