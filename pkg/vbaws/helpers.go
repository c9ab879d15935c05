package vbaws

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/pager"
)

// accept sets the Accept header, which the generated client leaves alone.
func accept(mediaType string) vbawsapi.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Accept", mediaType)
		return nil
	}
}

// jsonBody encodes an optional request body; a nil v sends none.
func jsonBody[T any](v *T) (string, io.Reader, error) {
	if v == nil {
		return "", nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", nil, fmt.Errorf("vbaws: encode request body: %w", err)
	}
	return "application/json", bytes.NewReader(b), nil
}

func pageBounds(offset, limit *int32) (int, int) {
	start, size := 0, DefaultPageSize
	if offset != nil && *offset > 0 {
		start = int(*offset)
	}
	if limit != nil && *limit > 0 {
		size = int(*limit)
	}
	return start, size
}

func int32p(n int) *int32 {
	v := int32(n) //nolint:gosec // page bounds fit the API's int32
	return &v
}

func identitiesPage(page *vbawsapi.AmazonOrganizationIdentitiesPage, err error) (pager.OffsetPage[vbawsapi.AmazonOrganizationIdentity], error) {
	if err != nil {
		return pager.OffsetPage[vbawsapi.AmazonOrganizationIdentity]{}, err
	}
	return pager.OffsetPage[vbawsapi.AmazonOrganizationIdentity]{Items: page.Identities, Total: int(page.TotalCount), HasTotal: true}, nil
}
