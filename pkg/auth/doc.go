// Package auth holds what every backupsdk client authenticates with: the
// Credential interface and the TokenRequest a client passes it, the Token a
// credential obtains, the one cache for expiring tokens, and the Veeam
// /token grants of Veeam Backup for AWS and Veeam Backup for Google Cloud.
//
// Every NewClient takes an auth.Credential. The built-in ones are
// Password, RefreshToken and AuthorizationCode (Veeam Backup for AWS and
// Google Cloud; vbaws and vbgc have shortcuts with the same names plus
// "Credentials"), vbem.BasicCredentials (Enterprise Manager), ibmbr.APIKey
// and ibmbr.BearerToken (IBM Cloud), and StaticToken (a token obtained
// elsewhere, any product). WithMFA supplies the second factor when a Veeam
// appliance asks for one:
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
// A program can implement Credential itself (see the example): GetToken
// gets the client's product, endpoint, API version, HTTP pipeline without
// the auth link, and previous token, and returns a Token. Implementing
// Validator and ProductValidator as well lets NewClient refuse a credential
// that cannot work, or one meant for another product, before any request.
//
// Underneath, each client keeps its token in one Cache: one acquisition at
// a time for any number of goroutines, a background refresh at a jittered
// point ahead of expiry while callers keep using the current token, a
// growing backoff after a failed acquisition (during which Get returns the
// failure as a *BackoffError without a new request), and Invalidate after a
// 401 so the transport's auth link re-authenticates exactly once.
// CacheOptions, given through option.WithCredentialCache, tune its timing.
package auth
