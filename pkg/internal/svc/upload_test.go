package svc

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUploadFormHoldsTheFileAndFields(t *testing.T) {
	body, contentType, err := UploadForm("vbaws: Upload", FormFile{Field: "certificateFile", Name: "web.pfx", What: "certificate file",
		Body: strings.NewReader("PFX-BYTES"), Limit: 64}, FormField{"certificatePassword", "pfx-pw"})
	require.NoError(t, err)
	mt, params, err := mime.ParseMediaType(contentType)
	require.NoError(t, err)
	assert.Equal(t, "multipart/form-data", mt)

	mr := multipart.NewReader(body, params["boundary"])
	part, err := mr.NextPart()
	require.NoError(t, err)
	assert.Equal(t, "certificateFile", part.FormName())
	assert.Equal(t, "web.pfx", part.FileName())
	got, err := io.ReadAll(part)
	require.NoError(t, err)
	assert.Equal(t, "PFX-BYTES", string(got))
	part, err = mr.NextPart()
	require.NoError(t, err)
	assert.Equal(t, "certificatePassword", part.FormName())
	got, err = io.ReadAll(part)
	require.NoError(t, err)
	assert.Equal(t, "pfx-pw", string(got))
	_, err = mr.NextPart()
	assert.ErrorIs(t, err, io.EOF)
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestUploadFormRefusesBadInput(t *testing.T) {
	file := func(name string, r io.Reader, limit int64) FormFile {
		return FormFile{Field: "licenseFile", Name: name, What: "license file", Body: r, Limit: limit}
	}
	for _, tc := range []struct {
		f    FormFile
		want string
	}{
		{file("", strings.NewReader("x"), 10), "vbgc: Install needs a file name"},
		{file("a.lic", nil, 10), "vbgc: Install needs a license file to read"},
		{file("a.lic", strings.NewReader(strings.Repeat("x", 11)), 10), "vbgc: Install: the license file is larger than 10 bytes"},
		{file("a.lic", strings.NewReader(strings.Repeat("x", 2<<10+1)), 2<<10), "the license file is larger than 2 KiB"},
		{file("a.lic", strings.NewReader(strings.Repeat("x", 1<<20+1)), 1<<20), "the license file is larger than 1 MiB"},
		{file("a.lic", failingReader{}, 10), "vbgc: Install: read the license file: disk on fire"},
	} {
		_, _, err := UploadForm("vbgc: Install", tc.f)
		require.Error(t, err)
		assert.Contains(t, err.Error(), tc.want)
	}
	_, _, err := UploadForm("vbgc: Install", file("a.lic", strings.NewReader(strings.Repeat("x", 10)), 10))
	assert.NoError(t, err, "a file of exactly the limit is taken")
}
