package vbaws

import (
	"context"
	"io"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/internal/svc"
)

// maxLicenseFile bounds the license file Install reads (license files are a
// few kilobytes).
const maxLicenseFile = 1 << 20

// Install uploads a license file obtained from Veeam (BYOL edition) and
// returns the license now installed. fileName is the name sent with the
// file (a .lic file). It is written by hand because the body is a
// multipart form.
//
// POST /api/v1/licensing/license (operation InstallLicense)
func (s *LicensingService) Install(ctx context.Context, fileName string, licenseFile io.Reader) (*vbawsapi.LicenseInfo, error) {
	body, contentType, err := svc.UploadForm("vbaws: Install", svc.FormFile{Field: "licenseFile", Name: fileName,
		What: "license file", Body: licenseFile, Limit: maxLicenseFile})
	if err != nil {
		return nil, err
	}
	resp, err := s.c.api.InstallLicenseWithBody(ctx, &vbawsapi.InstallLicenseParams{XAPIVersion: s.c.veeam.APIVersion}, contentType, body)
	return svc.Result[vbawsapi.LicenseInfo](&s.c.Core, resp, err)
}
