package vbem

import (
	"context"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
)

// BackupServersService covers /api/backupServers.
type BackupServersService struct{ service }

// BackupServerOptions tune the backup server reads.
type BackupServerOptions struct {
	// Entity asks for the entity (format=Entity: Description, Port,
	// Version, ...) instead of the reference.
	Entity bool
}

// List lists the backup servers Enterprise Manager manages, as
// references (Type BackupServerReference). The id of a server for the other
// calls is IDFromHref of its Href.
func (s *BackupServersService) List(ctx context.Context, opts *BackupServerOptions) (*vbemapi.BackupServers, error) {
	params := &vbemapi.GetBackupServersParams{}
	if opts != nil && opts.Entity {
		f := vbemapi.GetBackupServersParamsFormatEntity
		params.Format = &f
	}
	resp, err := s.api.GetBackupServers(ctx, params, s.accept())
	return decodeAs[vbemapi.BackupServers](resp, err)
}

// Get returns a backup server by its id (GUID): the reference,
// or with opts.Entity the entity.
func (s *BackupServersService) Get(ctx context.Context, backupServerID string, opts *BackupServerOptions) (*vbemapi.BackupServer, error) {
	if err := requireIDs(backupServerID); err != nil {
		return nil, err
	}
	params := &vbemapi.GetBackupServerParams{}
	if opts != nil && opts.Entity {
		f := vbemapi.GetBackupServerParamsFormatEntity
		params.Format = &f
	}
	resp, err := s.api.GetBackupServer(ctx, backupServerID, params, s.accept())
	return decodeAs[vbemapi.BackupServer](resp, err)
}
