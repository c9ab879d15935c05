package vbgc

import (
	"context"
	"errors"
	"iter"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
)

// WorkersService covers Workers (/api/v1/workers): worker labels, project, configurations and profiles.
type WorkersService struct{ service }

var errNoRegionID = errors.New("vbgc: a region id is required")

// CustomLabels returns the custom labels assigned to worker instances.
func (s *WorkersService) CustomLabels(ctx context.Context) (*vbgcapi.WorkerCustomLabelsModel, error) {
	resp, err := s.api.WorkersGetCustomLabels(ctx, &vbgcapi.WorkersGetCustomLabelsParams{XAPIVersion: s.version})
	return respond.JSON[vbgcapi.WorkerCustomLabelsModel](resp, err, decode)
}

// SetCustomLabels replaces all custom labels assigned to worker instances
// with labels; an empty list removes them all.
func (s *WorkersService) SetCustomLabels(ctx context.Context, labels []vbgcapi.TagModel) error {
	if labels == nil {
		labels = []vbgcapi.TagModel{}
	}
	resp, err := s.api.WorkersModifyCustomLabels(ctx, &vbgcapi.WorkersModifyCustomLabelsParams{XAPIVersion: s.version}, labels)
	return respond.Empty(resp, err, decode)
}

// Project returns the Google Cloud project in which worker instances are
// launched.
func (s *WorkersService) Project(ctx context.Context) (*vbgcapi.WorkerProjectModel, error) {
	resp, err := s.api.WorkersGetProject(ctx, &vbgcapi.WorkersGetProjectParams{XAPIVersion: s.version})
	return respond.JSON[vbgcapi.WorkerProjectModel](resp, err, decode)
}

// ChangeProject changes the Google Cloud project (and service account) used
// to launch worker instances and returns the new selection.
func (s *WorkersService) ChangeProject(ctx context.Context, spec vbgcapi.ConfigurationSpecV2) (*vbgcapi.WorkerProjectModel, error) {
	if spec.ProjectID == "" {
		return nil, errors.New("vbgc: ChangeProject needs a project id")
	}
	resp, err := s.api.WorkersChangeProject(ctx, &vbgcapi.WorkersChangeProjectParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbgcapi.WorkerProjectModel](resp, err, decode)
}

// Configurations returns one page of the worker configurations (network
// settings per region).
func (s *WorkersService) Configurations(ctx context.Context, opts *ListOptions) (*vbgcapi.WorkerConfigurationListModel, error) {
	q, err := opts.encode(s.version)
	if err != nil {
		return nil, err
	}
	return s.configurations(ctx, q)
}

func (s *WorkersService) configurations(ctx context.Context, q query) (*vbgcapi.WorkerConfigurationListModel, error) {
	p := vbgcapi.WorkersGetConfigurationsParams(q)
	resp, err := s.api.WorkersGetConfigurations(ctx, &p)
	return respond.JSON[vbgcapi.WorkerConfigurationListModel](resp, err, decode)
}

// AllConfigurations iterates over every worker configuration matching opts.
func (s *WorkersService) AllConfigurations(ctx context.Context, opts *ListOptions) iter.Seq2[vbgcapi.WorkerConfigurationModel, error] {
	return all(ctx, s.version, opts, func(ctx context.Context, q query) ([]vbgcapi.WorkerConfigurationModel, vbgcapi.PaginationModel, error) {
		page, err := s.configurations(ctx, q)
		if err != nil {
			return nil, vbgcapi.PaginationModel{}, err
		}
		return page.Data, page.Pagination, nil
	})
}

// AddConfiguration adds a worker configuration for a region.
func (s *WorkersService) AddConfiguration(ctx context.Context, spec vbgcapi.WorkerConfigurationSpec) (*vbgcapi.WorkerConfigurationModel, error) {
	resp, err := s.api.WorkersAddConfiguration(ctx, &vbgcapi.WorkersAddConfigurationParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbgcapi.WorkerConfigurationModel](resp, err, decode)
}

// Configuration returns one worker configuration.
func (s *WorkersService) Configuration(ctx context.Context, id uuid.UUID) (*vbgcapi.WorkerConfigurationModel, error) {
	resp, err := s.api.WorkersGetConfiguration(ctx, id, &vbgcapi.WorkersGetConfigurationParams{XAPIVersion: s.version})
	return respond.JSON[vbgcapi.WorkerConfigurationModel](resp, err, decode)
}

// UpdateConfiguration modifies a worker configuration.
func (s *WorkersService) UpdateConfiguration(ctx context.Context, id uuid.UUID, spec vbgcapi.WorkerConfigurationSpec) (*vbgcapi.WorkerConfigurationModel, error) {
	resp, err := s.api.WorkersModifyConfiguration(ctx, id, &vbgcapi.WorkersModifyConfigurationParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbgcapi.WorkerConfigurationModel](resp, err, decode)
}

// RemoveConfiguration removes a worker configuration.
func (s *WorkersService) RemoveConfiguration(ctx context.Context, id uuid.UUID) error {
	resp, err := s.api.WorkersRemoveConfiguration(ctx, id, &vbgcapi.WorkersRemoveConfigurationParams{XAPIVersion: s.version})
	return respond.Empty(resp, err, decode)
}

// Profiles returns one page of the worker profiles configured for regions.
func (s *WorkersService) Profiles(ctx context.Context, opts *ListOptions) (*vbgcapi.WorkerProfileListModel, error) {
	q, err := opts.encode(s.version)
	if err != nil {
		return nil, err
	}
	return s.profiles(ctx, q)
}

func (s *WorkersService) profiles(ctx context.Context, q query) (*vbgcapi.WorkerProfileListModel, error) {
	p := vbgcapi.WorkersGetProfilesParams(q)
	resp, err := s.api.WorkersGetProfiles(ctx, &p)
	return respond.JSON[vbgcapi.WorkerProfileListModel](resp, err, decode)
}

// AllProfiles iterates over the worker profiles of every region matching
// opts.
func (s *WorkersService) AllProfiles(ctx context.Context, opts *ListOptions) iter.Seq2[vbgcapi.WorkerProfileModel, error] {
	return all(ctx, s.version, opts, func(ctx context.Context, q query) ([]vbgcapi.WorkerProfileModel, vbgcapi.PaginationModel, error) {
		page, err := s.profiles(ctx, q)
		if err != nil {
			return nil, vbgcapi.PaginationModel{}, err
		}
		return page.Data, page.Pagination, nil
	})
}

// AddProfiles adds worker profiles for a region.
func (s *WorkersService) AddProfiles(ctx context.Context, spec vbgcapi.WorkerProfileSpec) (*vbgcapi.WorkerProfileModel, error) {
	if spec.RegionID == "" {
		return nil, errNoRegionID
	}
	resp, err := s.api.WorkersAddProfiles(ctx, &vbgcapi.WorkersAddProfilesParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbgcapi.WorkerProfileModel](resp, err, decode)
}

// DefaultProfiles returns the worker profiles used in regions that have no
// profiles of their own.
func (s *WorkersService) DefaultProfiles(ctx context.Context) (*vbgcapi.WorkerProfileModel, error) {
	resp, err := s.api.WorkersGetDefaultProfiles(ctx, &vbgcapi.WorkersGetDefaultProfilesParams{XAPIVersion: s.version})
	return respond.JSON[vbgcapi.WorkerProfileModel](resp, err, decode)
}

// RegionProfiles returns the worker profiles of a region (for example
// "us-central1").
func (s *WorkersService) RegionProfiles(ctx context.Context, regionID string) (*vbgcapi.WorkerProfileModel, error) {
	if regionID == "" {
		return nil, errNoRegionID
	}
	resp, err := s.api.WorkersGetRegionProfiles(ctx, regionID, &vbgcapi.WorkersGetRegionProfilesParams{XAPIVersion: s.version})
	return respond.JSON[vbgcapi.WorkerProfileModel](resp, err, decode)
}

// UpdateProfiles modifies the worker profiles of a region.
func (s *WorkersService) UpdateProfiles(ctx context.Context, regionID string, spec vbgcapi.WorkerProfileModifySpec) (*vbgcapi.WorkerProfileModel, error) {
	if regionID == "" {
		return nil, errNoRegionID
	}
	resp, err := s.api.WorkersModifyProfiles(ctx, regionID, &vbgcapi.WorkersModifyProfilesParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbgcapi.WorkerProfileModel](resp, err, decode)
}

// RemoveProfiles removes the worker profiles of a region, which then uses
// the default profiles.
func (s *WorkersService) RemoveProfiles(ctx context.Context, regionID string) error {
	if regionID == "" {
		return errNoRegionID
	}
	resp, err := s.api.WorkersRemoveProfiles(ctx, regionID, &vbgcapi.WorkersRemoveProfilesParams{XAPIVersion: s.version})
	return respond.Empty(resp, err, decode)
}
