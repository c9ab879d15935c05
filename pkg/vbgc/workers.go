package vbgc

import (
	"context"
	"errors"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
)

// SetCustomLabels replaces all custom labels assigned to worker instances
// with labels; an empty list (nil included) removes them all. It is written
// by hand because the API wants an empty array there, which a nil slice
// would not encode as.
//
// PUT /api/v1/workers/customLabels (operation WorkersModifyCustomLabels)
func (s *WorkersService) SetCustomLabels(ctx context.Context, labels []vbgcapi.TagModel) error {
	if labels == nil {
		labels = []vbgcapi.TagModel{}
	}
	v, err := s.c.Value(ctx, "apiVersion")
	if err != nil {
		return err
	}
	contentType, body, err := s.c.Encode("WorkersModifyCustomLabels", labels)
	if err != nil {
		return err
	}
	resp, err := s.c.api.WorkersModifyCustomLabelsWithBody(ctx, &vbgcapi.WorkersModifyCustomLabelsParams{XAPIVersion: v}, contentType, body)
	return s.c.Empty(resp, err)
}

// The checks of the request bodies the generated methods of WorkersService
// call before sending (x-backupsdk-check).

func checkChangeProject(spec vbgcapi.ConfigurationSpecV2) error {
	if spec.ProjectID == "" {
		return errors.New("vbgc: ChangeProject needs a project id")
	}
	return nil
}

func checkAddProfiles(spec vbgcapi.WorkerProfileSpec) error {
	if spec.RegionID == "" {
		return errors.New("vbgc: a region id is required")
	}
	return nil
}
