package vbgc

import (
	"context"
	"io"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/internal/svc"
)

// maxLicenseFile bounds the license file Install reads (license files are a
// few kilobytes).
const maxLicenseFile = 1 << 20

// Install uploads a license file obtained from Veeam (BYOL edition) and
// returns the license now in force. fileName is the name sent with the
// file (a .lic file). It is written by hand because the body is a
// multipart form.
//
// POST /api/v1/licensing/license (operation LicenseInstall)
func (s *LicensingService) Install(ctx context.Context, fileName string, licenseFile io.Reader) (*vbgcapi.LicenseModel, error) {
	body, contentType, err := svc.UploadForm("vbgc: Install", svc.FormFile{Field: "licenseFile", Name: fileName,
		What: "license file", Body: licenseFile, Limit: maxLicenseFile})
	if err != nil {
		return nil, err
	}
	v, err := s.c.Value(ctx, "apiVersion")
	if err != nil {
		return nil, err
	}
	resp, err := s.c.api.LicenseInstallWithBody(ctx, &vbgcapi.LicenseInstallParams{XAPIVersion: v}, contentType, body)
	return svc.Result[vbgcapi.LicenseModel](&s.c.Core, resp, err)
}
