package vbaws

import (
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
)

// Export streams the list of user accounts as CSV or XML. The caller must
// close the reader; nothing is buffered. It is written by hand because the
// caller picks the media type.
//
// POST /api/v1/users/export (operation ExportUsers)
func (s *UsersService) Export(ctx context.Context, format ExportFormat) (io.ReadCloser, error) {
	if format != ExportCSV && format != ExportXML {
		return nil, errors.New("vbaws: Export format must be ExportCSV or ExportXML")
	}
	v, err := s.c.Value(ctx, "apiVersion")
	if err != nil {
		return nil, err
	}
	resp, err := s.c.api.ExportUsers(ctx, &vbawsapi.ExportUsersParams{XAPIVersion: v},
		func(_ context.Context, req *http.Request) error { req.Header.Set("Accept", string(format)); return nil })
	return s.c.Stream(resp, err)
}
