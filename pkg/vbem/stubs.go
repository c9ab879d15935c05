package vbem

import "errors"

// AccountsService covers accounts and their restore scopes
// (/api/security/accounts).
type AccountsService struct{ service }

// BackupServersService covers /api/backupServers.
type BackupServersService struct{ service }

// PasswordsService covers the encryption passwords of backup servers
// (/api/backupServers/{id}/passwords).
type PasswordsService struct{ service }

// QueryService covers the query service (/api/query, /api/querySvc).
type QueryService struct{ service }

// ErrMissingID is returned, before any request, for an empty id.
var ErrMissingID = errors.New("vbem: empty id")

func requireIDs(ids ...string) error {
	for _, id := range ids {
		if id == "" {
			return ErrMissingID
		}
	}
	return nil
}
