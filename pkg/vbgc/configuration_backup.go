package vbgc

import (
	"context"
	"errors"
	"io"
	"iter"
	"mime/multipart"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
)

// ConfigurationBackupService covers Configuration Backup (/api/v1/configurationBackup): backing up, exporting and importing the appliance configuration.
type ConfigurationBackupService struct{ service }

// Create starts a manual backup of the configuration database and returns
// its session; follow it with Sessions.Wait.
func (s *ConfigurationBackupService) Create(ctx context.Context, spec vbgcapi.ConfigurationBackupSpec) (*vbgcapi.SessionIDModel, error) {
	resp, err := s.api.ConfigurationBackupCreate(ctx, &vbgcapi.ConfigurationBackupCreateParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbgcapi.SessionIDModel](resp, err, decode)
}

// EnableSchedule enables the scheduled backup of the configuration database.
func (s *ConfigurationBackupService) EnableSchedule(ctx context.Context) error {
	resp, err := s.api.ConfigurationBackupScheduleEnable(ctx, &vbgcapi.ConfigurationBackupScheduleEnableParams{XAPIVersion: s.version})
	return respond.Empty(resp, err, decode)
}

// DisableSchedule disables the scheduled backup of the configuration
// database.
func (s *ConfigurationBackupService) DisableSchedule(ctx context.Context) error {
	resp, err := s.api.ConfigurationBackupScheduleDisable(ctx, &vbgcapi.ConfigurationBackupScheduleDisableParams{XAPIVersion: s.version})
	return respond.Empty(resp, err, decode)
}

// Settings returns the settings of the scheduled configuration backup.
func (s *ConfigurationBackupService) Settings(ctx context.Context) (*vbgcapi.ConfigurationBackupSettingsModel, error) {
	resp, err := s.api.ConfigurationBackupSettingsGet(ctx, &vbgcapi.ConfigurationBackupSettingsGetParams{XAPIVersion: s.version})
	return respond.JSON[vbgcapi.ConfigurationBackupSettingsModel](resp, err, decode)
}

// UpdateSettings modifies the settings of the scheduled configuration
// backup and returns them as stored.
func (s *ConfigurationBackupService) UpdateSettings(ctx context.Context, spec vbgcapi.ConfigurationBackupSettingsSpec) (*vbgcapi.ConfigurationBackupSettingsModel, error) {
	resp, err := s.api.ConfigurationBackupSettingsModify(ctx, &vbgcapi.ConfigurationBackupSettingsModifyParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbgcapi.ConfigurationBackupSettingsModel](resp, err, decode)
}

// RestorePoints returns one page of the restore points of the configuration
// database.
func (s *ConfigurationBackupService) RestorePoints(ctx context.Context, opts *ListOptions) (*vbgcapi.ConfigurationBackupRestorePointListModel, error) {
	q, err := opts.encode(s.version)
	if err != nil {
		return nil, err
	}
	return s.restorePoints(ctx, q)
}

func (s *ConfigurationBackupService) restorePoints(ctx context.Context, q query) (*vbgcapi.ConfigurationBackupRestorePointListModel, error) {
	p := vbgcapi.ConfigurationBackupRestorePointsGetAllParams(q)
	resp, err := s.api.ConfigurationBackupRestorePointsGetAll(ctx, &p)
	return respond.JSON[vbgcapi.ConfigurationBackupRestorePointListModel](resp, err, decode)
}

// AllRestorePoints iterates over every configuration backup restore point
// matching opts.
func (s *ConfigurationBackupService) AllRestorePoints(ctx context.Context, opts *ListOptions) iter.Seq2[vbgcapi.ConfigurationBackupRestorePointModel, error] {
	return all(ctx, s.version, opts, func(ctx context.Context, q query) ([]vbgcapi.ConfigurationBackupRestorePointModel, vbgcapi.PaginationModel, error) {
		page, err := s.restorePoints(ctx, q)
		if err != nil {
			return nil, vbgcapi.PaginationModel{}, err
		}
		return page.Data, page.Pagination, nil
	})
}

// RestorePoint returns one configuration backup restore point.
func (s *ConfigurationBackupService) RestorePoint(ctx context.Context, id uuid.UUID) (*vbgcapi.ConfigurationBackupRestorePointModel, error) {
	resp, err := s.api.ConfigurationBackupRestorePointGet(ctx, id, &vbgcapi.ConfigurationBackupRestorePointGetParams{XAPIVersion: s.version})
	return respond.JSON[vbgcapi.ConfigurationBackupRestorePointModel](resp, err, decode)
}

// DeleteRestorePoint removes a configuration backup restore point.
func (s *ConfigurationBackupService) DeleteRestorePoint(ctx context.Context, id uuid.UUID) error {
	resp, err := s.api.ConfigurationBackupRestorePointDelete(ctx, id, &vbgcapi.ConfigurationBackupRestorePointDeleteParams{XAPIVersion: s.version})
	return respond.Empty(resp, err, decode)
}

// Export starts exporting a restore point to a file and returns its
// session; follow it with Sessions.Wait, then read ExportStatus and
// Download with the session id as the export id.
func (s *ConfigurationBackupService) Export(ctx context.Context, restorePointID uuid.UUID, spec vbgcapi.ConfigurationBackupExportSpec) (*vbgcapi.SessionIDModel, error) {
	resp, err := s.api.ConfigurationBackupExportStart(ctx, restorePointID, &vbgcapi.ConfigurationBackupExportStartParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbgcapi.SessionIDModel](resp, err, decode)
}

// ExportStatus returns the status of an export; exportID is the session id
// Export returned.
func (s *ConfigurationBackupService) ExportStatus(ctx context.Context, exportID uuid.UUID) (*vbgcapi.ConfigurationBackupExportStatusModel, error) {
	resp, err := s.api.ConfigurationBackupExportStatus(ctx, exportID, &vbgcapi.ConfigurationBackupExportStatusParams{XAPIVersion: s.version})
	return respond.JSON[vbgcapi.ConfigurationBackupExportStatusModel](resp, err, decode)
}

// Download streams the file a finished export produced; exportID is the
// session id Export returned. The caller closes the reader.
func (s *ConfigurationBackupService) Download(ctx context.Context, exportID uuid.UUID) (io.ReadCloser, error) {
	resp, err := s.api.ConfigurationBackupExportDownload(ctx, exportID, &vbgcapi.ConfigurationBackupExportDownloadParams{XAPIVersion: s.version},
		accept("application/octet-stream"))
	return respond.Stream(resp, err, decode)
}

// Import uploads a configuration backup file, read from file as the upload
// goes (nothing is buffered whole), and returns the import session; follow
// it with Sessions.Wait, then CheckImport with its id. fileName is the name
// the appliance records for the file. The request is not retried, since
// file can be read only once. Import has stopped reading file when it
// returns.
func (s *ConfigurationBackupService) Import(ctx context.Context, fileName string, file io.Reader) (*vbgcapi.SessionIDModel, error) {
	if fileName == "" {
		return nil, errors.New("vbgc: Import needs a file name")
	}
	if file == nil {
		return nil, errors.New("vbgc: Import needs a file to read")
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
	resp, err := s.api.ConfigurationBackupImportWithBody(ctx, &vbgcapi.ConfigurationBackupImportParams{XAPIVersion: s.version},
		mw.FormDataContentType(), pr)
	// Closing the read side stops the writer if the request ended early;
	// waiting for it means file is no longer read once Import returns.
	_ = pr.Close()
	<-done
	return respond.JSON[vbgcapi.SessionIDModel](resp, err, decode)
}

// CheckImport checks whether an imported file can be used to restore the
// configuration; spec.SessionId is the session Import returned.
func (s *ConfigurationBackupService) CheckImport(ctx context.Context, spec vbgcapi.ConfigurationBackupCheckImportedFileSpec) (*vbgcapi.ConfigurationBackupCheckImportedFileResultModel, error) {
	if spec.SessionID == uuid.Nil {
		return nil, errors.New("vbgc: CheckImport needs the import session id")
	}
	resp, err := s.api.ConfigurationBackupImportCheck(ctx, &vbgcapi.ConfigurationBackupImportCheckParams{XAPIVersion: s.version}, spec)
	return respond.JSON[vbgcapi.ConfigurationBackupCheckImportedFileResultModel](resp, err, decode)
}
