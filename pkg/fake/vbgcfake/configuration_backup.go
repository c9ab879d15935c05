package vbgcfake

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// Configuration backup keeps its settings, the restore points that manual
// backups create, the exports started from them (keyed by their session id)
// and the files imported (keyed by their session id). An exported file is a
// small text document the fake recognizes again when it is imported.
type configBackup struct {
	f        *Fake
	settings vbgcapi.ConfigurationBackupSettingsModel
	points   *table[uuid.UUID, vbgcapi.ConfigurationBackupRestorePointModel]
	exports  map[uuid.UUID]cbExport
	imports  map[uuid.UUID]cbImport
}

type cbExport struct {
	content []byte
}

type cbImport struct {
	fileName string
	content  []byte
}

// cbMagic starts every configuration backup file the fake produces.
const cbMagic = "VBGC-CONFIG-BACKUP/1"

const cbProductVersion = "6.0.0.1234"

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		c := &configBackup{f: f, settings: vbgcapi.ConfigurationBackupSettingsModel{IsEnabled: false},
			points:  newTable[uuid.UUID, vbgcapi.ConfigurationBackupRestorePointModel](),
			exports: map[uuid.UUID]cbExport{}, imports: map[uuid.UUID]cbImport{}}
		f.state["ConfigurationBackup"] = c
		return map[string]fake.HandlerFunc{
			"ConfigurationBackupCreate":              c.create,
			"ConfigurationBackupScheduleEnable":      c.schedule(true),
			"ConfigurationBackupScheduleDisable":     c.schedule(false),
			"ConfigurationBackupSettingsGet":         readHandler(f, func() vbgcapi.ConfigurationBackupSettingsModel { return c.settings }),
			"ConfigurationBackupSettingsModify":      c.modifySettings,
			"ConfigurationBackupRestorePointsGetAll": listHandler(f, c.points.list),
			"ConfigurationBackupRestorePointGet":     getHandler(f, c.points, c.find()),
			"ConfigurationBackupRestorePointDelete":  deleteHandler(f, c.points, c.find()),
			"ConfigurationBackupExportStart":         withItem(f, c.find(), c.export),
			"ConfigurationBackupExportStatus":        c.exportStatus,
			"ConfigurationBackupExportDownload":      c.download,
			"ConfigurationBackupImport":              c.importFile,
			"ConfigurationBackupImportCheck":         c.check,
		}
	})
}

// ConfigurationRestorePointCount returns how many configuration backup
// restore points the fake holds.
func (f *Fake) ConfigurationRestorePointCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c, ok := f.state["ConfigurationBackup"].(*configBackup); ok {
		return c.points.len()
	}
	return 0
}

func (c *configBackup) create(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := decodeBody[vbgcapi.ConfigurationBackupSpec](w, r, in)
	if !ok {
		return
	}
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	repo := spec.RepositoryID
	if repo == nil {
		repo = c.settings.RepositoryID
	}
	if repo == nil {
		badRequest(w, r, "no repository: give repositoryId or configure the configuration backup settings")
		return
	}
	now := time.Now().UTC()
	id := uuid.New()
	name := fmt.Sprintf("VeeamBackupForGoogleCloud_%s_%d.vbgcbak", now.Format("2006-01-02_150405"), c.points.len()+1)
	typ := vbgcapi.EConfigurationBackupRestorePointTypeManual
	version := cbProductVersion
	history := spec.IncludeSessionHistory != nil && *spec.IncludeSessionHistory
	repoName := cbRepositoryName(*repo)
	p := vbgcapi.ConfigurationBackupRestorePointModel{ID: id, FileName: &name, CreationTime: now, Type: &typ,
		RepositoryID: repo, RepositoryName: &repoName, ProductVersion: &version, IncludesSessionHistory: &history}
	size := int64(len(cbFile(p, false)))
	p.SizeBytes = &size
	c.points.put(id, p)
	c.f.answerSession(w, http.StatusOK, vbgcapi.ESessionTypeConfigurationBackup, "Configuration backup", nil)
}

func cbRepositoryName(id uuid.UUID) string { return "repository-" + id.String()[:8] }

// cbFile is the content of the file exported from restore point p.
func cbFile(p vbgcapi.ConfigurationBackupRestorePointModel, encrypted bool) []byte {
	name := ""
	if p.FileName != nil {
		name = *p.FileName
	}
	history := p.IncludesSessionHistory != nil && *p.IncludesSessionHistory
	return fmt.Appendf(nil, "%s\nid=%s\nfile=%s\ncreated=%s\nversion=%s\nhistory=%t\nencrypted=%t\n",
		cbMagic, p.ID, name, p.CreationTime.Format(time.RFC3339), cbProductVersion, history, encrypted)
}

func (c *configBackup) schedule(on bool) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
		c.f.mu.Lock()
		defer c.f.mu.Unlock()
		if on && (c.settings.RepositoryID == nil || c.settings.Schedule == nil) {
			badRequest(w, r, "configure the repository and schedule before enabling scheduled configuration backup")
			return
		}
		c.settings.IsEnabled = on
		w.WriteHeader(http.StatusNoContent)
	}
}

func (c *configBackup) modifySettings(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := decodeBody[vbgcapi.ConfigurationBackupSettingsSpec](w, r, in)
	if !ok {
		return
	}
	user, _ := in.Principal.(string)
	now := time.Now().UTC()
	repoID, repoName, schedule := spec.RepositoryID, cbRepositoryName(spec.RepositoryID), spec.Schedule
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	c.settings = vbgcapi.ConfigurationBackupSettingsModel{IsEnabled: c.settings.IsEnabled, RepositoryID: &repoID,
		RepositoryName: &repoName, IncludeSessionHistory: spec.IncludeSessionHistory, NotificationEmail: spec.NotificationEmail,
		ShouldSendCompletionNotification: spec.ShouldSendCompletionNotification, Schedule: &schedule,
		ModifiedBy: &user, ModificationTime: &now}
	veeamfake.WriteJSON(w, http.StatusOK, c.settings)
}

// find resolves the restorePointId path parameter.
func (c *configBackup) find() finder[uuid.UUID] {
	return byUUID(c.points, "restorePointId", "the configuration backup restore point")
}

func (c *configBackup) export(w http.ResponseWriter, _ *http.Request, _ *fake.Input, spec vbgcapi.ConfigurationBackupExportSpec, id uuid.UUID) {
	encrypted := spec.Password != nil && *spec.Password != ""
	sid := c.f.answerSession(w, http.StatusOK, vbgcapi.ESessionTypeConfigurationBackup, "Configuration backup export", nil)
	c.exports[sid] = cbExport{content: cbFile(c.points.items[id], encrypted)}
}

// exportLocked resolves the exportId path parameter to the export and its
// session.
func (c *configBackup) exportLocked(w http.ResponseWriter, r *http.Request, in *fake.Input) (uuid.UUID, cbExport, *session, bool) {
	id, ok := uuidParam(w, r, in, "exportId")
	if !ok {
		return id, cbExport{}, nil, false
	}
	e, ok := c.exports[id]
	if !ok {
		notFound(w, r, "the configuration backup export")
		return id, e, nil, false
	}
	return id, e, c.f.sessions.items[id], true
}

func cbExportState(s *session) vbgcapi.EConfigurationBackupExportStatus {
	switch {
	case s.model.Status != vbgcapi.ESessionStatusStopped:
		return vbgcapi.EConfigurationBackupExportStatusRunning
	case s.model.Result == vbgcapi.ESessionResultSuccess || s.model.Result == vbgcapi.ESessionResultWarning:
		return vbgcapi.EConfigurationBackupExportStatusSuccess
	default:
		return vbgcapi.EConfigurationBackupExportStatusFailed
	}
}

func (c *configBackup) exportStatus(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	id, e, s, ok := c.exportLocked(w, r, in)
	if !ok {
		return
	}
	st := vbgcapi.ConfigurationBackupExportStatusModel{ExportID: id, Status: cbExportState(s), ProgressPercent: s.model.ProgressPercent}
	switch st.Status {
	case vbgcapi.EConfigurationBackupExportStatusSuccess:
		name, size := cbFileName(e.content), int64(len(e.content))
		st.FileName, st.SizeBytes = &name, &size
	case vbgcapi.EConfigurationBackupExportStatusFailed:
		msg := "the export ended " + string(s.model.Result)
		st.ErrorMessage = &msg
	}
	veeamfake.WriteJSON(w, http.StatusOK, st)
}

func (c *configBackup) download(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	_, e, s, ok := c.exportLocked(w, r, in)
	if !ok {
		return
	}
	if st := cbExportState(s); st != vbgcapi.EConfigurationBackupExportStatusSuccess {
		badRequest(w, r, "the export has not succeeded (it is "+string(st)+")")
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": cbFileName(e.content)}))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(e.content)
}

// cbFields reads the key=value lines of a file the fake produced; ok is
// false for anything else.
func cbFields(content []byte) (map[string]string, bool) {
	sc := bufio.NewScanner(bytes.NewReader(content))
	if !sc.Scan() || sc.Text() != cbMagic {
		return nil, false
	}
	m := map[string]string{}
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			m[k] = v
		}
	}
	return m, true
}

func cbFileName(content []byte) string {
	m, _ := cbFields(content)
	return m["file"]
}

func (c *configBackup) importFile(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	name, content, err := cbFormFile(r.Header.Get("Content-Type"), in.Body)
	if err != nil {
		badRequest(w, r, err.Error())
		return
	}
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	sid := c.f.answerSession(w, http.StatusOK, vbgcapi.ESessionTypeConfigurationRestore, "Configuration backup import", nil)
	c.imports[sid] = cbImport{fileName: name, content: content}
}

// cbFormFile returns the name and content of the "file" part of a
// multipart/form-data body.
func cbFormFile(contentType string, body []byte) (string, []byte, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return "", nil, errors.New("expected a multipart/form-data body")
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if err != nil {
			return "", nil, errors.New("the body has no file part")
		}
		if part.FormName() != "file" {
			continue
		}
		content, err := io.ReadAll(part)
		if err != nil {
			return "", nil, errors.New("cannot read the file part")
		}
		return part.FileName(), content, nil
	}
}

func (c *configBackup) check(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := decodeBody[vbgcapi.ConfigurationBackupCheckImportedFileSpec](w, r, in)
	if !ok {
		return
	}
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	imp, ok := c.imports[spec.SessionID]
	if !ok {
		badRequest(w, r, "no file was imported by this session")
		return
	}
	name := imp.fileName
	res := vbgcapi.ConfigurationBackupCheckImportedFileResultModel{FileName: &name}
	fields, ok := cbFields(imp.content)
	if !ok {
		msg := "the file is not a Veeam Backup for Google Cloud configuration backup"
		res.Message = &msg
		veeamfake.WriteJSON(w, http.StatusOK, res)
		return
	}
	encrypted := fields["encrypted"] == "true"
	history := fields["history"] == "true"
	version := fields["version"]
	res.IsEncrypted, res.IncludesSessionHistory, res.ProductVersion = &encrypted, &history, &version
	if t, err := time.Parse(time.RFC3339, fields["created"]); err == nil {
		res.CreationTime = &t
	}
	res.IsValid = true
	if encrypted && (spec.Password == nil || *spec.Password == "") {
		res.IsValid = false
		msg := "the file is protected with a password"
		res.Message = &msg
	}
	veeamfake.WriteJSON(w, http.StatusOK, res)
}
