package tests

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/vbemfake"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbem"
)

var vbemServerEntity = &vbem.GetBackupServerOptions{Format: vbemapi.GetBackupServerParamsFormatEntity}

// refID returns the id (last Href segment) of the reference named name,
// or "" when the list has none.
func refID(list *vbemapi.EntityReferences, name string) string {
	for _, r := range list.Refs {
		if to.Value(r.Name) == name {
			return vbem.IDFromHref(to.Value(r.Href))
		}
	}
	return ""
}

// seedVM is the reference of a VM of the fake's vCenter by its moref
// (vm-40 sqlsrv01, vm-41 sqlsrv02, vm-42 fs01, vm-43 dns01, vm-77 web01).
func seedVM(moref string) string { return "urn:VMware:Vm:" + vbemfake.SeedHierarchyRoot + "." + moref }

func TestVBEMBackupServersConnectEditDisconnect(t *testing.T) {
	const secret = "Sup3r-s3cret!"
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts)

			spec := vbemapi.BackupServerSpec{Description: to.Ptr("Veeam backup server in Columbus"), DNSNameOrIPAddress: "172.16.13.119",
				Port: to.Ptr[int32](9392), Username: to.Ptr(`172.16.13.119\Administrator`), Password: to.Ptr(secret),
				WcfPort: to.Ptr[int32](9405), VbrCertificateThumbprint: to.Ptr("0000000000000000000000000000000000000000")}
			require.NoError(t, c.BackupServers.Create(ctx, spec))
			servers, err := c.BackupServers.List(ctx, nil)
			require.NoError(t, err)
			list := &vbemapi.EntityReferences{Refs: servers.Refs}
			assert.Equal(t, []string{vbemfake.SeedBackupServer1Name, vbemfake.SeedBackupServer2Name, "172.16.13.119"}, refNames(list))
			id := refID(list, "172.16.13.119")
			require.NotEmpty(t, id)
			got, err := c.BackupServers.Get(ctx, id, vbemServerEntity)
			require.NoError(t, err)
			assert.Equal(t, "Veeam backup server in Columbus", to.Value(got.Description))
			assert.Equal(t, int32(9392), to.Value(got.Port))
			assert.Equal(t, int32(9405), to.Value(got.WcfPort))
			assert.True(t, srv.CheckBackupServerPassword(id, secret))

			// Connecting it again, or without a password, is refused; the
			// password is in no error.
			err = c.BackupServers.Create(ctx, spec)
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			assert.NotContains(t, err.Error(), secret)
			noPass := spec
			noPass.DNSNameOrIPAddress, noPass.Password = "srv09.tech.local", nil
			require.ErrorIs(t, c.BackupServers.Create(ctx, noPass), apierr.ErrBadRequest)

			// Edit: the description and the password change; what is not
			// sent stays.
			require.NoError(t, c.BackupServers.Edit(ctx, id, vbemapi.BackupServerSpec{DNSNameOrIPAddress: "172.16.13.119", Description: to.Ptr("Columbus DR"), Password: to.Ptr("n3w-" + secret)}))
			got, err = c.BackupServers.Get(ctx, id, vbemServerEntity)
			require.NoError(t, err)
			assert.Equal(t, "Columbus DR", to.Value(got.Description))
			assert.Equal(t, int32(9392), to.Value(got.Port))
			assert.True(t, srv.CheckBackupServerPassword(id, "n3w-"+secret))
			assert.False(t, srv.CheckBackupServerPassword(id, secret))
			require.ErrorIs(t, c.BackupServers.Edit(ctx, "0e0e0e0e-0000-4000-8000-000000000000", vbemapi.BackupServerSpec{DNSNameOrIPAddress: "x"}), apierr.ErrNotFound)
			require.ErrorIs(t, c.BackupServers.Edit(ctx, id, vbemapi.BackupServerSpec{}), apierr.ErrBadRequest, "DnsNameOrIpAddress is required")

			// Disconnect: the server and what Enterprise Manager collected
			// from it are gone.
			require.NoError(t, c.BackupServers.Delete(ctx, id))
			_, err = c.BackupServers.Get(ctx, id, nil)
			require.ErrorIs(t, err, apierr.ErrNotFound)
			require.ErrorIs(t, c.BackupServers.Delete(ctx, id), apierr.ErrNotFound)
			repos, err := c.Repositories.List(ctx)
			require.NoError(t, err)
			require.Len(t, repos.Refs, 2)
			require.NoError(t, c.BackupServers.Delete(ctx, vbemfake.SeedBackupServer1ID))
			repos, err = c.Repositories.List(ctx)
			require.NoError(t, err)
			assert.Len(t, repos.Refs, 1, "the repository of srv01 went with it")
			_, err = c.Passwords.List(ctx, vbemfake.SeedBackupServer1ID)
			require.ErrorIs(t, err, apierr.ErrNotFound)
			servers, err = c.BackupServers.List(ctx, nil)
			require.NoError(t, err)
			assert.Equal(t, []string{vbemfake.SeedBackupServer2Name}, refNames(&vbemapi.EntityReferences{Refs: servers.Refs}))
		})
	}
}

func TestVBEMBackupServerExternalRepositories(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)
			ext, err := c.BackupServers.ListExternalRepositories(ctx, vbemfake.SeedBackupServer2ID)
			require.NoError(t, err)
			require.Len(t, ext.Refs, 1)
			assert.Equal(t, vbemfake.SeedExternalRepositoryID, vbem.IDFromHref(to.Value(ext.Refs[0].Href)))
			var names []string
			for r, err := range c.BackupServers.AllExternalRepositories(ctx, vbemfake.SeedBackupServer1ID) {
				require.NoError(t, err)
				names = append(names, to.Value(r.Name))
			}
			assert.Empty(t, names, "srv01 has no external repository")
			_, err = c.BackupServers.ListExternalRepositories(ctx, "0e0e0e0e-0000-4000-8000-000000000000")
			require.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}

// waitRelatedSession waits for a task, then for the backup session its
// Related link names, and returns the session's id.
func waitRelatedSession(t *testing.T, c *vbem.Client, task *vbemapi.Task) string {
	t.Helper()
	ctx := context.Background()
	done, err := c.WaitTask(ctx, task, fastTask)
	require.NoError(t, err)
	id := vbem.RelatedID(done)
	require.NotEmpty(t, id, "the finished task links the session")
	sess, err := c.BackupSessions.Wait(ctx, id, fastTask)
	require.NoError(t, err)
	assert.Equal(t, vbemapi.BackupJobSessionResultSuccess, to.Value(sess.Result))
	return id
}

func TestVBEMQuickBackupAddsARestorePoint(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)

			// Two quick backups of sqlsrv01: each is one run of DB Backup
			// for that VM only, and adds a restore point to the job's
			// backup: a full first, then an increment.
			for i, kind := range []string{"vbk", "vib"} {
				task, err := c.BackupServers.QuickBackup(ctx, vbemfake.SeedBackupServer2ID, vbemapi.QuickBackupStartupSpec{VMRef: seedVM("vm-40")})
				require.NoError(t, err)
				assert.Equal(t, "QuickBackup", to.Value(task.Operation))
				sessID := waitRelatedSession(t, c, task)
				tasks, err := c.BackupSessions.ListTaskSessions(ctx, sessID)
				require.NoError(t, err)
				require.Len(t, tasks.Refs, 1, "only the VM asked for")
				ofJob, err := c.Jobs.ListBackupSessions(ctx, vbemfake.SeedJobID)
				require.NoError(t, err)
				assert.Len(t, ofJob.Refs, i+1)

				backups, err := c.Backups.List(ctx)
				require.NoError(t, err)
				backupID := refID(backups, vbemfake.SeedJobName)
				require.NotEmpty(t, backupID)
				points, err := c.Backups.ListRestorePoints(ctx, backupID)
				require.NoError(t, err)
				assert.Len(t, points.Refs, i+1)
				files, err := c.Backups.ListBackupFiles(ctx, backupID)
				require.NoError(t, err)
				require.Len(t, files.Refs, i+1)
				file, err := c.BackupFiles.Get(ctx, vbem.IDFromHref(to.Value(files.Refs[i].Href)), &vbem.GetBackupFileOptions{Format: vbemapi.GetBackupFileParamsFormatEntity})
				require.NoError(t, err)
				assert.Equal(t, kind, to.Value(file.FileType))
			}
			vmPoints, err := c.VMRestorePoints.List(ctx)
			require.NoError(t, err)
			assert.Len(t, vmPoints.Refs, 2, "one VM point per run, of sqlsrv01 only")

			// A VM no job of the server processes: the task fails.
			for _, tc := range []struct{ server, vm string }{
				{vbemfake.SeedBackupServer2ID, vbemfake.SeedVMRef},
				{vbemfake.SeedBackupServer1ID, seedVM("vm-40")},
			} {
				task, err := c.BackupServers.QuickBackup(ctx, tc.server, vbemapi.QuickBackupStartupSpec{VMRef: tc.vm})
				require.NoError(t, err)
				_, err = c.WaitTask(ctx, task, fastTask)
				require.ErrorIs(t, err, vbem.ErrTaskFailed)
			}
			_, err = c.BackupServers.QuickBackup(ctx, "", vbemapi.QuickBackupStartupSpec{VMRef: seedVM("vm-40")})
			require.ErrorIs(t, err, apierr.ErrMissingID)
			_, err = c.BackupServers.QuickBackup(ctx, "0e0e0e0e-0000-4000-8000-000000000000", vbemapi.QuickBackupStartupSpec{VMRef: seedVM("vm-40")})
			require.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}

func TestVBEMVeeamZIPCreatesABackup(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)

			spec := vbemapi.VeeamZipStartupSpec{VMRef: vbemfake.SeedVMRef, RepositoryUID: "urn:veeam:Repository:" + vbemfake.SeedRepositoryID,
				PasswordKeyID: to.Ptr(vbemfake.SeedPassword2ID), CompressionLevel: 5, DisableGuestQuiescence: to.Ptr(true),
				BackupRetention: vbemapi.VeeamZipStartupSpecBackupRetentionIn1Week}
			task, err := c.BackupServers.VeeamZIP(ctx, vbemfake.SeedBackupServer2ID, spec)
			require.NoError(t, err)
			assert.Equal(t, "VeeamZip", to.Value(task.Operation))
			sessID := waitRelatedSession(t, c, task)
			sess, err := c.BackupSessions.Get(ctx, sessID, &vbem.GetBackupSessionOptions{Format: vbemapi.GetBackupSessionParamsFormatEntity})
			require.NoError(t, err)
			for _, l := range sess.Links {
				assert.NotEqual(t, "Up", l.Rel, "a VeeamZIP session belongs to no job")
			}

			// A new backup of web01 with one full file on the repository.
			backups, err := c.Backups.List(ctx)
			require.NoError(t, err)
			zipID := refID(backups, "web01 VeeamZIP")
			require.NotEmpty(t, zipID, "backups: %v", refNames(backups))
			onRepo, err := c.Repositories.ListBackups(ctx, vbemfake.SeedRepositoryID)
			require.NoError(t, err)
			assert.NotEmpty(t, refID(onRepo, "web01 VeeamZIP"))
			files, err := c.Backups.ListBackupFiles(ctx, zipID)
			require.NoError(t, err)
			require.Len(t, files.Refs, 1)
			file, err := c.BackupFiles.Get(ctx, vbem.IDFromHref(to.Value(files.Refs[0].Href)), &vbem.GetBackupFileOptions{Format: vbemapi.GetBackupFileParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "vbk", to.Value(file.FileType))
			jobs, err := c.Jobs.List(ctx)
			require.NoError(t, err)
			assert.Len(t, jobs.Refs, 2, "a VeeamZIP adds no job")

			// A second VeeamZIP is a second backup.
			task, err = c.BackupServers.VeeamZIP(ctx, vbemfake.SeedBackupServer2ID, spec)
			require.NoError(t, err)
			waitRelatedSession(t, c, task)
			backups, err = c.Backups.List(ctx)
			require.NoError(t, err)
			assert.Len(t, backups.Refs, 2)

			// A repository of another server or an unknown password is
			// refused; an unknown VM fails the task.
			bad := spec
			bad.RepositoryUID = "urn:veeam:Repository:" + vbemfake.SeedRepository2ID
			_, err = c.BackupServers.VeeamZIP(ctx, vbemfake.SeedBackupServer2ID, bad)
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			bad = spec
			bad.PasswordKeyID = to.Ptr(vbemfake.SeedPassword1ID)
			_, err = c.BackupServers.VeeamZIP(ctx, vbemfake.SeedBackupServer2ID, bad)
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			bad = spec
			bad.VMRef = seedVM("vm-999")
			task, err = c.BackupServers.VeeamZIP(ctx, vbemfake.SeedBackupServer2ID, bad)
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, task, fastTask)
			require.ErrorIs(t, err, vbem.ErrTaskFailed)
		})
	}
}

func TestVBEMCollectShowsTheBackupServersNewJobs(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts)

			staged := srv.StageJob(vbemfake.SeedBackupServer1ID, "Tape Prep")
			jobs, err := c.BackupServers.ListJobs(ctx, vbemfake.SeedBackupServer1ID)
			require.NoError(t, err)
			assert.Empty(t, jobs.Refs, "not collected yet")
			_, err = c.Jobs.Get(ctx, staged, nil)
			require.ErrorIs(t, err, apierr.ErrNotFound)

			task, err := c.BackupServers.Collect(ctx, vbemfake.SeedBackupServer1ID)
			require.NoError(t, err)
			assert.Equal(t, "CollectingBackupServer", to.Value(task.Operation))
			_, err = c.WaitTask(ctx, task, fastTask)
			require.NoError(t, err)
			jobs, err = c.BackupServers.ListJobs(ctx, vbemfake.SeedBackupServer1ID)
			require.NoError(t, err)
			assert.Equal(t, []string{"Tape Prep"}, refNames(jobs))
			job, err := c.Jobs.Get(ctx, staged, vbemJobEntity)
			require.NoError(t, err)
			assert.Equal(t, "Tape Prep", to.Value(job.Name))

			// Collecting srv02 brings nothing of srv01's.
			task, err = c.BackupServers.Collect(ctx, vbemfake.SeedBackupServer2ID)
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, task, fastTask)
			require.NoError(t, err)
			all, err := c.Jobs.List(ctx)
			require.NoError(t, err)
			assert.Len(t, all.Refs, 3)
			_, err = c.BackupServers.Collect(ctx, "0e0e0e0e-0000-4000-8000-000000000000")
			require.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}
