package vbaws

import (
	"context"
	"errors"
	"io"
	"iter"
	"math"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
	"github.com/backupsdk/backupsdk/pkg/pager"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// OrganizationsService covers /api/v1/organizations/amazon.
type OrganizationsService struct {
	api     vbawsapi.ClientInterface
	version string
}

// ListOrganizationsOptions filter and page the organizations list.
type ListOrganizationsOptions struct {
	// Search keeps organizations whose names match the pattern
	// (SearchPattern).
	Search string
	// Offset skips the first N organizations.
	Offset int
	// Limit is the page size; 0 lets the server choose for List, and means
	// DefaultPageSize for All.
	Limit int
	// Sort orders the results, e.g. vbawsapi.AmazonOrganizationSortColumnsNameAsc.
	Sort []vbawsapi.AmazonOrganizationSortColumns
}

// DefaultPageSize is the page size All uses when none is given.
const DefaultPageSize = 100

// List returns one page of organizations.
func (s *OrganizationsService) List(ctx context.Context, opts *ListOrganizationsOptions) (*vbawsapi.AmazonOrganizationsPage, error) {
	p := &vbawsapi.AmazonOrganizationsGetAllParams{XAPIVersion: s.version}
	if opts != nil {
		if opts.Offset < 0 || opts.Limit < 0 {
			return nil, errors.New("vbaws: Offset and Limit must not be negative")
		}
		if opts.Offset > math.MaxInt32 || opts.Limit > math.MaxInt32 {
			return nil, errors.New("vbaws: Offset and Limit must not exceed 2147483647")
		}
		if opts.Search != "" {
			p.SearchPattern = &opts.Search
		}
		if opts.Offset > 0 {
			o := int32(opts.Offset) //nolint:gosec // bounded by the API's int32
			p.Offset = &o
		}
		if opts.Limit > 0 {
			l := int32(opts.Limit) //nolint:gosec // bounded by the API's int32
			p.Limit = &l
		}
		if len(opts.Sort) > 0 {
			p.Sort = opts.Sort
		}
	}
	resp, err := s.api.AmazonOrganizationsGetAll(ctx, p)
	return respond.JSON[vbawsapi.AmazonOrganizationsPage](resp, err, decode)
}

// All iterates over every organization matching opts, a page at a time.
func (s *OrganizationsService) All(ctx context.Context, opts *ListOrganizationsOptions) iter.Seq2[vbawsapi.AmazonOrganization, error] {
	o := ListOrganizationsOptions{}
	if opts != nil {
		o = *opts
		o.Sort = append([]vbawsapi.AmazonOrganizationSortColumns(nil), opts.Sort...)
	}
	if o.Limit <= 0 {
		o.Limit = DefaultPageSize
	}
	return pager.Offset(ctx, o.Offset, o.Limit, func(ctx context.Context, offset, limit int) (pager.OffsetPage[vbawsapi.AmazonOrganization], error) {
		q := o
		q.Offset, q.Limit = offset, limit
		page, err := s.List(ctx, &q)
		if err != nil {
			return pager.OffsetPage[vbawsapi.AmazonOrganization]{}, err
		}
		return pager.OffsetPage[vbawsapi.AmazonOrganization]{Items: page.Results, Total: int(page.TotalCount), HasTotal: true}, nil
	})
}

// Get returns the organization with the given system ID.
func (s *OrganizationsService) Get(ctx context.Context, id uuid.UUID) (*vbawsapi.AmazonOrganization, error) {
	resp, err := s.api.AmazonOrganizationsGetOneByID(ctx, id, &vbawsapi.AmazonOrganizationsGetOneByIDParams{XAPIVersion: s.version})
	return respond.JSON[vbawsapi.AmazonOrganization](resp, err, decode)
}

// Add adds an organization. The appliance adds it in the background and
// answers with the session doing so.
func (s *OrganizationsService) Add(ctx context.Context, spec vbawsapi.CreateAmazonOrganizationSpec) (*vbawsapi.SessionLink, error) {
	resp, err := s.api.AddAmazonOrganization(ctx, &vbawsapi.AddAmazonOrganizationParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbawsapi.SessionLink](resp, err, decode)
}

// Update changes the settings of an organization.
func (s *OrganizationsService) Update(ctx context.Context, id uuid.UUID, spec vbawsapi.UpdateAmazonOrganizationSpec) (*vbawsapi.AmazonOrganization, error) {
	resp, err := s.api.UpdateAmazonOrganization(ctx, id, &vbawsapi.UpdateAmazonOrganizationParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbawsapi.AmazonOrganization](resp, err, decode)
}

// Delete removes an organization; check it with ValidateDelete first.
func (s *OrganizationsService) Delete(ctx context.Context, id uuid.UUID) error {
	resp, err := s.api.DeleteAmazonOrganization(ctx, id, &vbawsapi.DeleteAmazonOrganizationParams{XAPIVersion: s.version})
	return respond.Empty(resp, err, decode)
}

// Rescan starts a rescan of the structure of the organization that the IAM
// role belongs to.
func (s *OrganizationsService) Rescan(ctx context.Context, spec vbawsapi.AmazonOrganizationRescanSpec) (*vbawsapi.SessionLink, error) {
	resp, err := s.api.RescanAmazonOrganization(ctx, &vbawsapi.RescanAmazonOrganizationParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbawsapi.SessionLink](resp, err, decode)
}

// IdentitiesInMemory returns the results of a rescan of an organization that
// is not yet added. params and scope may be nil.
func (s *OrganizationsService) IdentitiesInMemory(ctx context.Context, sessionID uuid.UUID, params *vbawsapi.GetAmazonOrganizationIdentitiesInMemoryParams, scope *vbawsapi.AmazonOrganizationIdentitiesSpec) (*vbawsapi.AmazonOrganizationIdentitiesPage, error) {
	p := vbawsapi.GetAmazonOrganizationIdentitiesInMemoryParams{}
	if params != nil {
		p = *params
	}
	p.XAPIVersion = s.version
	contentType, body, err := jsonBody(scope)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.GetAmazonOrganizationIdentitiesInMemoryWithBody(ctx, sessionID, &p, contentType, body)
	return respond.JSON[vbawsapi.AmazonOrganizationIdentitiesPage](resp, err, decode)
}

// IdentitiesInDB returns the structure of an added organization. params and
// scope may be nil.
func (s *OrganizationsService) IdentitiesInDB(ctx context.Context, id uuid.UUID, params *vbawsapi.GetAmazonOrganizationIdentitiesInDBParams, scope *vbawsapi.AmazonOrganizationIdentitiesSpec) (*vbawsapi.AmazonOrganizationIdentitiesPage, error) {
	p := vbawsapi.GetAmazonOrganizationIdentitiesInDBParams{}
	if params != nil {
		p = *params
	}
	p.XAPIVersion = s.version
	contentType, body, err := jsonBody(scope)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.GetAmazonOrganizationIdentitiesInDBWithBody(ctx, id, &p, contentType, body)
	return respond.JSON[vbawsapi.AmazonOrganizationIdentitiesPage](resp, err, decode)
}

// AllIdentitiesInDB iterates over the AWS identities (flat list) of an added
// organization, a page at a time. params may be nil; its offset and limit
// set the start and the page size.
func (s *OrganizationsService) AllIdentitiesInDB(ctx context.Context, id uuid.UUID, params *vbawsapi.GetAmazonOrganizationIdentitiesInDBParams, scope *vbawsapi.AmazonOrganizationIdentitiesSpec) iter.Seq2[vbawsapi.AmazonOrganizationIdentity, error] {
	p := vbawsapi.GetAmazonOrganizationIdentitiesInDBParams{}
	if params != nil {
		p = *params
	}
	start, limit := pageBounds(p.Offset, p.Limit)
	return pager.Offset(ctx, start, limit, func(ctx context.Context, offset, limit int) (pager.OffsetPage[vbawsapi.AmazonOrganizationIdentity], error) {
		q := p
		q.Offset, q.Limit = int32p(offset), int32p(limit)
		page, err := s.IdentitiesInDB(ctx, id, &q, scope)
		return identitiesPage(page, err)
	})
}

// AllIdentitiesInMemory is AllIdentitiesInDB for the results of a rescan.
func (s *OrganizationsService) AllIdentitiesInMemory(ctx context.Context, sessionID uuid.UUID, params *vbawsapi.GetAmazonOrganizationIdentitiesInMemoryParams, scope *vbawsapi.AmazonOrganizationIdentitiesSpec) iter.Seq2[vbawsapi.AmazonOrganizationIdentity, error] {
	p := vbawsapi.GetAmazonOrganizationIdentitiesInMemoryParams{}
	if params != nil {
		p = *params
	}
	start, limit := pageBounds(p.Offset, p.Limit)
	return pager.Offset(ctx, start, limit, func(ctx context.Context, offset, limit int) (pager.OffsetPage[vbawsapi.AmazonOrganizationIdentity], error) {
		q := p
		q.Offset, q.Limit = int32p(offset), int32p(limit)
		page, err := s.IdentitiesInMemory(ctx, sessionID, &q, scope)
		return identitiesPage(page, err)
	})
}

// ValidateDelete reports why an organization cannot be removed; an empty
// result means it can.
func (s *OrganizationsService) ValidateDelete(ctx context.Context, id uuid.UUID) ([]vbawsapi.ValidationMessage, error) {
	resp, err := s.api.ValidateDeleteAmazonOrganization(ctx, id, &vbawsapi.ValidateDeleteAmazonOrganizationParams{XAPIVersion: s.version})
	msgs, err := respond.JSON[[]vbawsapi.ValidationMessage](resp, err, decode)
	return to.Value(msgs), err
}

// ValidateDeleteMany is ValidateDelete for several organizations at once.
func (s *OrganizationsService) ValidateDeleteMany(ctx context.Context, ids []uuid.UUID) (*vbawsapi.AmazonOrganizationsValidateDeleteResult, error) {
	if len(ids) == 0 {
		return nil, errors.New("vbaws: ValidateDeleteMany needs at least one organization ID")
	}
	resp, err := s.api.ValidateDeleteAmazonOrganizations(ctx, &vbawsapi.ValidateDeleteAmazonOrganizationsParams{XAPIVersion: s.version},
		vbawsapi.AmazonOrganizationsValidateDeleteSpec{Items: ids})
	return respond.JSON[vbawsapi.AmazonOrganizationsValidateDeleteResult](resp, err, decode)
}

// TestConfiguration starts a check of the IAM roles of an organization to be
// added (spec.Create) or modified (spec.Update).
func (s *OrganizationsService) TestConfiguration(ctx context.Context, spec vbawsapi.AmazonOrganizationValidationSpec) (*vbawsapi.SessionLink, error) {
	resp, err := s.api.TestAmazonOrganizationConfiguration(ctx, &vbawsapi.TestAmazonOrganizationConfigurationParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbawsapi.SessionLink](resp, err, decode)
}

// ExportFormat chooses the file type of Export.
type ExportFormat string

// Export formats.
const (
	ExportCSV ExportFormat = "text/csv"
	ExportXML ExportFormat = "application/xml"
)

// Export streams the list of organizations as CSV or XML. The caller must
// close the reader; nothing is buffered.
func (s *OrganizationsService) Export(ctx context.Context, format ExportFormat) (io.ReadCloser, error) {
	if format != ExportCSV && format != ExportXML {
		return nil, errors.New("vbaws: Export format must be ExportCSV or ExportXML")
	}
	resp, err := s.api.ExportAmazonOrganizations(ctx, &vbawsapi.ExportAmazonOrganizationsParams{XAPIVersion: s.version}, accept(string(format)))
	return respond.Stream(resp, err, decode)
}

// CheckExists tells whether the organization the IAM role belongs to is
// already added.
func (s *OrganizationsService) CheckExists(ctx context.Context, rescanIAMRoleID uuid.UUID) (*vbawsapi.AmazonOrganizationExistenceResult, error) {
	resp, err := s.api.CheckAmazonOrganizationExists(ctx, &vbawsapi.CheckAmazonOrganizationExistsParams{XAPIVersion: s.version},
		vbawsapi.AmazonOrganizationExistenceSpec{RescanIAMRoleID: rescanIAMRoleID})
	return respond.JSON[vbawsapi.AmazonOrganizationExistenceResult](resp, err, decode)
}

// ValidateName tells whether name is valid and unique.
func (s *OrganizationsService) ValidateName(ctx context.Context, name string) (*vbawsapi.AmazonOrganizationNameValidationResult, error) {
	resp, err := s.api.ValidateAmazonOrganizationName(ctx, &vbawsapi.ValidateAmazonOrganizationNameParams{XAPIVersion: s.version},
		vbawsapi.AmazonOrganizationNameValidationSpec{OrganizationName: name})
	return respond.JSON[vbawsapi.AmazonOrganizationNameValidationResult](resp, err, decode)
}

// ValidateSettings checks the settings of an organization before Add or
// Update; an empty result means they are valid.
func (s *OrganizationsService) ValidateSettings(ctx context.Context, spec vbawsapi.AmazonOrganizationValidationSpec) ([]vbawsapi.ValidationMessage, error) {
	resp, err := s.api.ValidateAmazonOrganization(ctx, &vbawsapi.ValidateAmazonOrganizationParams{XAPIVersion: s.version}, spec)
	msgs, err := respond.JSON[[]vbawsapi.ValidationMessage](resp, err, decode)
	return to.Value(msgs), err
}
