package vbawsfake

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// The appliance's system information beyond its version: its clock, the
// IDs it is known by to Veeam support, and its logs. The logs are a .zip
// archive holding VeeamBackupForAWS.log: a line per record of the session
// logs in the range asked for.

// LogFileName is the file the log archive of the fake holds.
const LogFileName = "VeeamBackupForAWS.log"

// miscHandlers are the handlers of the sessions' deleted items and export,
// the exports of the infrastructure lists, the license install, export and
// notifications, and the system information.
func (f *Fake) miscHandlers() map[string]fake.HandlerFunc {
	return map[string]fake.HandlerFunc{
		"GetRetentionSessionDeletedRestorePoints": f.deletedItems,
		"ExportSessions":              f.exportSessions,
		"ExportAmazonAccounts":        f.exportRoles,
		"ExportStandardAccounts":      f.exportAccounts,
		"ValidateStandardAccountName": withBody(f, f.validateAccountName),
		"ExportRepositories":          f.exportRepos,
		"InstallLicense":              f.installLicense,
		"ExportLicense":               f.exportLicense,
		"GetAllLicenseNotifications":  f.licenseAlertList,
		"ResolveLicenseNotifications": withBody(f, f.resolveAlerts),
		"GetSystemLogs":               f.systemLogs,
		"GetSystemDateTimeInfo":       f.systemTime,
		"GetProductId":                f.productID,
	}
}

// now is the fake's clock (WithClock).
func (f *Fake) now() time.Time {
	if f.Tokens.Now != nil {
		return f.Tokens.Now().UTC()
	}
	return time.Now().UTC()
}

func (f *Fake) systemTime(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	veeamfake.WriteJSON(w, http.StatusOK, vbawsapi.DateTimeInfo{UtcDateTime: f.now()})
}

// productID answers the AWS account of the appliance (that of its default
// IAM role) and the support ID of the license.
func (f *Fake) productID(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	f.mu.Lock()
	var id vbawsapi.ProductID
	for _, a := range f.infra.roles.list(nil) {
		if a.IAMRole != nil && a.IAMRole.IsDefault {
			id.Awsid = a.Awsid
		}
	}
	lic := f.licenseLocked()
	id.Supportid = valueOf(lic.SupportID)
	f.mu.Unlock()
	veeamfake.WriteJSON(w, http.StatusOK, id)
}

// logRange reads the range of the logs asked for: the last Days days, or
// FromDateUtc to ToDateUtc. It says why a query is refused.
func (f *Fake) logRange(r *http.Request) (from, to time.Time, why string) {
	q := r.URL.Query()
	switch vbawsapi.ExportLogsTypes(q.Get("ExportLogsType")) {
	case vbawsapi.ExportLogsTypesBetweenDates:
		var err1, err2 error
		from, err1 = time.Parse(time.RFC3339, q.Get("FromDateUtc"))
		to, err2 = time.Parse(time.RFC3339, q.Get("ToDateUtc"))
		if err1 != nil || err2 != nil {
			return from, to, "BetweenDates needs FromDateUtc and ToDateUtc"
		}
		if to.Before(from) {
			return from, to, "ToDateUtc is before FromDateUtc"
		}
		return from, to, ""
	default: // LastDays, the default
		days, err := strconv.Atoi(q.Get("Days"))
		if err != nil || days < 1 || days > 3650 {
			return from, to, "LastDays needs Days of at least 1"
		}
		to = f.now()
		return to.AddDate(0, 0, -days), to, ""
	}
}

func (f *Fake) systemLogs(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	from, to, why := f.logRange(r)
	if why != "" {
		badRequest(w, r, why)
		return
	}
	var text bytes.Buffer
	fmt.Fprintf(&text, "Veeam Backup for AWS logs from %s to %s\n", from.Format(time.RFC3339), to.Format(time.RFC3339))
	f.log.mu.Lock()
	for _, id := range f.log.order {
		st := f.log.byID[id]
		for _, rec := range st.logs {
			if rec.LogTime.Before(from) || rec.LogTime.After(to) {
				continue
			}
			fmt.Fprintf(&text, "%s [%s] session %s (%s): %s\n", rec.LogTime.UTC().Format(time.RFC3339Nano), rec.Status, id, st.s.Type, valueOf(rec.Message))
		}
	}
	f.log.mu.Unlock()
	var archive bytes.Buffer
	zw := zip.NewWriter(&archive)
	fw, err := zw.Create(LogFileName)
	if err == nil {
		_, err = fw.Write(text.Bytes())
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		veeamfake.WriteError(w, r, http.StatusInternalServerError, "UnknownError", "the log archive could not be written")
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="logs.zip"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(archive.Bytes())
}
