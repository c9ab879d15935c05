package vbaws

import (
	"context"
	"errors"
	"io"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/internal/svc"
)

// maxCertificateFile bounds the .PFX file Upload reads (a certificate with
// its chain and private key is a few kilobytes).
const maxCertificateFile = 1 << 20

// Upload replaces the appliance's TLS certificate with a .PFX certificate
// (with its private key) that password protects; fileName is the name sent
// with the file. The appliance restarts its REST API and Web UI services
// afterwards, so calls fail for a while. It is written by hand because the
// body is a multipart form. The password is sent in the form only: it is in
// no error, and the SDK logs no request body.
//
// POST /api/v1/settings/certificates/upload (operation UploadCertificate)
func (s *CertificatesService) Upload(ctx context.Context, fileName string, pfx io.Reader, password string) error {
	if password == "" {
		return errors.New("vbaws: Upload needs the password of the certificate file")
	}
	body, contentType, err := svc.UploadForm("vbaws: Upload", svc.FormFile{Field: "certificateFile", Name: fileName,
		What: "certificate file", Body: pfx, Limit: maxCertificateFile}, svc.FormField{Name: "certificatePassword", Value: password})
	if err != nil {
		return err
	}
	v, err := s.c.Value(ctx, "apiVersion")
	if err != nil {
		return err
	}
	resp, err := s.c.api.UploadCertificateWithBody(ctx, &vbawsapi.UploadCertificateParams{XAPIVersion: v}, contentType, body)
	return s.c.Empty(resp, err)
}
