package vbgc

import (
	"context"
	"errors"
	"iter"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
)

// SQLInstancesService covers SQL Instances (/api/v1/sqlInstances): Cloud SQL instances, their restore points, sessions, snapshots and databases.
type SQLInstancesService struct{ service }

var (
	errNoInstanceID    = errors.New("vbgc: a Cloud SQL instance id is required")
	errNoProjectOrName = errors.New("vbgc: a project id and a Cloud SQL instance name are required")
)

// List returns one page of the Cloud SQL instances discovered.
func (s *SQLInstancesService) List(ctx context.Context, opts *ListOptions) (*vbgcapi.SQLInstanceListModel, error) {
	q, err := opts.encode(s.version)
	if err != nil {
		return nil, err
	}
	return s.list(ctx, q)
}

func (s *SQLInstancesService) list(ctx context.Context, q query) (*vbgcapi.SQLInstanceListModel, error) {
	p := vbgcapi.SQLInstancesGetAllParams(q)
	resp, err := s.api.SQLInstancesGetAll(ctx, &p)
	return respond.JSON[vbgcapi.SQLInstanceListModel](resp, err, decode)
}

// All iterates over every Cloud SQL instance matching opts.
func (s *SQLInstancesService) All(ctx context.Context, opts *ListOptions) iter.Seq2[vbgcapi.SQLInstanceModel, error] {
	return all(ctx, s.version, opts, func(ctx context.Context, q query) ([]vbgcapi.SQLInstanceModel, vbgcapi.PaginationModel, error) {
		page, err := s.list(ctx, q)
		if err != nil {
			return nil, vbgcapi.PaginationModel{}, err
		}
		return page.Data, page.Pagination, nil
	})
}

// Get returns one Cloud SQL instance by its id (the id member of
// SqlInstanceModel).
func (s *SQLInstancesService) Get(ctx context.Context, instanceID string) (*vbgcapi.SQLInstanceModel, error) {
	if instanceID == "" {
		return nil, errNoInstanceID
	}
	resp, err := s.api.SQLInstancesGet(ctx, instanceID, &vbgcapi.SQLInstancesGetParams{XAPIVersion: s.version})
	return respond.JSON[vbgcapi.SQLInstanceModel](resp, err, decode)
}

// RestorePoints returns one page of the restore points of the Cloud SQL
// instance instanceName in project projectID.
func (s *SQLInstancesService) RestorePoints(ctx context.Context, projectID, instanceName string, opts *ListOptions) (*vbgcapi.SQLInstanceRestorePointListModel, error) {
	if projectID == "" || instanceName == "" {
		return nil, errNoProjectOrName
	}
	q, err := opts.encode(s.version)
	if err != nil {
		return nil, err
	}
	return s.restorePoints(ctx, projectID, instanceName, q)
}

func (s *SQLInstancesService) restorePoints(ctx context.Context, projectID, instanceName string, q query) (*vbgcapi.SQLInstanceRestorePointListModel, error) {
	p := vbgcapi.SQLInstancesGetRestorePointsParams(q)
	resp, err := s.api.SQLInstancesGetRestorePoints(ctx, projectID, instanceName, &p)
	return respond.JSON[vbgcapi.SQLInstanceRestorePointListModel](resp, err, decode)
}

// AllRestorePoints iterates over every restore point of the Cloud SQL
// instance instanceName in project projectID.
func (s *SQLInstancesService) AllRestorePoints(ctx context.Context, projectID, instanceName string, opts *ListOptions) iter.Seq2[vbgcapi.SQLInstanceRestorePointModel, error] {
	return all(ctx, s.version, opts, func(ctx context.Context, q query) ([]vbgcapi.SQLInstanceRestorePointModel, vbgcapi.PaginationModel, error) {
		if projectID == "" || instanceName == "" {
			return nil, vbgcapi.PaginationModel{}, errNoProjectOrName
		}
		page, err := s.restorePoints(ctx, projectID, instanceName, q)
		if err != nil {
			return nil, vbgcapi.PaginationModel{}, err
		}
		return page.Data, page.Pagination, nil
	})
}

// DeleteRestorePoints removes the restore points of a Cloud SQL instance.
func (s *SQLInstancesService) DeleteRestorePoints(ctx context.Context, instanceID string) error {
	if instanceID == "" {
		return errNoInstanceID
	}
	resp, err := s.api.SQLInstancesDeleteRestorePoints(ctx, instanceID, &vbgcapi.SQLInstancesDeleteRestorePointsParams{XAPIVersion: s.version})
	return respond.Empty(resp, err, decode)
}

// Sessions returns one page of the sessions that processed a Cloud SQL
// instance.
func (s *SQLInstancesService) Sessions(ctx context.Context, instanceID string, opts *ListOptions) (*vbgcapi.SessionsInfoListModel, error) {
	if instanceID == "" {
		return nil, errNoInstanceID
	}
	q, err := opts.encode(s.version)
	if err != nil {
		return nil, err
	}
	return s.sessions(ctx, instanceID, q)
}

func (s *SQLInstancesService) sessions(ctx context.Context, instanceID string, q query) (*vbgcapi.SessionsInfoListModel, error) {
	p := vbgcapi.SQLInstancesGetSessionsParams(q)
	resp, err := s.api.SQLInstancesGetSessions(ctx, instanceID, &p)
	return respond.JSON[vbgcapi.SessionsInfoListModel](resp, err, decode)
}

// AllSessions iterates over every session that processed a Cloud SQL
// instance.
func (s *SQLInstancesService) AllSessions(ctx context.Context, instanceID string, opts *ListOptions) iter.Seq2[vbgcapi.SessionInfoItemModel, error] {
	return all(ctx, s.version, opts, sessionsPage(func(ctx context.Context, q query) (*vbgcapi.SessionsInfoListModel, error) {
		if instanceID == "" {
			return nil, errNoInstanceID
		}
		return s.sessions(ctx, instanceID, q)
	}))
}

// TakeSnapshot starts a manual snapshot of a Cloud SQL instance and returns
// its session; follow it with Sessions.Wait.
func (s *SQLInstancesService) TakeSnapshot(ctx context.Context, instanceID string, spec vbgcapi.SQLInstanceSnapshotSpec) (*vbgcapi.SessionIDModel, error) {
	if instanceID == "" {
		return nil, errNoInstanceID
	}
	resp, err := s.api.SQLInstancesTakeSnapshot(ctx, instanceID, &vbgcapi.SQLInstancesTakeSnapshotParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbgcapi.SessionIDModel](resp, err, decode)
}

// Databases returns one page of the databases hosted on a Cloud SQL
// instance.
func (s *SQLInstancesService) Databases(ctx context.Context, instanceID string, opts *ListOptions) (*vbgcapi.SQLInstanceDatabaseListModel, error) {
	if instanceID == "" {
		return nil, errNoInstanceID
	}
	q, err := opts.encode(s.version)
	if err != nil {
		return nil, err
	}
	return s.databases(ctx, instanceID, q)
}

func (s *SQLInstancesService) databases(ctx context.Context, instanceID string, q query) (*vbgcapi.SQLInstanceDatabaseListModel, error) {
	p := vbgcapi.SQLInstancesGetDatabasesParams(q)
	resp, err := s.api.SQLInstancesGetDatabases(ctx, instanceID, &p)
	return respond.JSON[vbgcapi.SQLInstanceDatabaseListModel](resp, err, decode)
}

// AllDatabases iterates over every database hosted on a Cloud SQL
// instance.
func (s *SQLInstancesService) AllDatabases(ctx context.Context, instanceID string, opts *ListOptions) iter.Seq2[vbgcapi.SQLInstanceDatabaseModel, error] {
	return all(ctx, s.version, opts, func(ctx context.Context, q query) ([]vbgcapi.SQLInstanceDatabaseModel, vbgcapi.PaginationModel, error) {
		if instanceID == "" {
			return nil, vbgcapi.PaginationModel{}, errNoInstanceID
		}
		page, err := s.databases(ctx, instanceID, q)
		if err != nil {
			return nil, vbgcapi.PaginationModel{}, err
		}
		return page.Data, page.Pagination, nil
	})
}

// Rescan starts rescanning the Google Cloud infrastructure for Cloud SQL
// instances and returns its session; follow it with Sessions.Wait.
func (s *SQLInstancesService) Rescan(ctx context.Context) (*vbgcapi.SessionIDModel, error) {
	resp, err := s.api.SQLInstancesRescan(ctx, &vbgcapi.SQLInstancesRescanParams{XAPIVersion: s.version})
	return respond.JSON[vbgcapi.SessionIDModel](resp, err, decode)
}
