package svc

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
)

// FormFile is the file of a multipart/form-data upload.
type FormFile struct {
	Field string    // the form field that holds the file ("licenseFile")
	Name  string    // the file name sent with it
	What  string    // what the file is, for errors ("license file")
	Body  io.Reader // the file's content
	Limit int64     // the most bytes the file may have
}

// FormField is a text field of a multipart/form-data upload.
type FormField struct{ Name, Value string }

// UploadForm builds a multipart/form-data body of the file and of the text
// fields that follow it, and returns it with its content type. method names the caller in errors ("vbaws: Install").
// The file is read whole first, so a file over its limit is refused before
// anything is sent.
func UploadForm(method string, f FormFile, fields ...FormField) (*bytes.Buffer, string, error) {
	switch {
	case f.Name == "":
		return nil, "", fmt.Errorf("%s needs a file name", method)
	case f.Body == nil:
		return nil, "", fmt.Errorf("%s needs a %s to read", method, f.What)
	}
	content, err := io.ReadAll(io.LimitReader(f.Body, f.Limit+1))
	if err != nil {
		return nil, "", fmt.Errorf("%s: read the %s: %w", method, f.What, err)
	}
	if int64(len(content)) > f.Limit {
		return nil, "", fmt.Errorf("%s: the %s is larger than %s", method, f.What, size(f.Limit))
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, err := mw.CreateFormFile(f.Field, f.Name)
	if err == nil {
		_, err = part.Write(content)
	}
	for _, field := range fields {
		if err == nil {
			err = mw.WriteField(field.Name, field.Value)
		}
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", method, err)
	}
	return &body, mw.FormDataContentType(), nil
}

// size says n bytes the way a person would: 1 MiB, 64 KiB, 100 bytes.
func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}
