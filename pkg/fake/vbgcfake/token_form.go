package vbgcfake

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// tokenFields are the form fields of POST /api/v1/token as the reference
// spells them.
var tokenFields = []string{"grant_type", "username", "password", "refresh_token",
	"use_short_term_refresh", "code", "mfa_token", "mfa_code"}

// oldestAPIVersion is the revision a client that sends no x-api-version
// header gets on /token.
const oldestAPIVersion = "1.0-rev0"

// ServeHTTP serves the fake. A token request is first read the way the
// appliance reads it (see normalizeTokenRequest); everything else goes to
// the spec-validating engine as it is.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && (r.URL.Path == "/api/v1/token" || r.URL.Path == "/api/v1/token/") {
		if err := normalizeTokenRequest(r); err != nil {
			veeamfake.WriteJSONError(w, r, http.StatusBadRequest, "UnexpectedContent", err.Error())
			return
		}
	}
	f.Engine.ServeHTTP(w, r)
}

// normalizeTokenRequest makes a token request look as the reference writes
// it, because the appliance accepts more than the reference shows:
//
//   - The reference (v7 Token page; 1.0 "Requesting Authorization") spells
//     the form fields in lower case and grant_type as "password",
//     "refresh_token", "authorization_code" or "mfa". The appliance binds
//     the form to a model (Veeam Backup for AWS 1.0 Swagger, published by
//     Veeam in VeeamHub/veeam-aws-sdk-go: the fields are those of LoginSpec,
//     grant_type an enum type), and its binder matches names and enum values
//     without regard to case; the product's own docs write the same query
//     parameter both ways (Offset page: "?Offset=2"; reference: "offset").
//     Veeam's published Grafana collector for this product
//     (VeeamHub/grafana, veeam_gcp.sh) logs in to a 1.0 appliance with
//     "Username=", "Password=" and "grant_type=Password".
//   - The reference marks x-api-version as required on every operation,
//     /token included, but that collector sends none on /token and reads the
//     access token from the answer; the fake takes such a request as the
//     oldest revision, 1.0-rev0.
//   - The "Requesting Authorization" pages write the endpoint "api/v1/token/"
//     with a trailing slash.
//
// Field names the reference does not know are left alone (and an unknown
// grant type is still refused with 400).
func normalizeTokenRequest(r *http.Request) error {
	r.URL.Path = "/api/v1/token"
	r.URL.RawPath = ""
	if r.Header.Get("x-api-version") == "" {
		r.Header.Set("x-api-version", oldestAPIVersion)
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil // the engine refuses it against the spec
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return err
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return errMalformedForm
	}
	out := url.Values{}
	for k, vs := range form {
		name := k
		for _, f := range tokenFields {
			if strings.EqualFold(k, f) {
				name = f
				break
			}
		}
		out[name] = append(out[name], vs...)
	}
	if gt := out["grant_type"]; len(gt) > 0 {
		for i, v := range gt {
			for _, known := range []string{"password", "refresh_token", "authorization_code", "mfa"} {
				if strings.EqualFold(v, known) {
					gt[i] = known
				}
			}
		}
	}
	enc := out.Encode()
	r.Body = io.NopCloser(bytes.NewReader([]byte(enc)))
	r.ContentLength = int64(len(enc))
	r.Header.Set("Content-Length", strconv.Itoa(len(enc)))
	r.PostForm, r.Form = nil, nil
	return nil
}

type tokenFormError string

func (e tokenFormError) Error() string { return string(e) }

const errMalformedForm = tokenFormError("malformed form body")
