package vbgc

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime/multipart"

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
	if fileName == "" {
		return nil, errors.New("vbgc: Install needs a file name")
	}
	if licenseFile == nil {
		return nil, errors.New("vbgc: Install needs a license file to read")
	}
	content, err := io.ReadAll(io.LimitReader(licenseFile, maxLicenseFile+1))
	if err != nil {
		return nil, err
	}
	if len(content) > maxLicenseFile {
		return nil, errors.New("vbgc: the license file is larger than 1 MiB")
	}
	v, err := s.c.Value(ctx, "apiVersion")
	if err != nil {
		return nil, err
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
	resp, err := s.c.api.LicenseInstallWithBody(ctx, &vbgcapi.LicenseInstallParams{XAPIVersion: v}, mw.FormDataContentType(), &body)
	return svc.Result[vbgcapi.LicenseModel](&s.c.Core, resp, err)
}
