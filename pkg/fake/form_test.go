package fake

import (
	"bytes"
	"mime/multipart"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormParts(t *testing.T) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("licenseFile", "a.lic")
	require.NoError(t, err)
	_, err = fw.Write([]byte("LICENSE"))
	require.NoError(t, err)
	require.NoError(t, mw.WriteField("note", "n"))
	require.NoError(t, mw.Close())

	parts, err := FormParts(mw.FormDataContentType(), body.Bytes(), "licenseFile")
	require.NoError(t, err)
	assert.Equal(t, map[string][]byte{"licenseFile": []byte("LICENSE"), "note": []byte("n")}, parts)

	_, err = FormParts(mw.FormDataContentType(), body.Bytes(), "licenseFile", "password")
	assert.EqualError(t, err, "the form has no password part")
	_, err = FormParts("application/json", body.Bytes())
	assert.EqualError(t, err, "expected a multipart/form-data body")
	_, err = FormParts("multipart/form-data", body.Bytes())
	assert.EqualError(t, err, "expected a multipart/form-data body", "no boundary")
	_, err = FormParts(mw.FormDataContentType(), body.Bytes()[:body.Len()/2])
	assert.EqualError(t, err, "malformed multipart body")
}
