package vbaws

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime/multipart"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
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
	if fileName == "" {
		return errors.New("vbaws: Upload needs a file name")
	}
	if pfx == nil {
		return errors.New("vbaws: Upload needs a certificate file to read")
	}
	if password == "" {
		return errors.New("vbaws: Upload needs the password of the certificate file")
	}
	content, err := io.ReadAll(io.LimitReader(pfx, maxCertificateFile+1))
	if err != nil {
		return err
	}
	if len(content) > maxCertificateFile {
		return errors.New("vbaws: the certificate file is larger than 1 MiB")
	}
	v, err := s.c.Value(ctx, "apiVersion")
	if err != nil {
		return err
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, err := mw.CreateFormFile("certificateFile", fileName)
	if err == nil {
		_, err = part.Write(content)
	}
	if err == nil {
		err = mw.WriteField("certificatePassword", password)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		return err
	}
	resp, err := s.c.api.UploadCertificateWithBody(ctx, &vbawsapi.UploadCertificateParams{XAPIVersion: v}, mw.FormDataContentType(), &body)
	return s.c.Empty(resp, err)
}
