package vbaws

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime/multipart"

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
	if fileName == "" {
		return nil, errors.New("vbaws: Install needs a file name")
	}
	if licenseFile == nil {
		return nil, errors.New("vbaws: Install needs a license file to read")
	}
	content, err := io.ReadAll(io.LimitReader(licenseFile, maxLicenseFile+1))
	if err != nil {
		return nil, err
	}
	if len(content) > maxLicenseFile {
		return nil, errors.New("vbaws: the license file is larger than 1 MiB")
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, err := mw.CreateFormFile("licenseFile", fileName)
	if err == nil {
		_, err = part.Write(content)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		return nil, err
	}
	resp, err := s.c.api.InstallLicenseWithBody(ctx, &vbawsapi.InstallLicenseParams{XAPIVersion: s.c.veeam.APIVersion}, mw.FormDataContentType(), &body)
	return svc.Result[vbawsapi.LicenseInfo](&s.c.Core, resp, err)
}
