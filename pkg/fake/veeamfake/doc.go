// Package veeamfake holds what the fakes of the Veeam cloud backup products
// (Backup for AWS, Backup for Google Cloud) share: the /token endpoint with
// password, refresh, MFA and authorization-code grants, expiry and logout
// revocation; bearer checks; and the Veeam problem body for errors.
//
// Tests reach it through the Tokens field of vbawsfake.Fake and
// vbgcfake.Fake, to change what the appliance does to tokens and to check
// what the client asked for:
//
//	srv, _ := vbawsfake.Start()
//	// ... the client logs in ...
//	srv.Tokens.ExpireAll()           // every access token issued so far is now expired
//	srv.Tokens.RevokeRefreshTokens() // and every refresh token is refused
//	_, err := c.Organizations.List(ctx, nil) // succeeds after a new login
//	fmt.Println(srv.Tokens.Requests())
//	// map[password:2 refresh_token:1]: the first login, the refused
//	// refresh, the second login
//
// Tokens.RequireMFA makes password logins answer 202 with an mfa_token, as an
// appliance does for a user with multi-factor authentication; the product
// fakes' WithMFA options call it. IssueAuthorizationCode backs the
// authorization-code grant of Veeam Backup for Google Cloud.
//
// WriteError and WriteJSONError write the Veeam problem body (errorCode,
// details, RFC 7807 members) as application/problem+json (Backup for AWS) or
// application/json (Backup for Google Cloud); both are fake.ErrorWriters.
// WriteJSON writes a success body.
package veeamfake
