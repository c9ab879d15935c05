package vbem

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// ErrSessionFailed matches the error BackupSessions.Wait and
// RestoreSessions.Wait return for a session that ended with Result Failed.
var ErrSessionFailed = errors.New("vbem: session failed")

// SessionError is returned for a session that ended Failed; it carries the
// session's name, UID and result.
type SessionError struct {
	Kind, Name, UID, Result string
}

func (e *SessionError) Error() string {
	return "vbem: " + e.Kind + " " + e.Name + " (" + e.UID + ") ended " + e.Result
}

// Is matches ErrSessionFailed.
func (e *SessionError) Is(target error) bool { return target == ErrSessionFailed }

// sessionPacing is the waiters' pacing when the options set none.
var sessionPacing = poll.Defaults{Interval: time.Second, MaxInterval: 15 * time.Second}

// Wait polls a backup job session (GET
// /api/backupSessions/{id}?format=Entity) until its State is Stopped and
// returns it; a Result of Failed gives a *SessionError matching
// ErrSessionFailed (Warning is a success). ctx bounds the wait; when it
// ends, the last state read is returned with an error matching ctx.Err().
func (s *BackupSessionsService) Wait(ctx context.Context, backupSessionID string, opts *poll.Options) (*vbemapi.BackupJobSession, error) {
	var readErr error
	got, err := poll.Until(ctx, "backup session "+backupSessionID, opts, sessionPacing, func(ctx context.Context) (*vbemapi.BackupJobSession, bool, error) {
		b, err := s.Get(ctx, backupSessionID, &GetBackupSessionOptions{Format: vbemapi.GetBackupSessionParamsFormatEntity})
		if err != nil {
			readErr = err
			return nil, true, err
		}
		if to.Value(b.State) != vbemapi.BackupJobSessionStateStopped {
			return b, false, nil
		}
		if to.Value(b.Result) == vbemapi.BackupJobSessionResultFailed {
			readErr = &SessionError{Kind: "backup session", Name: to.Value(b.Name), UID: to.Value(b.UID), Result: string(*b.Result)}
			return b, true, readErr
		}
		return b, true, nil
	})
	return got, waitErr(err, readErr)
}

// Wait polls a restore session until its State is Stopped, like
// BackupSessionsService.Wait.
func (s *RestoreSessionsService) Wait(ctx context.Context, restoreSessionID string, opts *poll.Options) (*vbemapi.RestoreSession, error) {
	var readErr error
	got, err := poll.Until(ctx, "restore session "+restoreSessionID, opts, sessionPacing, func(ctx context.Context) (*vbemapi.RestoreSession, bool, error) {
		rs, err := s.Get(ctx, restoreSessionID, &GetRestoreSessionOptions{Format: vbemapi.GetRestoreSessionParamsFormatEntity})
		if err != nil {
			readErr = err
			return nil, true, err
		}
		if to.Value(rs.State) != vbemapi.RestoreSessionStateStopped {
			return rs, false, nil
		}
		if to.Value(rs.Result) == vbemapi.RestoreSessionResultFailed {
			readErr = &SessionError{Kind: "restore session", Name: to.Value(rs.Name), UID: to.Value(rs.UID), Result: string(*rs.Result)}
			return rs, true, readErr
		}
		return rs, true, nil
	})
	return got, waitErr(err, readErr)
}

func waitErr(err, readErr error) error {
	if err != nil && !errors.Is(err, readErr) {
		return fmt.Errorf("vbem: %w", err)
	}
	return err
}

// RelatedID returns the id of the resource a finished task links as
// Related (the restore session of a VM restore, the job of a clone), or ""
// when it links none.
func RelatedID(task *vbemapi.Task) string {
	if task == nil {
		return ""
	}
	for _, l := range task.Links {
		if strings.EqualFold(l.Rel, "Related") {
			return IDFromHref(l.Href)
		}
	}
	return ""
}

// LatestBackupSession returns the newest session of a job, through the
// query service (type=BackupJobSession, filtered by JobUid, newest first):
// after Jobs.Start and WaitTask, the session the start created.
func (s *QueryService) LatestBackupSession(ctx context.Context, jobID string) (*vbemapi.BackupJobSession, error) {
	if jobID == "" || strings.ContainsAny(jobID, `";,()`) {
		return nil, fmt.Errorf("vbem: LatestBackupSession needs a job id, got %q", jobID)
	}
	p, err := s.BackupSessions(ctx, &QueryOptions{Filter: `JobUid=="urn:veeam:Job:` + jobID + `"`, SortDesc: "CreationTime", PageSize: 1})
	if err != nil {
		return nil, err
	}
	if len(p.Items) == 0 {
		return nil, fmt.Errorf("vbem: job %s has no backup session", jobID)
	}
	return &p.Items[0], nil
}

// entityQuery is one typed query of entities.
type entityQuery[T any] struct {
	typ   vbemapi.QueryParamsType
	items func(*vbemapi.QueryResult) []T
	key   func(T) string
}

func (q entityQuery[T]) page(ctx context.Context, s *QueryService, opts *QueryOptions) (*QueryPage[T], error) {
	o := withFormat(opts, vbemapi.QueryParamsFormatEntities)
	if o.Format != vbemapi.QueryParamsFormatEntities {
		return nil, errors.New("vbem: typed queries read entities; use Query for references")
	}
	return typedPage(ctx, s, q.typ, o, q.items)
}

func (q entityQuery[T]) all(ctx context.Context, s *QueryService, opts *QueryOptions) iter.Seq2[T, error] {
	return queryAll(ctx, s, q.typ, withFormat(opts, vbemapi.QueryParamsFormatEntities), q.items, q.key)
}

func entities(r *vbemapi.QueryResult) bool { return r.Entities != nil }

var (
	qJobs = entityQuery[vbemapi.Job]{vbemapi.QueryParamsTypeJob, func(r *vbemapi.QueryResult) []vbemapi.Job {
		if entities(r) && r.Entities.Jobs != nil {
			return r.Entities.Jobs.Jobs
		}
		return nil
	}, func(v vbemapi.Job) string { return to.Value(v.UID) }}
	qBackupSessions = entityQuery[vbemapi.BackupJobSession]{vbemapi.QueryParamsTypeBackupJobSession, func(r *vbemapi.QueryResult) []vbemapi.BackupJobSession {
		if entities(r) && r.Entities.BackupJobSessions != nil {
			return r.Entities.BackupJobSessions.BackupJobSessions
		}
		return nil
	}, func(v vbemapi.BackupJobSession) string { return to.Value(v.UID) }}
	qTaskSessions = entityQuery[vbemapi.BackupTaskSession]{vbemapi.QueryParamsTypeBackupTaskSession, func(r *vbemapi.QueryResult) []vbemapi.BackupTaskSession {
		if entities(r) && r.Entities.BackupTaskSessions != nil {
			return r.Entities.BackupTaskSessions.BackupTaskSessions
		}
		return nil
	}, func(v vbemapi.BackupTaskSession) string { return to.Value(v.UID) }}
	qRestoreSessions = entityQuery[vbemapi.RestoreSession]{vbemapi.QueryParamsTypeRestoreSession, func(r *vbemapi.QueryResult) []vbemapi.RestoreSession {
		if entities(r) && r.Entities.RestoreSessions != nil {
			return r.Entities.RestoreSessions.RestoreSessions
		}
		return nil
	}, func(v vbemapi.RestoreSession) string { return to.Value(v.UID) }}
	qBackups = entityQuery[vbemapi.Backup]{vbemapi.QueryParamsTypeBackup, func(r *vbemapi.QueryResult) []vbemapi.Backup {
		if entities(r) && r.Entities.Backups != nil {
			return r.Entities.Backups.Backups
		}
		return nil
	}, func(v vbemapi.Backup) string { return to.Value(v.UID) }}
	qBackupFiles = entityQuery[vbemapi.BackupFile]{vbemapi.QueryParamsTypeBackupFile, func(r *vbemapi.QueryResult) []vbemapi.BackupFile {
		if entities(r) && r.Entities.BackupFiles != nil {
			return r.Entities.BackupFiles.BackupFiles
		}
		return nil
	}, func(v vbemapi.BackupFile) string { return to.Value(v.UID) }}
	qRestorePoints = entityQuery[vbemapi.RestorePoint]{vbemapi.QueryParamsTypeRestorePoint, func(r *vbemapi.QueryResult) []vbemapi.RestorePoint {
		if entities(r) && r.Entities.RestorePoints != nil {
			return r.Entities.RestorePoints.RestorePoints
		}
		return nil
	}, func(v vbemapi.RestorePoint) string { return to.Value(v.UID) }}
	qVMRestorePoints = entityQuery[vbemapi.VMRestorePoint]{vbemapi.QueryParamsTypeVMRestorePoint, func(r *vbemapi.QueryResult) []vbemapi.VMRestorePoint {
		if entities(r) && r.Entities.VMRestorePoints != nil {
			return r.Entities.VMRestorePoints.VMRestorePoints
		}
		return nil
	}, func(v vbemapi.VMRestorePoint) string { return to.Value(v.UID) }}
	qRepositories = entityQuery[vbemapi.Repository]{vbemapi.QueryParamsTypeRepository, func(r *vbemapi.QueryResult) []vbemapi.Repository {
		if entities(r) && r.Entities.Repositories != nil {
			return r.Entities.Repositories.Repositories
		}
		return nil
	}, func(v vbemapi.Repository) string { return to.Value(v.UID) }}
)

// Jobs returns one page of jobs (type=Job&format=Entities); filter fields
// include Name, JobType, Platform, ScheduleEnabled, BackupServerName.
func (s *QueryService) Jobs(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.Job], error) {
	return qJobs.page(ctx, s, opts)
}

// AllJobs iterates over the jobs page by page, like AllPasswords.
func (s *QueryService) AllJobs(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.Job, error] {
	return qJobs.all(ctx, s, opts)
}

// BackupSessions returns one page of backup job sessions
// (type=BackupJobSession); filter fields include JobUid, JobName, State,
// Result, CreationTime.
func (s *QueryService) BackupSessions(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.BackupJobSession], error) {
	return qBackupSessions.page(ctx, s, opts)
}

// AllBackupSessions iterates over backup job sessions page by page.
func (s *QueryService) AllBackupSessions(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.BackupJobSession, error] {
	return qBackupSessions.all(ctx, s, opts)
}

// BackupTaskSessions returns one page of backup task sessions.
func (s *QueryService) BackupTaskSessions(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.BackupTaskSession], error) {
	return qTaskSessions.page(ctx, s, opts)
}

// AllBackupTaskSessions iterates over backup task sessions page by page.
func (s *QueryService) AllBackupTaskSessions(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.BackupTaskSession, error] {
	return qTaskSessions.all(ctx, s, opts)
}

// RestoreSessions returns one page of restore sessions.
func (s *QueryService) RestoreSessions(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.RestoreSession], error) {
	return qRestoreSessions.page(ctx, s, opts)
}

// AllRestoreSessions iterates over restore sessions page by page.
func (s *QueryService) AllRestoreSessions(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.RestoreSession, error] {
	return qRestoreSessions.all(ctx, s, opts)
}

// Backups returns one page of backups.
func (s *QueryService) Backups(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.Backup], error) {
	return qBackups.page(ctx, s, opts)
}

// AllBackups iterates over backups page by page.
func (s *QueryService) AllBackups(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.Backup, error] {
	return qBackups.all(ctx, s, opts)
}

// BackupFiles returns one page of backup files.
func (s *QueryService) BackupFiles(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.BackupFile], error) {
	return qBackupFiles.page(ctx, s, opts)
}

// AllBackupFiles iterates over backup files page by page.
func (s *QueryService) AllBackupFiles(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.BackupFile, error] {
	return qBackupFiles.all(ctx, s, opts)
}

// RestorePoints returns one page of restore points.
func (s *QueryService) RestorePoints(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.RestorePoint], error) {
	return qRestorePoints.page(ctx, s, opts)
}

// AllRestorePoints iterates over restore points page by page.
func (s *QueryService) AllRestorePoints(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.RestorePoint, error] {
	return qRestorePoints.all(ctx, s, opts)
}

// VMRestorePoints returns one page of VM restore points
// (type=VmRestorePoint); filter fields include VmDisplayName and
// CreationTime.
func (s *QueryService) VMRestorePoints(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.VMRestorePoint], error) {
	return qVMRestorePoints.page(ctx, s, opts)
}

// AllVMRestorePoints iterates over VM restore points page by page.
func (s *QueryService) AllVMRestorePoints(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.VMRestorePoint, error] {
	return qVMRestorePoints.all(ctx, s, opts)
}

// Repositories returns one page of repositories.
func (s *QueryService) Repositories(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.Repository], error) {
	return qRepositories.page(ctx, s, opts)
}

// AllRepositories iterates over repositories page by page.
func (s *QueryService) AllRepositories(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.Repository, error] {
	return qRepositories.all(ctx, s, opts)
}
