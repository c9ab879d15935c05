package ibmbr

import (
	"context"
	"errors"
	"io"
	"iter"
	"net/http"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
)

// RecoveriesService covers Recoveries (/data-protect/recoveries), including the streamed download of recovered files.
type RecoveriesService struct{ service }

// ListRecoveriesOptions filter the recoveries list. The zero value lists all.
type ListRecoveriesOptions = ibmbrapi.GetRecoveriesParams

// DownloadRecoveryFilesOptions select what DownloadFiles streams: a byte
// range (StartOffset, Length), a file type, a source name. The zero value
// downloads everything.
type DownloadRecoveryFilesOptions = ibmbrapi.DownloadFilesFromRecoveryParams

// List returns the recoveries matching opts (nil for all); the service
// answers them in one response.
func (s *RecoveriesService) List(ctx context.Context, opts *ListRecoveriesOptions) (*ibmbrapi.RecoveriesResponse, error) {
	p := ListRecoveriesOptions{}
	if opts != nil {
		p = *opts
	}
	var err error
	if p.XIBMTenantID, err = s.tenantFor(ctx); err != nil {
		return nil, err
	}
	resp, err := s.api.GetRecoveries(ctx, &p)
	return respond.JSON[ibmbrapi.RecoveriesResponse](resp, err, decode)
}

// All iterates over the recoveries matching opts.
func (s *RecoveriesService) All(ctx context.Context, opts *ListRecoveriesOptions) iter.Seq2[ibmbrapi.Recovery, error] {
	return each(func() ([]ibmbrapi.Recovery, error) {
		r, err := s.List(ctx, opts)
		if err != nil {
			return nil, err
		}
		return r.Recoveries, nil
	})
}

// Get returns a recovery, whose Status tells how far it got.
func (s *RecoveriesService) Get(ctx context.Context, id string) (*ibmbrapi.Recovery, error) {
	tenant, err := s.require(ctx, id)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.GetRecoveryByID(ctx, id, &ibmbrapi.GetRecoveryByIDParams{XIBMTenantID: tenant})
	return respond.JSON[ibmbrapi.Recovery](resp, err, decode)
}

// Create starts a recovery.
func (s *RecoveriesService) Create(ctx context.Context, req ibmbrapi.CreateRecoveryRequest) (*ibmbrapi.Recovery, error) {
	if req.Name == "" {
		return nil, errors.New("ibmbr: a recovery needs a name")
	}
	if req.SnapshotEnvironment == "" {
		return nil, errors.New("ibmbr: a recovery needs a snapshot environment")
	}
	tenant, err := s.tenantFor(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.CreateRecovery(ctx, &ibmbrapi.CreateRecoveryParams{XIBMTenantID: tenant}, req)
	return respond.JSON[ibmbrapi.Recovery](resp, err, decode)
}

// CreateDownloadFilesAndFolders starts a recovery that gathers files and
// folders of a snapshot for download; once it has succeeded, DownloadFiles
// streams them.
func (s *RecoveriesService) CreateDownloadFilesAndFolders(ctx context.Context, req ibmbrapi.DownloadFilesAndFoldersRequestParams) (*ibmbrapi.Recovery, error) {
	if req.Name == "" {
		return nil, errors.New("ibmbr: a recovery needs a name")
	}
	if req.Object.SnapshotID == "" {
		return nil, errors.New("ibmbr: a files and folders download needs the snapshot id of its object")
	}
	if len(req.FilesAndFolders) == 0 {
		return nil, errors.New("ibmbr: a files and folders download needs at least one file or folder")
	}
	tenant, err := s.tenantFor(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.CreateDownloadFilesAndFoldersRecovery(ctx,
		&ibmbrapi.CreateDownloadFilesAndFoldersRecoveryParams{XIBMTenantID: tenant}, req)
	return respond.JSON[ibmbrapi.Recovery](resp, err, decode)
}

// DownloadFiles streams the files of recovery id (opts may be nil). The
// caller must close the stream; nothing is buffered.
func (s *RecoveriesService) DownloadFiles(ctx context.Context, id string, opts *DownloadRecoveryFilesOptions) (io.ReadCloser, error) {
	p := DownloadRecoveryFilesOptions{}
	if opts != nil {
		p = *opts
	}
	if err := checkRange(p.StartOffset, p.Length); err != nil {
		return nil, err
	}
	var err error
	if p.XIBMTenantID, err = s.require(ctx, id); err != nil {
		return nil, err
	}
	resp, err := s.api.DownloadFilesFromRecovery(ctx, id, &p, acceptOctetStream)
	return respond.Stream(resp, err, decode)
}

// acceptOctetStream asks for the binary body of a download.
func acceptOctetStream(_ context.Context, req *http.Request) error {
	req.Header.Set("Accept", "application/octet-stream")
	return nil
}

// checkRange refuses a negative byte range of a download.
func checkRange(offset, length *int64) error {
	if offset != nil && *offset < 0 {
		return errors.New("ibmbr: negative download start offset")
	}
	if length != nil && *length < 0 {
		return errors.New("ibmbr: negative download length")
	}
	return nil
}
