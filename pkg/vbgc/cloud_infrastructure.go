package vbgc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
)

// CloudInfrastructureService covers Cloud Infrastructure (/api/v1/cloudInfrastructure): the folders and projects of the Google Cloud resource hierarchy and the service account permissions on them.
type CloudInfrastructureService struct{ service }

// List returns one page of the infrastructure objects (folders and
// projects) added to the configuration database.
func (s *CloudInfrastructureService) List(ctx context.Context, opts *ListOptions) (*vbgcapi.CloudInfrastructureObjectListModel, error) {
	return ciPage[vbgcapi.CloudInfrastructureObjectListModel](ctx, s.version, opts, s.list)
}

func (s *CloudInfrastructureService) list(ctx context.Context, q query) (*http.Response, error) {
	p := vbgcapi.CloudInfrastructureGetAllParams(q)
	return s.api.CloudInfrastructureGetAll(ctx, &p)
}

// All iterates over every infrastructure object matching opts.
func (s *CloudInfrastructureService) All(ctx context.Context, opts *ListOptions) iter.Seq2[vbgcapi.CloudInfrastructureObjectItemModel, error] {
	return ciAll(ctx, s.version, opts, s.list, func(l *vbgcapi.CloudInfrastructureObjectListModel) ([]vbgcapi.CloudInfrastructureObjectItemModel, vbgcapi.PaginationModel) {
		return l.Data, l.Pagination
	})
}

// AddFolder adds a folder that exists in Google Cloud, with the service
// accounts that access it, and returns the added object.
func (s *CloudInfrastructureService) AddFolder(ctx context.Context, spec vbgcapi.CloudInfrastructureFolderSpec) (*vbgcapi.CloudInfrastructureObjectItemModel, error) {
	if err := ciFolderID(spec.FolderID); err != nil {
		return nil, err
	}
	if len(spec.Accounts) == 0 {
		return nil, errNoAccounts
	}
	resp, err := s.api.CloudInfrastructureAddFolder(ctx, &vbgcapi.CloudInfrastructureAddFolderParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbgcapi.CloudInfrastructureObjectItemModel](resp, err, decode)
}

// FolderPermissions returns the service accounts that access an added
// folder (numeric Google Cloud folder ID) and what they are used for.
func (s *CloudInfrastructureService) FolderPermissions(ctx context.Context, folderID string) (*vbgcapi.CloudInfrastructureObjectAccessModel, error) {
	if err := ciFolderID(folderID); err != nil {
		return nil, err
	}
	resp, err := s.api.CloudInfrastructureGetFolderPermissions(ctx, folderID, &vbgcapi.CloudInfrastructureGetFolderPermissionsParams{XAPIVersion: s.version})
	return respond.JSON[vbgcapi.CloudInfrastructureObjectAccessModel](resp, err, decode)
}

// SetFolderPermissions replaces the service accounts of an added folder and
// their permissions, and returns the new set.
func (s *CloudInfrastructureService) SetFolderPermissions(ctx context.Context, folderID string, spec vbgcapi.CloudInfrastructureObjectAccessSpec) (*vbgcapi.CloudInfrastructureObjectAccessModel, error) {
	if err := ciFolderID(folderID); err != nil {
		return nil, err
	}
	if len(spec.Accounts) == 0 {
		return nil, errNoAccounts
	}
	resp, err := s.api.CloudInfrastructureModifyFolderPermissions(ctx, folderID, &vbgcapi.CloudInfrastructureModifyFolderPermissionsParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbgcapi.CloudInfrastructureObjectAccessModel](resp, err, decode)
}

// RemoveFolder removes a folder from the configuration database.
func (s *CloudInfrastructureService) RemoveFolder(ctx context.Context, folderID string) error {
	if err := ciFolderID(folderID); err != nil {
		return err
	}
	resp, err := s.api.CloudInfrastructureRemoveFolder(ctx, folderID, &vbgcapi.CloudInfrastructureRemoveFolderParams{XAPIVersion: s.version})
	return respond.Empty(resp, err, decode)
}

// AddProject adds a project that exists in Google Cloud, with the service
// accounts that access it, and returns the added object.
func (s *CloudInfrastructureService) AddProject(ctx context.Context, spec vbgcapi.CloudInfrastructureProjectSpec) (*vbgcapi.CloudInfrastructureObjectItemModel, error) {
	if err := ciRequire("project ID", spec.ProjectID); err != nil {
		return nil, err
	}
	if len(spec.Accounts) == 0 {
		return nil, errNoAccounts
	}
	resp, err := s.api.CloudInfrastructureAddProject(ctx, &vbgcapi.CloudInfrastructureAddProjectParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbgcapi.CloudInfrastructureObjectItemModel](resp, err, decode)
}

// ProjectPermissions returns the service accounts that access an added
// project and what they are used for.
func (s *CloudInfrastructureService) ProjectPermissions(ctx context.Context, projectID string) (*vbgcapi.CloudInfrastructureObjectAccessModel, error) {
	if err := ciRequire("project ID", projectID); err != nil {
		return nil, err
	}
	resp, err := s.api.CloudInfrastructureGetProjectPermissions(ctx, projectID, &vbgcapi.CloudInfrastructureGetProjectPermissionsParams{XAPIVersion: s.version})
	return respond.JSON[vbgcapi.CloudInfrastructureObjectAccessModel](resp, err, decode)
}

// SetProjectPermissions replaces the service accounts of an added project
// and their permissions, and returns the new set.
func (s *CloudInfrastructureService) SetProjectPermissions(ctx context.Context, projectID string, spec vbgcapi.CloudInfrastructureObjectAccessSpec) (*vbgcapi.CloudInfrastructureObjectAccessModel, error) {
	if err := ciRequire("project ID", projectID); err != nil {
		return nil, err
	}
	if len(spec.Accounts) == 0 {
		return nil, errNoAccounts
	}
	resp, err := s.api.CloudInfrastructureModifyProjectPermissions(ctx, projectID, &vbgcapi.CloudInfrastructureModifyProjectPermissionsParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbgcapi.CloudInfrastructureObjectAccessModel](resp, err, decode)
}

// RemoveProject removes a project from the configuration database.
func (s *CloudInfrastructureService) RemoveProject(ctx context.Context, projectID string) error {
	if err := ciRequire("project ID", projectID); err != nil {
		return err
	}
	resp, err := s.api.CloudInfrastructureRemoveProject(ctx, projectID, &vbgcapi.CloudInfrastructureRemoveProjectParams{XAPIVersion: s.version})
	return respond.Empty(resp, err, decode)
}

// GeneratePermissionsScript streams a script that grants a service account
// the permissions the selected operations need in a project or folder. The
// caller closes the reader.
func (s *CloudInfrastructureService) GeneratePermissionsScript(ctx context.Context, spec vbgcapi.DownloadServiceAccountScriptSpec) (io.ReadCloser, error) {
	if err := ciRequire("service account ID", spec.ServiceAccountID); err != nil {
		return nil, err
	}
	if spec.FolderID != nil {
		if err := ciFolderID(*spec.FolderID); err != nil {
			return nil, err
		}
	}
	resp, err := s.api.CloudInfrastructureGeneratePermissionsScript(ctx, &vbgcapi.CloudInfrastructureGeneratePermissionsScriptParams{XAPIVersion: s.version},
		spec, accept("application/octet-stream"))
	return respond.Stream(resp, err, decode)
}

// Subfolders returns one page of the Google Cloud subfolders of a folder.
func (s *CloudInfrastructureService) Subfolders(ctx context.Context, folderID string, opts *ListOptions) (*vbgcapi.CloudInfrastructureFolderListModel, error) {
	if err := ciFolderID(folderID); err != nil {
		return nil, err
	}
	return ciPage[vbgcapi.CloudInfrastructureFolderListModel](ctx, s.version, opts, s.subfolders(folderID))
}

func (s *CloudInfrastructureService) subfolders(folderID string) ciCall {
	return func(ctx context.Context, q query) (*http.Response, error) {
		p := vbgcapi.CloudInfrastructureGetSubfoldersParams(q)
		return s.api.CloudInfrastructureGetSubfolders(ctx, folderID, &p)
	}
}

// AllSubfolders iterates over every Google Cloud subfolder of a folder.
func (s *CloudInfrastructureService) AllSubfolders(ctx context.Context, folderID string, opts *ListOptions) iter.Seq2[vbgcapi.CloudInfrastructureFolderModel, error] {
	if err := ciFolderID(folderID); err != nil {
		return ciFail[vbgcapi.CloudInfrastructureFolderModel](err)
	}
	return ciAll(ctx, s.version, opts, s.subfolders(folderID), func(l *vbgcapi.CloudInfrastructureFolderListModel) ([]vbgcapi.CloudInfrastructureFolderModel, vbgcapi.PaginationModel) {
		return l.Data, l.Pagination
	})
}

// errNoAccounts refuses a spec without service accounts, which the API
// requires (at least one).
var errNoAccounts = errors.New("vbgc: at least one service account is required")

// ciCall sends one page request of a list operation whose other arguments
// are already bound.
type ciCall = func(ctx context.Context, q query) (*http.Response, error)

// ciPage encodes opts, fetches one page with call and decodes it as L.
func ciPage[L any](ctx context.Context, version string, opts *ListOptions, call ciCall) (*L, error) {
	q, err := opts.encode(version)
	if err != nil {
		return nil, err
	}
	resp, err := call(ctx, q)
	return respond.JSON[L](resp, err, decode)
}

// ciAll iterates over every item of a list operation; items picks the data
// and pagination out of a decoded page.
func ciAll[L, T any](ctx context.Context, version string, opts *ListOptions, call ciCall, items func(*L) ([]T, vbgcapi.PaginationModel)) iter.Seq2[T, error] {
	return all(ctx, version, opts, func(ctx context.Context, q query) ([]T, vbgcapi.PaginationModel, error) {
		resp, err := call(ctx, q)
		page, err := respond.JSON[L](resp, err, decode)
		if err != nil {
			return nil, vbgcapi.PaginationModel{}, err
		}
		data, pg := items(page)
		return data, pg, nil
	})
}

// ciFail is an iterator that yields only err.
func ciFail[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

// ciRequire refuses an empty required string argument.
func ciRequire(what, v string) error {
	if v == "" {
		return fmt.Errorf("vbgc: %s must not be empty", what)
	}
	return nil
}

// ciFolderID refuses a folder ID that is not the numeric Google Cloud ID
// the API requires.
func ciFolderID(id string) error {
	if id == "" {
		return errors.New("vbgc: folder ID must not be empty")
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return fmt.Errorf("vbgc: folder ID %q is not a numeric Google Cloud folder ID", id)
		}
	}
	return nil
}
