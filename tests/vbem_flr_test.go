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

// relatedID returns the last path segment of a task's Related link.
func relatedID(t *testing.T, task *vbemapi.Task) string {
	t.Helper()
	for _, l := range task.Links {
		if l.Rel == "Related" {
			return vbem.IDFromHref(l.Href)
		}
	}
	t.Fatalf("task %s has no Related link", to.Value(task.TaskID))
	return ""
}

func TestVBEMFileLevelRestore(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts, vbemfake.WithTaskSteps(2))
			rp := vbemfake.SeedVMRestorePointID

			none, err := c.FileRestore.ListMounts(ctx, rp)
			require.NoError(t, err)
			assert.Empty(t, none.VMRestorePointMounts)

			task, err := c.FileRestore.Mount(ctx, rp, &vbemapi.FileLevelMountSpec{OsKind: to.Ptr(vbemapi.FileLevelMountSpecOsKindWindows)})
			require.NoError(t, err)
			assert.Equal(t, vbemapi.TaskStateRunning, *task.State)
			mounting, err := c.FileRestore.ListMounts(ctx, rp)
			require.NoError(t, err)
			assert.Empty(t, mounting.VMRestorePointMounts, "the mount appears when its task finishes")

			done, err := c.WaitTask(ctx, task, fastTask)
			require.NoError(t, err)
			mountID := relatedID(t, done)
			var mounts []vbemapi.VMRestorePointMount
			for mt, err := range c.FileRestore.AllMounts(ctx, rp) {
				require.NoError(t, err)
				mounts = append(mounts, mt)
			}
			require.Len(t, mounts, 1)
			mount, err := c.FileRestore.GetMount(ctx, rp, mountID)
			require.NoError(t, err)
			require.NotNil(t, mount.FSRoots)
			var roots []string
			for _, d := range mount.FSRoots.DirectoryEntries {
				roots = append(roots, *d.Path)
			}
			assert.Equal(t, []string{"C:", "D:"}, roots)

			// Browse a folder whose path holds slashes, page by page.
			page1, err := c.FileRestore.Browse(ctx, rp, mountID, "C:/Shares", &vbem.FileRestoreBrowseOptions{PageSize: 1})
			require.NoError(t, err)
			require.Len(t, page1.Directories.DirectoryEntries, 1)
			assert.Equal(t, "C:/Shares/Finance", *page1.Directories.DirectoryEntries[0].Path)
			assert.Equal(t, int32(2), *page1.PagingInfo.PagesCount)
			page2, err := c.FileRestore.Browse(ctx, rp, mountID, "C:/Shares", &vbem.FileRestoreBrowseOptions{PageSize: 1, Page: 2})
			require.NoError(t, err)
			require.Len(t, page2.Files.FileEntries, 1)
			assert.Equal(t, "report.docx", *page2.Files.FileEntries[0].Name)
			assert.Equal(t, int64(18432), *page2.Files.FileEntries[0].Size)
			files, err := c.FileRestore.Browse(ctx, rp, mountID, "C:/Shares/Finance", &vbem.FileRestoreBrowseOptions{Action: vbemapi.BrowseVMRestorePointMountParamsActionListFiles})
			require.NoError(t, err)
			assert.Len(t, files.Files.FileEntries, 2)
			assert.Empty(t, files.Directories.DirectoryEntries)
			_, err = c.FileRestore.Browse(ctx, rp, mountID, "C:/Nowhere", nil)
			assert.ErrorIs(t, err, apierr.ErrNotFound)

			// Restore a file to its original location, then one for download.
			rt, err := c.FileRestore.RestoreFile(ctx, rp, mountID, "C:/Shares/report.docx", vbemapi.FileRestoreSpec{
				ToOriginalLocation: &vbemapi.FlrToOriginalLocation{Overwrite: to.Ptr(true),
					GuestCredentials: &vbemapi.FlrGuestCredentials{UserName: to.Ptr(`fs01\admin`), Password: to.Ptr("guest-secret")}}})
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, rt, fastTask)
			require.NoError(t, err)
			_, err = c.FileRestore.RestoreFile(ctx, rp, mountID, "C:/Shares/Finance", vbemapi.FileRestoreSpec{ForDirectDownload: &vbemapi.EmptyElement{}})
			require.NoError(t, err)
			restored := srv.RestoredFiles()
			require.Len(t, restored, 2)
			assert.Equal(t, "C:/Shares/report.docx", restored[0].Path)
			assert.True(t, restored[0].Overwrite)
			assert.True(t, restored[1].Download)
			_, err = c.FileRestore.RestoreFile(ctx, rp, mountID, "C:/Shares/missing.txt", vbemapi.FileRestoreSpec{ForDirectDownload: &vbemapi.EmptyElement{}})
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.FileRestore.RestoreFile(ctx, rp, mountID, "C:/Shares/report.docx", vbemapi.FileRestoreSpec{})
			var ae *apierr.Error
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, 400, ae.StatusCode)

			// Unmount: the mount is gone.
			require.NoError(t, c.FileRestore.Unmount(ctx, rp, mountID))
			_, err = c.FileRestore.GetMount(ctx, rp, mountID)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			err = c.FileRestore.Unmount(ctx, rp, mountID)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.FileRestore.Mount(ctx, "00000000-0000-0000-0000-000000000000", nil)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.FileRestore.GetMount(ctx, rp, "")
			assert.ErrorIs(t, err, apierr.ErrMissingID)
		})
	}
}

func TestVBEMReplicaFileLevelRestore(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts)
			rp := vbemfake.SeedVMReplicaPointID
			task, err := c.FileRestore.MountReplica(ctx, rp, nil)
			require.NoError(t, err)
			done, err := c.WaitTask(ctx, task, fastTask)
			require.NoError(t, err)
			id := relatedID(t, done)
			list, err := c.FileRestore.ListReplicaMounts(ctx, rp)
			require.NoError(t, err)
			require.Len(t, list.VMReplicaPointMounts, 1)
			got, err := c.FileRestore.GetReplicaMount(ctx, rp, id)
			require.NoError(t, err)
			assert.Len(t, got.FSRoots.DirectoryEntries, 2)
			dirs, err := c.FileRestore.BrowseReplica(ctx, rp, id, "C:", &vbem.FileRestoreBrowseReplicaOptions{Action: vbemapi.BrowseVMReplicaPointMountParamsActionListDirs})
			require.NoError(t, err)
			assert.Len(t, dirs.Directories.DirectoryEntries, 2)
			assert.Empty(t, dirs.Files.FileEntries)
			rt, err := c.FileRestore.RestoreReplicaFile(ctx, rp, id, "C:/Windows/win.ini", vbemapi.FileRestoreSpec{ForDirectDownload: &vbemapi.EmptyElement{}})
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, rt, fastTask)
			require.NoError(t, err)
			require.Len(t, srv.RestoredFiles(), 1)
			assert.Equal(t, rp, srv.RestoredFiles()[0].Point)
			require.NoError(t, c.FileRestore.UnmountReplica(ctx, rp, id))
			list, err = c.FileRestore.ListReplicaMounts(ctx, rp)
			require.NoError(t, err)
			assert.Empty(t, list.VMReplicaPointMounts)
			_, err = c.FileRestore.ListReplicaMounts(ctx, "00000000-0000-0000-0000-000000000000")
			assert.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}

func TestVBEMCatalog(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts)
			var names []string
			for ref, err := range c.Catalog.AllVMs(ctx) {
				require.NoError(t, err)
				names = append(names, *ref.Name)
			}
			assert.Equal(t, []string{vbemfake.SeedCatalogVM, "exch01"}, names)
			vm, err := c.Catalog.GetVM(ctx, vbemfake.SeedCatalogVM, &vbem.CatalogGetVMOptions{Format: vbemapi.GetCatalogVMParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "CatalogVm", *vm.Type)
			assert.Equal(t, vbemfake.SeedCatalogVM, *vm.VMDisplayName)
			ref, err := c.Catalog.GetVM(ctx, vbemfake.SeedCatalogVM, nil)
			require.NoError(t, err)
			assert.Equal(t, "CatalogVmReference", *ref.Type)
			_, err = c.Catalog.GetVM(ctx, "nosuchvm", nil)
			assert.ErrorIs(t, err, apierr.ErrNotFound)

			points, err := c.Catalog.ListRestorePoints(ctx, vbemfake.SeedCatalogVM)
			require.NoError(t, err)
			require.Len(t, points.Refs, 2)
			p, err := c.Catalog.GetRestorePoint(ctx, vbemfake.SeedCatalogVM, vbemfake.SeedCatalogPoint2ID, &vbem.CatalogGetRestorePointOptions{Format: vbemapi.GetCatalogVMRestorePointParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, 2014, p.BackupDateUTC.Year())

			bt, err := c.Catalog.Browse(ctx, vbemfake.SeedCatalogVM, vbemfake.SeedCatalogPoint2ID)
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, bt, fastTask)
			require.NoError(t, err)
			assert.Equal(t, 1, srv.CatalogBrowses(vbemfake.SeedCatalogPoint2ID))
			root, err := c.Catalog.GuestFS(ctx, vbemfake.SeedCatalogVM, vbemfake.SeedCatalogPoint2ID)
			require.NoError(t, err)
			require.Len(t, root.Links, 1, "one volume")
			users, err := c.Catalog.BrowseGuestFS(ctx, vbemfake.SeedCatalogVM, vbemfake.SeedCatalogPoint2ID, "C:/Users", nil)
			require.NoError(t, err)
			assert.Len(t, users.Directories.DirectoryEntries, 2)
			older, err := c.Catalog.BrowseGuestFS(ctx, vbemfake.SeedCatalogVM, vbemfake.SeedCatalogPoint1ID, "C:/Users", nil)
			require.NoError(t, err)
			assert.Len(t, older.Directories.DirectoryEntries, 1, "each restore point has its own index")

			rt, err := c.Catalog.RestoreFile(ctx, vbemfake.SeedCatalogVM, vbemfake.SeedCatalogPoint2ID, "C:/Users/ann/notes.txt",
				vbemapi.FileRestoreSpec{ToOriginalLocation: &vbemapi.FlrToOriginalLocation{}})
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, rt, fastTask)
			require.NoError(t, err)
			require.Len(t, srv.RestoredFiles(), 1)
			assert.Equal(t, "C:/Users/ann/notes.txt", srv.RestoredFiles()[0].Path)
			_, err = c.Catalog.RestoreFile(ctx, vbemfake.SeedCatalogVM, vbemfake.SeedCatalogPoint1ID, "C:/Users/ann/notes.txt",
				vbemapi.FileRestoreSpec{ToOriginalLocation: &vbemapi.FlrToOriginalLocation{}})
			assert.ErrorIs(t, err, apierr.ErrNotFound, "the older point has no such file")
		})
	}
}
