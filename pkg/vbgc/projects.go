package vbgc

import (
	"context"
	"io"
	"iter"
	"net/http"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
)

// ProjectsService covers Projects (/api/v1/projects): projects, their regions, zones, machine types, encryption keys, service accounts and HMAC keys.
type ProjectsService struct{ service }

// List returns one page of the projects added to the configuration
// database. The API marks it deprecated in favour of
// CloudInfrastructure.List.
func (s *ProjectsService) List(ctx context.Context, opts *ListOptions) (*vbgcapi.ProjectListModel, error) {
	return ciPage[vbgcapi.ProjectListModel](ctx, s.version, opts, s.list)
}

func (s *ProjectsService) list(ctx context.Context, q query) (*http.Response, error) {
	p := vbgcapi.ProjectsGetAllParams(q)
	return s.api.ProjectsGetAll(ctx, &p) //nolint:staticcheck // deprecated upstream, still served; the facade says so
}

// All iterates over every project matching opts.
func (s *ProjectsService) All(ctx context.Context, opts *ListOptions) iter.Seq2[vbgcapi.ProjectModel, error] {
	return ciAll(ctx, s.version, opts, s.list, func(l *vbgcapi.ProjectListModel) ([]vbgcapi.ProjectModel, vbgcapi.PaginationModel) {
		return l.Data, l.Pagination
	})
}

// Add adds a project with the service accounts that access it. The API
// marks it deprecated in favour of CloudInfrastructure.AddProject.
func (s *ProjectsService) Add(ctx context.Context, spec vbgcapi.ProjectSpec) (*vbgcapi.ProjectModel, error) {
	if err := ciRequire("project ID", spec.ProjectID); err != nil {
		return nil, err
	}
	if len(spec.ServiceAccountIDs) == 0 {
		return nil, errNoAccounts
	}
	resp, err := s.api.ProjectsAdd(ctx, &vbgcapi.ProjectsAddParams{XAPIVersion: s.version}, spec) //nolint:staticcheck // deprecated upstream, still served; the facade says so
	return respond.JSON[vbgcapi.ProjectModel](resp, err, decode)
}

// Get returns an added project by its Google Cloud project ID.
func (s *ProjectsService) Get(ctx context.Context, projectID string) (*vbgcapi.ProjectModel, error) {
	if err := ciRequire("project ID", projectID); err != nil {
		return nil, err
	}
	resp, err := s.api.ProjectsGet(ctx, projectID, &vbgcapi.ProjectsGetParams{XAPIVersion: s.version})
	return respond.JSON[vbgcapi.ProjectModel](resp, err, decode)
}

// Update replaces the service accounts of an added project and returns the
// project.
func (s *ProjectsService) Update(ctx context.Context, projectID string, spec vbgcapi.ProjectUpdateSpec) (*vbgcapi.ProjectModel, error) {
	if err := ciRequire("project ID", projectID); err != nil {
		return nil, err
	}
	if len(spec.ServiceAccountIDs) == 0 {
		return nil, errNoAccounts
	}
	resp, err := s.api.ProjectsModify(ctx, projectID, &vbgcapi.ProjectsModifyParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbgcapi.ProjectModel](resp, err, decode)
}

// Remove removes a project from the configuration database.
func (s *ProjectsService) Remove(ctx context.Context, projectID string) error {
	if err := ciRequire("project ID", projectID); err != nil {
		return err
	}
	resp, err := s.api.ProjectsRemove(ctx, projectID, &vbgcapi.ProjectsRemoveParams{XAPIVersion: s.version})
	return respond.Empty(resp, err, decode)
}

// Cmeks returns one page of the customer-managed encryption keys available
// in a project.
func (s *ProjectsService) Cmeks(ctx context.Context, projectID string, opts *ListOptions) (*vbgcapi.ProjectCMEKListModel, error) {
	if err := ciRequire("project ID", projectID); err != nil {
		return nil, err
	}
	return ciPage[vbgcapi.ProjectCMEKListModel](ctx, s.version, opts, s.cmeks(projectID))
}

func (s *ProjectsService) cmeks(projectID string) ciCall {
	return func(ctx context.Context, q query) (*http.Response, error) {
		p := vbgcapi.ProjectsGetCmeksParams(q)
		return s.api.ProjectsGetCmeks(ctx, projectID, &p)
	}
}

// AllCmeks iterates over every customer-managed encryption key of a
// project.
func (s *ProjectsService) AllCmeks(ctx context.Context, projectID string, opts *ListOptions) iter.Seq2[vbgcapi.ProjectCMEKModel, error] {
	if err := ciRequire("project ID", projectID); err != nil {
		return ciFail[vbgcapi.ProjectCMEKModel](err)
	}
	return ciAll(ctx, s.version, opts, s.cmeks(projectID), projCmekItems)
}

func projCmekItems(l *vbgcapi.ProjectCMEKListModel) ([]vbgcapi.ProjectCMEKModel, vbgcapi.PaginationModel) {
	return l.Data, l.Pagination
}

// RegionCmeks returns one page of the customer-managed encryption keys
// available in a region of a project.
func (s *ProjectsService) RegionCmeks(ctx context.Context, projectID, regionID string, opts *ListOptions) (*vbgcapi.ProjectCMEKListModel, error) {
	if err := projRequire("region ID", projectID, regionID); err != nil {
		return nil, err
	}
	return ciPage[vbgcapi.ProjectCMEKListModel](ctx, s.version, opts, s.regionCmeks(projectID, regionID))
}

func (s *ProjectsService) regionCmeks(projectID, regionID string) ciCall {
	return func(ctx context.Context, q query) (*http.Response, error) {
		p := vbgcapi.ProjectsGetRegionCmeksParams(q)
		return s.api.ProjectsGetRegionCmeks(ctx, projectID, regionID, &p)
	}
}

// AllRegionCmeks iterates over every customer-managed encryption key of a
// region of a project.
func (s *ProjectsService) AllRegionCmeks(ctx context.Context, projectID, regionID string, opts *ListOptions) iter.Seq2[vbgcapi.ProjectCMEKModel, error] {
	if err := projRequire("region ID", projectID, regionID); err != nil {
		return ciFail[vbgcapi.ProjectCMEKModel](err)
	}
	return ciAll(ctx, s.version, opts, s.regionCmeks(projectID, regionID), projCmekItems)
}

// Regions returns one page of the Google Cloud regions available in a
// project.
func (s *ProjectsService) Regions(ctx context.Context, projectID string, opts *ListOptions) (*vbgcapi.ProjectRegionListModel, error) {
	if err := ciRequire("project ID", projectID); err != nil {
		return nil, err
	}
	return ciPage[vbgcapi.ProjectRegionListModel](ctx, s.version, opts, s.regions(projectID))
}

func (s *ProjectsService) regions(projectID string) ciCall {
	return func(ctx context.Context, q query) (*http.Response, error) {
		p := vbgcapi.ProjectsGetRegionsParams(q)
		return s.api.ProjectsGetRegions(ctx, projectID, &p)
	}
}

// AllRegions iterates over every region available in a project.
func (s *ProjectsService) AllRegions(ctx context.Context, projectID string, opts *ListOptions) iter.Seq2[vbgcapi.ProjectRegionModel, error] {
	if err := ciRequire("project ID", projectID); err != nil {
		return ciFail[vbgcapi.ProjectRegionModel](err)
	}
	return ciAll(ctx, s.version, opts, s.regions(projectID), func(l *vbgcapi.ProjectRegionListModel) ([]vbgcapi.ProjectRegionModel, vbgcapi.PaginationModel) {
		return l.Data, l.Pagination
	})
}

// RegionMachineTypes returns one page of the VM instance (machine) types
// available in a region of a project.
func (s *ProjectsService) RegionMachineTypes(ctx context.Context, projectID, regionID string, opts *ListOptions) (*vbgcapi.ProjectMachineTypeListModel, error) {
	if err := projRequire("region ID", projectID, regionID); err != nil {
		return nil, err
	}
	return ciPage[vbgcapi.ProjectMachineTypeListModel](ctx, s.version, opts, s.regionMachineTypes(projectID, regionID))
}

func (s *ProjectsService) regionMachineTypes(projectID, regionID string) ciCall {
	return func(ctx context.Context, q query) (*http.Response, error) {
		p := vbgcapi.ProjectsGetRegionMachineTypesParams(q)
		return s.api.ProjectsGetRegionMachineTypes(ctx, projectID, regionID, &p)
	}
}

// AllRegionMachineTypes iterates over every machine type available in a
// region of a project.
func (s *ProjectsService) AllRegionMachineTypes(ctx context.Context, projectID, regionID string, opts *ListOptions) iter.Seq2[vbgcapi.ProjectMachineTypeModel, error] {
	if err := projRequire("region ID", projectID, regionID); err != nil {
		return ciFail[vbgcapi.ProjectMachineTypeModel](err)
	}
	return ciAll(ctx, s.version, opts, s.regionMachineTypes(projectID, regionID), projMachineTypeItems)
}

func projMachineTypeItems(l *vbgcapi.ProjectMachineTypeListModel) ([]vbgcapi.ProjectMachineTypeModel, vbgcapi.PaginationModel) {
	return l.Data, l.Pagination
}

// Zones returns one page of the availability zones of a region of a
// project.
func (s *ProjectsService) Zones(ctx context.Context, projectID, regionID string, opts *ListOptions) (*vbgcapi.ProjectZoneListModel, error) {
	if err := projRequire("region ID", projectID, regionID); err != nil {
		return nil, err
	}
	return ciPage[vbgcapi.ProjectZoneListModel](ctx, s.version, opts, s.zones(projectID, regionID))
}

func (s *ProjectsService) zones(projectID, regionID string) ciCall {
	return func(ctx context.Context, q query) (*http.Response, error) {
		p := vbgcapi.ProjectsGetRegionZonesParams(q)
		return s.api.ProjectsGetRegionZones(ctx, projectID, regionID, &p)
	}
}

// AllZones iterates over every availability zone of a region of a project.
func (s *ProjectsService) AllZones(ctx context.Context, projectID, regionID string, opts *ListOptions) iter.Seq2[vbgcapi.ProjectZoneModel, error] {
	if err := projRequire("region ID", projectID, regionID); err != nil {
		return ciFail[vbgcapi.ProjectZoneModel](err)
	}
	return ciAll(ctx, s.version, opts, s.zones(projectID, regionID), func(l *vbgcapi.ProjectZoneListModel) ([]vbgcapi.ProjectZoneModel, vbgcapi.PaginationModel) {
		return l.Data, l.Pagination
	})
}

// ZoneMachineTypes returns one page of the VM instance (machine) types
// available in an availability zone of a project.
func (s *ProjectsService) ZoneMachineTypes(ctx context.Context, projectID, zoneID string, opts *ListOptions) (*vbgcapi.ProjectMachineTypeListModel, error) {
	if err := projRequire("zone ID", projectID, zoneID); err != nil {
		return nil, err
	}
	return ciPage[vbgcapi.ProjectMachineTypeListModel](ctx, s.version, opts, s.zoneMachineTypes(projectID, zoneID))
}

func (s *ProjectsService) zoneMachineTypes(projectID, zoneID string) ciCall {
	return func(ctx context.Context, q query) (*http.Response, error) {
		p := vbgcapi.ProjectsGetZoneMachineTypesParams(q)
		return s.api.ProjectsGetZoneMachineTypes(ctx, projectID, zoneID, &p)
	}
}

// AllZoneMachineTypes iterates over every machine type available in an
// availability zone of a project.
func (s *ProjectsService) AllZoneMachineTypes(ctx context.Context, projectID, zoneID string, opts *ListOptions) iter.Seq2[vbgcapi.ProjectMachineTypeModel, error] {
	if err := projRequire("zone ID", projectID, zoneID); err != nil {
		return ciFail[vbgcapi.ProjectMachineTypeModel](err)
	}
	return ciAll(ctx, s.version, opts, s.zoneMachineTypes(projectID, zoneID), projMachineTypeItems)
}

// ZoneSQLMachineTypes returns one page of the Cloud SQL instance types
// (tiers) available in an availability zone of a project.
func (s *ProjectsService) ZoneSQLMachineTypes(ctx context.Context, projectID, zoneID string, opts *ListOptions) (*vbgcapi.ProjectSQLMachineTypeListModel, error) {
	if err := projRequire("zone ID", projectID, zoneID); err != nil {
		return nil, err
	}
	return ciPage[vbgcapi.ProjectSQLMachineTypeListModel](ctx, s.version, opts, s.zoneSQLMachineTypes(projectID, zoneID))
}

func (s *ProjectsService) zoneSQLMachineTypes(projectID, zoneID string) ciCall {
	return func(ctx context.Context, q query) (*http.Response, error) {
		p := vbgcapi.ProjectsGetZoneSQLMachineTypesParams(q)
		return s.api.ProjectsGetZoneSQLMachineTypes(ctx, projectID, zoneID, &p)
	}
}

// AllZoneSQLMachineTypes iterates over every Cloud SQL instance type
// available in an availability zone of a project.
func (s *ProjectsService) AllZoneSQLMachineTypes(ctx context.Context, projectID, zoneID string, opts *ListOptions) iter.Seq2[vbgcapi.ProjectSQLMachineTypeModel, error] {
	if err := projRequire("zone ID", projectID, zoneID); err != nil {
		return ciFail[vbgcapi.ProjectSQLMachineTypeModel](err)
	}
	return ciAll(ctx, s.version, opts, s.zoneSQLMachineTypes(projectID, zoneID), func(l *vbgcapi.ProjectSQLMachineTypeListModel) ([]vbgcapi.ProjectSQLMachineTypeModel, vbgcapi.PaginationModel) {
		return l.Data, l.Pagination
	})
}

// SpannerInstanceConfigurations returns one page of the Cloud Spanner
// instance configurations available in a project, as a service account
// (its email address) sees them.
func (s *ProjectsService) SpannerInstanceConfigurations(ctx context.Context, projectID, serviceAccountID string, opts *ListOptions) (*vbgcapi.ProjectSpannerInstanceConfigurationListModel, error) {
	if err := projRequire("service account ID", projectID, serviceAccountID); err != nil {
		return nil, err
	}
	return ciPage[vbgcapi.ProjectSpannerInstanceConfigurationListModel](ctx, s.version, opts, s.spannerConfigurations(projectID, serviceAccountID))
}

func (s *ProjectsService) spannerConfigurations(projectID, serviceAccountID string) ciCall {
	return func(ctx context.Context, q query) (*http.Response, error) {
		p := vbgcapi.ProjectsGetSpannerInstanceConfigurationsParams(q)
		return s.api.ProjectsGetSpannerInstanceConfigurations(ctx, projectID, serviceAccountID, &p)
	}
}

// AllSpannerInstanceConfigurations iterates over every Cloud Spanner
// instance configuration available in a project to a service account.
func (s *ProjectsService) AllSpannerInstanceConfigurations(ctx context.Context, projectID, serviceAccountID string, opts *ListOptions) iter.Seq2[vbgcapi.ProjectSpannerInstanceConfigurationModel, error] {
	if err := projRequire("service account ID", projectID, serviceAccountID); err != nil {
		return ciFail[vbgcapi.ProjectSpannerInstanceConfigurationModel](err)
	}
	return ciAll(ctx, s.version, opts, s.spannerConfigurations(projectID, serviceAccountID),
		func(l *vbgcapi.ProjectSpannerInstanceConfigurationListModel) ([]vbgcapi.ProjectSpannerInstanceConfigurationModel, vbgcapi.PaginationModel) {
			return l.Data, l.Pagination
		})
}

// ServiceAccounts returns one page of the service accounts that can access
// a project.
func (s *ProjectsService) ServiceAccounts(ctx context.Context, projectID string, opts *ListOptions) (*vbgcapi.ProjectServiceAccountListModel, error) {
	if err := ciRequire("project ID", projectID); err != nil {
		return nil, err
	}
	return ciPage[vbgcapi.ProjectServiceAccountListModel](ctx, s.version, opts, s.serviceAccounts(projectID))
}

func (s *ProjectsService) serviceAccounts(projectID string) ciCall {
	return func(ctx context.Context, q query) (*http.Response, error) {
		p := vbgcapi.ProjectsGetServiceAccountsParams(q)
		return s.api.ProjectsGetServiceAccounts(ctx, projectID, &p)
	}
}

// AllServiceAccounts iterates over every service account that can access a
// project.
func (s *ProjectsService) AllServiceAccounts(ctx context.Context, projectID string, opts *ListOptions) iter.Seq2[vbgcapi.ProjectServiceAccountModel, error] {
	if err := ciRequire("project ID", projectID); err != nil {
		return ciFail[vbgcapi.ProjectServiceAccountModel](err)
	}
	return ciAll(ctx, s.version, opts, s.serviceAccounts(projectID), func(l *vbgcapi.ProjectServiceAccountListModel) ([]vbgcapi.ProjectServiceAccountModel, vbgcapi.PaginationModel) {
		return l.Data, l.Pagination
	})
}

// CreateHMACKey creates an HMAC key for a service account (its email
// address) of a project. The answer is the only one that carries the
// key's secret.
func (s *ProjectsService) CreateHMACKey(ctx context.Context, projectID, serviceAccountID string, spec vbgcapi.ProjectHmacKeyCreateSpec) (*vbgcapi.ProjectHmacKeyModel, error) {
	if err := projRequire("service account ID", projectID, serviceAccountID); err != nil {
		return nil, err
	}
	resp, err := s.api.ProjectsCreateHmacKey(ctx, projectID, serviceAccountID, &vbgcapi.ProjectsCreateHmacKeyParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbgcapi.ProjectHmacKeyModel](resp, err, decode)
}

// HMACKeys returns one page of the HMAC keys of a service account of a
// project.
func (s *ProjectsService) HMACKeys(ctx context.Context, projectID, serviceAccountID string, opts *ListOptions) (*vbgcapi.ProjectHmacKeyListModel, error) {
	if err := projRequire("service account ID", projectID, serviceAccountID); err != nil {
		return nil, err
	}
	return ciPage[vbgcapi.ProjectHmacKeyListModel](ctx, s.version, opts, s.hmacKeys(projectID, serviceAccountID))
}

func (s *ProjectsService) hmacKeys(projectID, serviceAccountID string) ciCall {
	return func(ctx context.Context, q query) (*http.Response, error) {
		p := vbgcapi.ProjectsGetHmacKeysParams(q)
		return s.api.ProjectsGetHmacKeys(ctx, projectID, serviceAccountID, &p)
	}
}

// AllHMACKeys iterates over every HMAC key of a service account of a
// project.
func (s *ProjectsService) AllHMACKeys(ctx context.Context, projectID, serviceAccountID string, opts *ListOptions) iter.Seq2[vbgcapi.ProjectHmacKeyModel, error] {
	if err := projRequire("service account ID", projectID, serviceAccountID); err != nil {
		return ciFail[vbgcapi.ProjectHmacKeyModel](err)
	}
	return ciAll(ctx, s.version, opts, s.hmacKeys(projectID, serviceAccountID), func(l *vbgcapi.ProjectHmacKeyListModel) ([]vbgcapi.ProjectHmacKeyModel, vbgcapi.PaginationModel) {
		return l.Data, l.Pagination
	})
}

// AddExistingHMACKey adds an HMAC key that already exists for a service
// account of a project.
func (s *ProjectsService) AddExistingHMACKey(ctx context.Context, projectID, serviceAccountID string, spec vbgcapi.ProjectHmacKeyAddExistingSpec) (*vbgcapi.ProjectHmacKeyModel, error) {
	if err := projRequire("service account ID", projectID, serviceAccountID); err != nil {
		return nil, err
	}
	if err := ciRequire("HMAC key access ID", spec.AccessID); err != nil {
		return nil, err
	}
	if err := ciRequire("HMAC key secret", spec.Secret); err != nil {
		return nil, err
	}
	resp, err := s.api.ProjectsAddExistingHmacKey(ctx, projectID, serviceAccountID, &vbgcapi.ProjectsAddExistingHmacKeyParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbgcapi.ProjectHmacKeyModel](resp, err, decode)
}

// GeneratePermissionsScript streams a script that grants a service account
// the permissions the selected operations need in a project. The caller
// closes the reader.
func (s *ProjectsService) GeneratePermissionsScript(ctx context.Context, spec vbgcapi.DownloadServiceAccountScriptSpec) (io.ReadCloser, error) {
	if err := ciRequire("service account ID", spec.ServiceAccountID); err != nil {
		return nil, err
	}
	resp, err := s.api.ProjectsGeneratePermissionsScript(ctx, &vbgcapi.ProjectsGeneratePermissionsScriptParams{XAPIVersion: s.version},
		spec, accept("application/octet-stream"))
	return respond.Stream(resp, err, decode)
}

// projRequire refuses an empty project ID or an empty second ID.
func projRequire(what, projectID, id string) error {
	if err := ciRequire("project ID", projectID); err != nil {
		return err
	}
	return ciRequire(what, id)
}
