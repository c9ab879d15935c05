package vbawsfake

import (
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // a thumbprint, not a security measure
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

func (f *Fake) settingsHandlers() map[string]fake.HandlerFunc {
	return map[string]fake.HandlerFunc{
		"GetCertificates": readAdmin(f, func(a *admin) vbawsapi.Certificates {
			return vbawsapi.Certificates{Data: []vbawsapi.Certificate{a.cert}}
		}),
		"RecreateCertificate": withBody(f, f.regenerateCertificate),
		"UploadCertificate":   f.uploadCertificate,

		"GetRetentionSettings":        readAdmin(f, func(a *admin) vbawsapi.RetentionSettings { return a.retention }),
		"UpdateRetentionSettings":     withBody(f, f.updateRetention),
		"SetDefaultRetentionSettings": f.resetRetention,

		"GetDateTimeSettings":        readAdmin(f, func(a *admin) vbawsapi.DateTimeSettings { return a.dateTime }),
		"SetDateTimeSettings":        withBody(f, f.setDateTime),
		"GetTimeZones":               f.timeZones,
		"SetDefaultDateTimeSettings": f.setDefaultDateTime,
		"GetDefaultDateTimeSettings": f.defaultDateTime,

		"GetLicenseAgreement": f.licenseAgreements,
		"GetCurrentLicenseAgreementAccepted": readAdmin(f, func(a *admin) vbawsapi.LicenseAgreementAcceptResult {
			return vbawsapi.LicenseAgreementAcceptResult{Accepted: a.accepted}
		}),
		"AcceptLicenseAgreement":       f.acceptAgreements,
		"DownloadLicenseAgreementFile": f.downloadAgreement,

		"Test": f.connectionTest,
	}
}

// readAdmin answers what get returns, taken under f.mu.
func readAdmin[T any](f *Fake, get func(a *admin) T) fake.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
		f.mu.Lock()
		v := get(f.admin)
		f.mu.Unlock()
		veeamfake.WriteJSON(w, http.StatusOK, v)
	}
}

// ---- the TLS certificate

// applianceHost is the name the fake's self-signed certificates are for.
const applianceHost = "vbaws-appliance.example.com"

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return strings.ToUpper(hex.EncodeToString(b))
}

// selfSigned is a certificate the appliance generated itself.
func selfSigned(from, by time.Time) vbawsapi.Certificate {
	return vbawsapi.Certificate{
		Thumbprint: randomHex(20), SerialNumber: randomHex(8), KeyAlgorithm: "RSA", KeySize: "2048",
		Subject: "CN=" + applianceHost, IssuedTo: applianceHost, IssuedBy: applianceHost,
		ValidFrom: from, ValidBy: by, AutomaticallyGenerated: true,
	}
}

// regenerateCertificate replaces the certificate with a new self-signed
// one that expires at validBy (in ten years when not given).
func (f *Fake) regenerateCertificate(w http.ResponseWriter, r *http.Request, _ *fake.Input, spec vbawsapi.CertificateRegenerateSpec) {
	now := time.Now().UTC()
	by := now.AddDate(10, 0, 0)
	if spec.ValidBy != nil {
		by = spec.ValidBy.UTC()
	}
	if !by.After(now) {
		badRequest(w, r, "validBy must be in the future")
		return
	}
	f.admin.cert = selfSigned(now, by)
	w.WriteHeader(http.StatusAccepted)
}

// pfxMagic starts the certificate files of CertificateFile.
const pfxMagic = "VBAWSFAKE-PFX"

// CertificateFile returns a file that the fake's certificate upload takes
// for a .PFX certificate: one for subject (a host name), issued by issuer,
// valid until validBy and protected by password. The file holds a hash of
// the password, not the password.
func CertificateFile(subject, issuer, password string, validBy time.Time) []byte {
	sum := sha256.Sum256([]byte(password))
	return fmt.Appendf(nil, "%s\nsubject=%s\nissuer=%s\nvalidBy=%s\npassword=%s\n", pfxMagic, subject, issuer,
		validBy.UTC().Format(time.RFC3339), hex.EncodeToString(sum[:]))
}

var errNotPFX = errors.New("the file is not a PKCS #12 (.PFX) certificate")

// openPFX reads a file of CertificateFile with its password. Its errors
// never quote the password.
func openPFX(content []byte, password string) (vbawsapi.Certificate, error) {
	lines := strings.Split(strings.TrimSpace(string(content)), "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != pfxMagic {
		return vbawsapi.Certificate{}, errNotPFX
	}
	kv := map[string]string{}
	for _, l := range lines[1:] {
		if k, v, ok := strings.Cut(strings.TrimSpace(l), "="); ok {
			kv[k] = v
		}
	}
	want, err := hex.DecodeString(kv["password"])
	if err != nil || kv["subject"] == "" {
		return vbawsapi.Certificate{}, errNotPFX
	}
	got := sha256.Sum256([]byte(password))
	if subtle.ConstantTimeCompare(got[:], want) != 1 {
		return vbawsapi.Certificate{}, errors.New("the certificate password is incorrect")
	}
	by, err := time.Parse(time.RFC3339, kv["validBy"])
	if err != nil {
		return vbawsapi.Certificate{}, errNotPFX
	}
	now := time.Now().UTC()
	if !by.After(now) {
		return vbawsapi.Certificate{}, errors.New("the certificate has expired")
	}
	thumb := sha1.Sum(content) //nolint:gosec // a thumbprint
	return vbawsapi.Certificate{
		Thumbprint: strings.ToUpper(hex.EncodeToString(thumb[:])), SerialNumber: randomHex(8), KeyAlgorithm: "RSA", KeySize: "2048",
		Subject: "CN=" + kv["subject"], IssuedTo: kv["subject"], IssuedBy: kv["issuer"], ValidFrom: now, ValidBy: by,
	}, nil
}

// uploadCertificate installs a certificate of CertificateFile when the
// password opens it.
func (f *Fake) uploadCertificate(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	form, err := fake.FormParts(r.Header.Get("Content-Type"), in.Body, "certificateFile", "certificatePassword")
	if err == nil {
		var cert vbawsapi.Certificate
		if cert, err = openPFX(form["certificateFile"], string(form["certificatePassword"])); err == nil {
			f.mu.Lock()
			f.admin.cert = cert
			f.mu.Unlock()
			w.WriteHeader(http.StatusAccepted)
			return
		}
	}
	badRequest(w, r, err.Error())
}

// ---- global retention settings

// The documented defaults: snapshots of resources no policy protects are
// kept, and session records are removed after 365 days.
func defaultRetention() vbawsapi.RetentionSettings {
	return vbawsapi.RetentionSettings{
		LingeringSnapshotRetentionDisabled: true,
		LingeringSnapshotRetention:         &vbawsapi.RetentionSetting{TimeRetentionDuration: 90, RetentionDurationType: vbawsapi.RetentionSettingRetentionDurationTypeDaily},
		SessionsRetention:                  &vbawsapi.RetentionSetting{TimeRetentionDuration: 365, RetentionDurationType: vbawsapi.RetentionSettingRetentionDurationTypeDaily},
	}
}

// retentionProblem says what is wrong with retention settings: lingering
// snapshots are kept at least 90 days or 3 months, session records at
// least a day or a month.
func retentionProblem(s vbawsapi.RetentionSettings) string {
	if !s.LingeringSnapshotRetentionDisabled {
		l := s.LingeringSnapshotRetention
		switch {
		case l == nil:
			return "lingeringSnapshotRetention is required unless lingeringSnapshotRetentionDisabled"
		case l.RetentionDurationType == vbawsapi.RetentionSettingRetentionDurationTypeDaily && l.TimeRetentionDuration < 90,
			l.RetentionDurationType == vbawsapi.RetentionSettingRetentionDurationTypeMonthly && l.TimeRetentionDuration < 3:
			return "lingering snapshots are kept at least 90 days or 3 months"
		case l.RetentionDurationType == vbawsapi.RetentionSettingRetentionDurationTypePoints:
			return "lingering snapshots are kept for a number of days or months"
		}
	}
	if !s.KeepAllSessions {
		sr := s.SessionsRetention
		switch {
		case sr == nil:
			return "sessionsRetention is required unless keepAllSessions"
		case sr.RetentionDurationType == vbawsapi.RetentionSettingRetentionDurationTypePoints:
			return "session records are kept for a number of days or months"
		case sr.TimeRetentionDuration < 1:
			return "session records are kept at least 1 day"
		}
	}
	return ""
}

// updateRetention replaces the settings; a period left out keeps its
// value.
func (f *Fake) updateRetention(w http.ResponseWriter, r *http.Request, _ *fake.Input, spec vbawsapi.RetentionSettings) {
	if spec.LingeringSnapshotRetention == nil {
		spec.LingeringSnapshotRetention = f.admin.retention.LingeringSnapshotRetention
	}
	if spec.SessionsRetention == nil {
		spec.SessionsRetention = f.admin.retention.SessionsRetention
	}
	if why := retentionProblem(spec); why != "" {
		badRequest(w, r, why)
		return
	}
	spec.Links = nil
	f.admin.retention = spec
	veeamfake.WriteJSON(w, http.StatusOK, spec)
}

func (f *Fake) resetRetention(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	f.mu.Lock()
	f.admin.retention = defaultRetention()
	s := f.admin.retention
	f.mu.Unlock()
	veeamfake.WriteJSON(w, http.StatusOK, s)
}

// ---- time zone

// zones are the time zones the fake offers.
var zones = []vbawsapi.TimeZone{
	{Name: "Etc/UTC", DisplayName: "(UTC) Coordinated Universal Time"},
	{Name: "Europe/London", DisplayName: "(UTC+00:00) Dublin, Edinburgh, Lisbon, London"},
	{Name: "Europe/Berlin", DisplayName: "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"},
	{Name: "America/New_York", DisplayName: "(UTC-05:00) Eastern Time (US & Canada)"},
	{Name: "Asia/Tokyo", DisplayName: "(UTC+09:00) Osaka, Sapporo, Tokyo"},
}

// defaultDateTime is the time zone of a new appliance: UTC.
func defaultDateTime() vbawsapi.DateTimeSettings {
	return vbawsapi.DateTimeSettings{Timezone: zones[0]}
}

// setDateTime sets one of the offered time zones; without
// useCustomSettings the appliance goes back to the default.
func (f *Fake) setDateTime(w http.ResponseWriter, r *http.Request, _ *fake.Input, spec vbawsapi.DateTimeSettings) {
	if !spec.UseCustomSettings {
		f.admin.dateTime = defaultDateTime()
		veeamfake.WriteJSON(w, http.StatusOK, f.admin.dateTime)
		return
	}
	for _, z := range zones {
		if z.Name == spec.Timezone.Name {
			f.admin.dateTime = vbawsapi.DateTimeSettings{Timezone: z, UseCustomSettings: true}
			veeamfake.WriteJSON(w, http.StatusOK, f.admin.dateTime)
			return
		}
	}
	badRequest(w, r, fmt.Sprintf("unknown time zone %q", spec.Timezone.Name))
}

func (f *Fake) timeZones(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	veeamfake.WriteJSON(w, http.StatusOK, vbawsapi.TimeZones{Items: zones})
}

func (f *Fake) setDefaultDateTime(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	f.mu.Lock()
	f.admin.dateTime = defaultDateTime()
	f.mu.Unlock()
	veeamfake.WriteJSON(w, http.StatusOK, defaultDateTime())
}

func (f *Fake) defaultDateTime(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	veeamfake.WriteJSON(w, http.StatusOK, defaultDateTime())
}

// ---- license agreements

// agreements are the texts of the fake's license agreements.
var agreements = []struct {
	typ     vbawsapi.LicenseAgreementTypes
	content string
}{
	{vbawsapi.LicenseAgreementTypesEula, "VEEAM END USER SOFTWARE LICENSE AGREEMENT (fake)\n\nYou may use this fake for testing.\n"},
	{vbawsapi.LicenseAgreementTypesThirdPartyAgreement, "THIRD PARTY COMPONENTS (fake)\n\nThe fake incorporates no third party components.\n"},
}

// AgreementChecksum returns the checksum that accepting the fake's license
// agreement of the given type takes (a SHA-256 of its text).
func AgreementChecksum(t vbawsapi.LicenseAgreementTypes) string {
	for _, a := range agreements {
		if a.typ == t {
			sum := sha256.Sum256([]byte(a.content))
			return hex.EncodeToString(sum[:])
		}
	}
	return ""
}

func (f *Fake) licenseAgreements(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	res := vbawsapi.LicenseAgreements{Items: []vbawsapi.LicenseAgreement{}}
	for _, a := range agreements {
		res.Items = append(res.Items, vbawsapi.LicenseAgreement{Type: a.typ, Checksum: to.Ptr(AgreementChecksum(a.typ)), Content: to.Ptr(a.content)})
	}
	veeamfake.WriteJSON(w, http.StatusOK, res)
}

// acceptAgreements accepts the agreements when both checksums are those of
// the current texts. The licensing policy and required software checksums
// of later revisions are not checked: the fake has no such agreements.
func (f *Fake) acceptAgreements(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	q := r.URL.Query()
	for _, c := range []struct {
		param string
		typ   vbawsapi.LicenseAgreementTypes
	}{{"eulaChecksum", vbawsapi.LicenseAgreementTypesEula}, {"thirdPartyLicenseAgreementChecksum", vbawsapi.LicenseAgreementTypesThirdPartyAgreement}} {
		if q.Get(c.param) != AgreementChecksum(c.typ) {
			badRequest(w, r, c.param+" is not the checksum of the current "+string(c.typ)+" text")
			return
		}
	}
	f.mu.Lock()
	f.admin.accepted = true
	f.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (f *Fake) downloadAgreement(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	t := vbawsapi.LicenseAgreementTypes(r.URL.Query().Get("licenseAgreementType"))
	for _, a := range agreements {
		if a.typ == t {
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Header().Set("Content-Disposition", `attachment; filename="`+string(t)+`.txt"`)
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, a.content)
			return
		}
	}
	badRequest(w, r, "unknown license agreement type")
}

// ---- connection test

func (f *Fake) connectionTest(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	veeamfake.WriteJSON(w, http.StatusOK, struct{}{})
}
