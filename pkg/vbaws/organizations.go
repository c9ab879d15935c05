package vbaws

import (
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
)

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
	resp, err := s.c.api.ExportAmazonOrganizations(ctx, &vbawsapi.ExportAmazonOrganizationsParams{XAPIVersion: s.c.veeam.APIVersion},
		func(_ context.Context, req *http.Request) error { req.Header.Set("Accept", string(format)); return nil })
	return s.c.Stream(resp, err)
}
