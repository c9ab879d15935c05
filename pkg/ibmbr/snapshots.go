package ibmbr

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
)

// SnapshotsService covers Snapshots (/data-protect/objects/{id}/snapshots, /data-protect/snapshots): snapshots, restore points and streamed file downloads.
type SnapshotsService struct{ service }

// ListObjectSnapshotsOptions filter the snapshots of an object. The zero
// value lists all.
type ListObjectSnapshotsOptions = ibmbrapi.GetObjectSnapshotsParams

// DownloadIndexedFileOptions select the file of a snapshot that
// DownloadFile streams (FilePath) and optionally a byte range of it
// (StartOffset, Length).
type DownloadIndexedFileOptions = ibmbrapi.DownloadIndexedFileParams

// List returns the snapshots of object objectID matching opts (nil for
// all); the service answers them in one response.
func (s *SnapshotsService) List(ctx context.Context, objectID int64, opts *ListObjectSnapshotsOptions) (*ibmbrapi.GetObjectSnapshotsResponse, error) {
	if objectID <= 0 {
		return nil, fmt.Errorf("ibmbr: %w: object id %d", apierr.ErrMissingID, objectID)
	}
	p := ListObjectSnapshotsOptions{}
	if opts != nil {
		p = *opts
	}
	var err error
	if p.XIBMTenantID, err = s.tenantFor(ctx); err != nil {
		return nil, err
	}
	resp, err := s.api.GetObjectSnapshots(ctx, objectID, &p)
	return respond.JSON[ibmbrapi.GetObjectSnapshotsResponse](resp, err, decode)
}

// All iterates over the snapshots of object objectID matching opts.
func (s *SnapshotsService) All(ctx context.Context, objectID int64, opts *ListObjectSnapshotsOptions) iter.Seq2[ibmbrapi.ObjectSnapshot, error] {
	return each(func() ([]ibmbrapi.ObjectSnapshot, error) {
		r, err := s.List(ctx, objectID, opts)
		if err != nil {
			return nil, err
		}
		return r.Snapshots, nil
	})
}

// DownloadFile streams a file of an indexed snapshot (opts.FilePath names
// it). The caller must close the stream; nothing is buffered.
func (s *SnapshotsService) DownloadFile(ctx context.Context, snapshotID string, opts *DownloadIndexedFileOptions) (io.ReadCloser, error) {
	p := DownloadIndexedFileOptions{}
	if opts != nil {
		p = *opts
	}
	if err := checkRange(p.StartOffset, p.Length); err != nil {
		return nil, err
	}
	var err error
	if p.XIBMTenantID, err = s.require(ctx, snapshotID); err != nil {
		return nil, err
	}
	resp, err := s.api.DownloadIndexedFile(ctx, snapshotID, &p, acceptOctetStream)
	return respond.Stream(resp, err, decode)
}

// RestorePoints returns the full snapshots and the point-in-time ranges
// that objects of the given protection groups can be restored to between
// req.StartTimeUsecs and req.EndTimeUsecs.
func (s *SnapshotsService) RestorePoints(ctx context.Context, req ibmbrapi.GetRestorePointsInTimeRangeParamsBody) (*ibmbrapi.GetRestorePointsInTimeRangeResponse, error) {
	if req.Environment == "" {
		return nil, errors.New("ibmbr: restore points need an environment")
	}
	if len(req.ProtectionGroupIDs) == 0 {
		return nil, errors.New("ibmbr: restore points need at least one protection group id")
	}
	if req.EndTimeUsecs < req.StartTimeUsecs {
		return nil, errors.New("ibmbr: restore points: the time range ends before it starts")
	}
	tenant, err := s.tenantFor(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.GetRestorePointsInTimeRange(ctx, &ibmbrapi.GetRestorePointsInTimeRangeParams{XIBMTenantID: tenant}, req)
	return respond.JSON[ibmbrapi.GetRestorePointsInTimeRangeResponse](resp, err, decode)
}
