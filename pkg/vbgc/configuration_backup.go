package vbgc

import (
	"context"
	"errors"
	"io"
	"mime/multipart"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/internal/svc"
)

// Import uploads a configuration backup file, read from file as the upload
// goes (nothing is buffered whole), and returns the import session; follow
// it with Sessions.Wait, then CheckImport with its id. fileName is the name
// the appliance records for the file. The request is not retried, since
// file can be read only once. Import has stopped reading file when it
// returns. It is written by hand because the body is a multipart form.
//
// POST /api/v1/configurationBackup/import (operation ConfigurationBackupImport)
func (s *ConfigurationBackupService) Import(ctx context.Context, fileName string, file io.Reader) (*vbgcapi.SessionIDModel, error) {
	if fileName == "" {
		return nil, errors.New("vbgc: Import needs a file name")
	}
	if file == nil {
		return nil, errors.New("vbgc: Import needs a file to read")
	}
	v, err := s.c.Value(ctx, "apiVersion")
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	done := make(chan struct{})
	go func() {
		defer close(done)
		part, err := mw.CreateFormFile("file", fileName)
		if err == nil {
			_, err = io.Copy(part, file)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	resp, err := s.c.api.ConfigurationBackupImportWithBody(ctx, &vbgcapi.ConfigurationBackupImportParams{XAPIVersion: v},
		mw.FormDataContentType(), pr)
	// Closing the read side stops the writer if the request ended early;
	// waiting for it means file is no longer read once Import returns.
	_ = pr.Close()
	<-done
	return svc.Result[vbgcapi.SessionIDModel](&s.c.Core, resp, err)
}

// checkCheckImport is called by CheckImport before sending
// (x-backupsdk-check): the check needs the session of the import.
func checkCheckImport(spec vbgcapi.ConfigurationBackupCheckImportedFileSpec) error {
	if spec.SessionID == uuid.Nil {
		return errors.New("vbgc: CheckImport needs the import session id")
	}
	return nil
}
