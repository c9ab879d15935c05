package tests

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

func TestVBGCConfigurationBackupContract(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"))
	cb := c.ConfigurationBackup

	// Settings start unconfigured; the schedule cannot be enabled until they are set.
	st, err := cb.Settings(ctx)
	require.NoError(t, err)
	assert.False(t, st.IsEnabled)
	assert.Nil(t, st.RepositoryID)
	err = cb.EnableSchedule(ctx)
	assert.ErrorIs(t, err, apierr.ErrBadRequest)

	spec := example[vbgcapi.ConfigurationBackupSettingsSpec](t, "ConfigurationBackupSettingsSpec")
	st, err = cb.UpdateSettings(ctx, spec)
	require.NoError(t, err)
	assert.Equal(t, spec.RepositoryID, *st.RepositoryID)
	require.NotNil(t, st.ModifiedBy)
	assert.Equal(t, "admin", *st.ModifiedBy)
	assert.Equal(t, spec.Schedule.Type, st.Schedule.Type)
	assert.False(t, st.IsEnabled, "modifying the settings keeps the schedule state")

	require.NoError(t, cb.EnableSchedule(ctx))
	st, err = cb.Settings(ctx)
	require.NoError(t, err)
	assert.True(t, st.IsEnabled)
	require.NoError(t, cb.DisableSchedule(ctx))
	st, err = cb.Settings(ctx)
	require.NoError(t, err)
	assert.False(t, st.IsEnabled)

	// Manual backups start sessions and leave restore points.
	history := true
	var last uuid.UUID
	for range 7 {
		sess, err := cb.Create(ctx, vbgcapi.ConfigurationBackupSpec{IncludeSessionHistory: &history})
		require.NoError(t, err)
		done, err := c.Sessions.Wait(ctx, sess.SessionID, fastWait)
		require.NoError(t, err)
		assert.Equal(t, vbgcapi.ESessionTypeConfigurationBackup, done.SessionType)
		assert.Equal(t, vbgcapi.ESessionResultSuccess, done.Result)
	}
	assert.Equal(t, 7, srv.ConfigurationRestorePointCount())

	var ids []uuid.UUID
	for p, err := range cb.AllRestorePoints(ctx, &vbgc.ListOptions{Limit: 3}) {
		require.NoError(t, err)
		assert.Equal(t, vbgcapi.EConfigurationBackupRestorePointTypeManual, *p.Type)
		assert.Equal(t, spec.RepositoryID, *p.RepositoryID, "the repository comes from the settings")
		assert.True(t, *p.IncludesSessionHistory)
		ids = append(ids, p.ID)
	}
	require.Len(t, ids, 7)
	assert.Equal(t, 3, srv.Calls()["ConfigurationBackupRestorePointsGetAll"], "7 items in pages of 3")
	last = ids[len(ids)-1]

	page, err := cb.RestorePoints(ctx, &vbgc.ListOptions{Offset: 5, Limit: 10})
	require.NoError(t, err)
	assert.Len(t, page.Data, 2)
	assert.EqualValues(t, 7, page.Pagination.TotalCount)

	rp, err := cb.RestorePoint(ctx, last)
	require.NoError(t, err)
	assert.Equal(t, last, rp.ID)
	require.NotNil(t, rp.FileName)
	assert.True(t, strings.HasSuffix(*rp.FileName, ".vbgcbak"))

	// Export, follow the export session, read the status and download the file.
	exp, err := cb.Export(ctx, last, example[vbgcapi.ConfigurationBackupExportSpec](t, "ConfigurationBackupExportSpec"))
	require.NoError(t, err)
	status, err := cb.ExportStatus(ctx, exp.SessionID)
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.EConfigurationBackupExportStatusRunning, status.Status)
	_, err = cb.Download(ctx, exp.SessionID)
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "nothing to download before the export ends")

	_, err = c.Sessions.Wait(ctx, exp.SessionID, fastWait)
	require.NoError(t, err)
	status, err = cb.ExportStatus(ctx, exp.SessionID)
	require.NoError(t, err)
	assert.Equal(t, exp.SessionID, status.ExportID)
	assert.Equal(t, vbgcapi.EConfigurationBackupExportStatusSuccess, status.Status)
	assert.Equal(t, *rp.FileName, *status.FileName)

	body, err := cb.Download(ctx, exp.SessionID)
	require.NoError(t, err)
	file, err := io.ReadAll(body)
	require.NoError(t, err)
	require.NoError(t, body.Close())
	assert.EqualValues(t, *status.SizeBytes, len(file))

	// Import the downloaded file (streamed as multipart) and check it.
	imp, err := cb.Import(ctx, *status.FileName, bytes.NewReader(file))
	require.NoError(t, err)
	done, err := c.Sessions.Wait(ctx, imp.SessionID, fastWait)
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.ESessionTypeConfigurationRestore, done.SessionType)

	res, err := cb.CheckImport(ctx, vbgcapi.ConfigurationBackupCheckImportedFileSpec{SessionID: imp.SessionID})
	require.NoError(t, err)
	assert.False(t, res.IsValid, "the export was password-protected and no password was given")
	assert.True(t, *res.IsEncrypted)
	pw := "S3cret!pass"
	res, err = cb.CheckImport(ctx, vbgcapi.ConfigurationBackupCheckImportedFileSpec{SessionID: imp.SessionID, Password: &pw})
	require.NoError(t, err)
	assert.True(t, res.IsValid)
	assert.Equal(t, *status.FileName, *res.FileName)
	assert.Equal(t, rp.CreationTime.Unix(), res.CreationTime.Unix())
	assert.True(t, *res.IncludesSessionHistory)

	// A file that is not a configuration backup is accepted but found invalid.
	imp, err = cb.Import(ctx, "notes.txt", strings.NewReader("hello"))
	require.NoError(t, err)
	res, err = cb.CheckImport(ctx, vbgcapi.ConfigurationBackupCheckImportedFileSpec{SessionID: imp.SessionID})
	require.NoError(t, err)
	assert.False(t, res.IsValid)
	assert.Equal(t, "notes.txt", *res.FileName)
	assert.NotEmpty(t, *res.Message)

	// Bad input is refused before sending; a failing reader ends the upload.
	_, err = cb.Import(ctx, "", strings.NewReader("x"))
	assert.Error(t, err)
	_, err = cb.Import(ctx, "x.vbgcbak", nil)
	assert.Error(t, err)
	_, err = cb.CheckImport(ctx, vbgcapi.ConfigurationBackupCheckImportedFileSpec{})
	assert.Error(t, err)
	readErr := errors.New("disk on fire")
	_, err = cb.Import(ctx, "x.vbgcbak", io.MultiReader(strings.NewReader("partial"), &failingReader{err: readErr}))
	assert.ErrorIs(t, err, readErr)

	// Delete, then the restore point, its export start and unknown exports are 404.
	require.NoError(t, cb.DeleteRestorePoint(ctx, last))
	_, err = cb.RestorePoint(ctx, last)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	assert.ErrorIs(t, cb.DeleteRestorePoint(ctx, last), apierr.ErrNotFound)
	_, err = cb.Export(ctx, last, vbgcapi.ConfigurationBackupExportSpec{})
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = cb.ExportStatus(ctx, uuid.New())
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = cb.Download(ctx, uuid.New())
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	assert.Equal(t, 6, srv.ConfigurationRestorePointCount())

	assertOperationsCalled(t, srv, "ConfigurationBackup")
}

// failingReader fails every read with err.
type failingReader struct{ err error }

func (r *failingReader) Read([]byte) (int, error) { return 0, r.err }
