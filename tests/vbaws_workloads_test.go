package tests

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

func collect[T any](t *testing.T, seq func(func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

// TestVBAWSFSx drives the FSx policies from creation to a restore: a start
// whose session succeeds adds a restore point, a stopped start ends
// Canceled without one, and a restore to a new name adds the file system.
func TestVBAWSFSx(t *testing.T) {
	ctx := context.Background()
	_, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	fsx := c.FSx

	fss := collect(t, fsx.AllFileSystems(ctx, nil))
	require.Len(t, fss, 3)
	unprotected, err := fsx.ListFileSystems(ctx, &vbaws.ListFsxFileSystemsOptions{IsProtected: to.Ptr(false)})
	require.NoError(t, err)
	assert.Equal(t, int32(2), unprotected.TotalCount)
	target := unprotected.Results[0]

	seeded := collect(t, fsx.AllPolicies(ctx, nil))
	require.Len(t, seeded, 1)
	p, err := fsx.CreatePolicy(ctx, vbawsapi.FsxPolicySpec{Name: "Hourly FSx", FileSystemIds: []uuid.UUID{target.ID}})
	require.NoError(t, err)
	assert.True(t, p.IsEnabled)
	_, err = fsx.CreatePolicy(ctx, vbawsapi.FsxPolicySpec{Name: "hourly fsx", FileSystemIds: []uuid.UUID{target.ID}})
	assert.True(t, errors.Is(err, apierr.ErrBadRequest), "duplicate name: %v", err)
	_, err = fsx.CreatePolicy(ctx, vbawsapi.FsxPolicySpec{Name: "Other", FileSystemIds: []uuid.UUID{uuid.New()}})
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	byRes, err := fsx.ListPolicies(ctx, &vbaws.ListFsxPoliciesOptions{FsxID: &target.ID})
	require.NoError(t, err)
	require.Len(t, byRes.Results, 1)
	assert.Equal(t, p.ID, byRes.Results[0].ID)
	sorted, err := fsx.ListPolicies(ctx, &vbaws.ListFsxPoliciesOptions{Sort: []vbawsapi.PoliciesSortColumns{vbawsapi.PoliciesSortColumnsNameDesc}})
	require.NoError(t, err)
	assert.Equal(t, "Hourly FSx", sorted.Results[0].Name)

	// Disable, update, enable.
	require.NoError(t, fsx.DisablePolicy(ctx, p.ID))
	disabled, err := fsx.ListPolicies(ctx, &vbaws.ListFsxPoliciesOptions{IsEnabled: to.Ptr(false)})
	require.NoError(t, err)
	require.Len(t, disabled.Results, 1)
	upd, err := fsx.UpdatePolicy(ctx, p.ID, vbawsapi.FsxPolicySpec{Name: "Hourly FSx", Description: to.Ptr("every hour"), FileSystemIds: []uuid.UUID{target.ID}})
	require.NoError(t, err)
	assert.False(t, upd.IsEnabled, "an update keeps the policy disabled")
	require.NoError(t, fsx.EnablePolicy(ctx, p.ID))
	got, err := fsx.GetPolicy(ctx, p.ID)
	require.NoError(t, err)
	assert.True(t, got.IsEnabled)
	assert.Equal(t, "every hour", *got.Description)

	// A start that succeeds adds a restore point of the protected file system.
	before, err := fsx.ListRestorePoints(ctx, &vbaws.ListFsxRestorePointsOptions{FsxID: &target.ID})
	require.NoError(t, err)
	assert.Zero(t, before.TotalCount)
	link, err := fsx.StartPolicy(ctx, p.ID)
	require.NoError(t, err)
	_, err = fsx.StartPolicy(ctx, p.ID)
	assert.True(t, errors.Is(err, apierr.ErrBadRequest), "already running: %v", err)
	sess, err := c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.NoError(t, err)
	assert.Equal(t, vbawsapi.SessionStatusSucceeded, sess.Status)
	points := collect(t, fsx.AllRestorePoints(ctx, &vbaws.ListFsxRestorePointsOptions{FsxID: &target.ID}))
	require.Len(t, points, 1)
	assert.Equal(t, p.ID, *points[0].PolicyID)
	got, err = fsx.GetPolicy(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, vbawsapi.SessionStatusSucceeded, *got.LastSessionStatus)

	// A stopped start ends Canceled and adds nothing.
	link, err = fsx.StartPolicy(ctx, p.ID)
	require.NoError(t, err)
	require.NoError(t, fsx.StopPolicy(ctx, p.ID))
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.ErrorIs(t, err, vbaws.ErrSessionFailed)
	var se *vbaws.SessionError
	require.True(t, errors.As(err, &se))
	assert.Equal(t, vbawsapi.SessionStatusCanceled, se.Session.Status)
	assert.True(t, errors.Is(fsx.StopPolicy(ctx, p.ID), apierr.ErrBadRequest), "stopping a policy that is not running")
	after, err := fsx.ListRestorePoints(ctx, &vbaws.ListFsxRestorePointsOptions{FsxID: &target.ID})
	require.NoError(t, err)
	assert.Equal(t, int32(1), after.TotalCount)

	// Restore: bad requests are refused, a restore to a new name adds it.
	rp, err := fsx.GetRestorePoint(ctx, points[0].ID)
	require.NoError(t, err)
	assert.Equal(t, target.ID, rp.FsxID)
	_, err = fsx.Restore(ctx, uuid.New(), vbawsapi.FsxRestoreSpec{ToOriginal: true})
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = fsx.Restore(ctx, rp.ID, vbawsapi.FsxRestoreSpec{ToOriginal: false})
	assert.True(t, errors.Is(err, apierr.ErrBadRequest), "a new location needs a name: %v", err)
	link, err = fsx.Restore(ctx, rp.ID, vbawsapi.FsxRestoreSpec{Name: to.Ptr("restored-fs"), Reason: to.Ptr("test")})
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.NoError(t, err)
	found, err := fsx.ListFileSystems(ctx, &vbaws.ListFsxFileSystemsOptions{SearchPattern: "restored-*"})
	require.NoError(t, err)
	require.Len(t, found.Results, 1)
	assert.False(t, *found.Results[0].IsProtected)

	// Delete: the policy is gone, its restore points stay.
	require.NoError(t, fsx.DeletePolicy(ctx, p.ID))
	_, err = fsx.GetPolicy(ctx, p.ID)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = fsx.GetRestorePoint(ctx, rp.ID)
	assert.NoError(t, err)
	_, err = fsx.GetPolicy(ctx, uuid.Nil)
	assert.ErrorIs(t, err, apierr.ErrMissingID)
}

// TestVBAWSRedshift runs the same flow for Redshift clusters, with a failed
// backup session that leaves no restore point.
func TestVBAWSRedshift(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	rs := c.Redshift

	clusters := collect(t, rs.AllClusters(ctx, nil))
	require.Len(t, clusters, 3)
	seeded := collect(t, rs.AllPolicies(ctx, nil))
	require.Len(t, seeded, 1)
	protected := seeded[0].ClusterIds[0]
	points := collect(t, rs.AllRestorePoints(ctx, &vbaws.ListRedshiftRestorePointsOptions{
		RedshiftID: &protected, Sort: []vbawsapi.RedshiftRestorePointSortColumns{vbawsapi.RedshiftRestorePointSortColumnsCreationTimeUtcDesc}}))
	require.Len(t, points, 2)
	assert.True(t, points[0].CreationTimeUtc.After(points[1].CreationTimeUtc))

	p, err := rs.CreatePolicy(ctx, vbawsapi.RedshiftPolicySpec{Name: "Nightly Redshift", IsEnabled: to.Ptr(false), ClusterIds: []uuid.UUID{clusters[1].ID, clusters[2].ID}})
	require.NoError(t, err)
	assert.False(t, p.IsEnabled)
	require.NoError(t, rs.EnablePolicy(ctx, p.ID))
	p2, err := rs.UpdatePolicy(ctx, p.ID, vbawsapi.RedshiftPolicySpec{Name: "Nightly Redshift", ClusterIds: []uuid.UUID{clusters[1].ID}})
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{clusters[1].ID}, p2.ClusterIds)
	assert.True(t, p2.IsEnabled)
	assert.Greater(t, *p2.Usn, *p.Usn)

	srv.FailNextSession("the cluster is not available")
	link, err := rs.StartPolicy(ctx, p.ID)
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.ErrorIs(t, err, vbaws.ErrSessionFailed)
	failed, err := rs.ListPolicies(ctx, &vbaws.ListRedshiftPoliciesOptions{LastPolicySessionStatus: []vbawsapi.SessionStatus{vbawsapi.SessionStatusFailed}})
	require.NoError(t, err)
	require.Len(t, failed.Results, 1)
	assert.Equal(t, p.ID, failed.Results[0].ID)
	none, err := rs.ListRestorePoints(ctx, &vbaws.ListRedshiftRestorePointsOptions{RedshiftID: &clusters[1].ID})
	require.NoError(t, err)
	assert.Zero(t, none.TotalCount)

	// Stop a start, disable: the policy reads disabled with a canceled session.
	link, err = rs.StartPolicy(ctx, p.ID)
	require.NoError(t, err)
	require.NoError(t, rs.StopPolicy(ctx, p.ID))
	require.NoError(t, rs.DisablePolicy(ctx, p.ID))
	read, err := rs.GetPolicy(ctx, p.ID)
	require.NoError(t, err)
	assert.False(t, read.IsEnabled)
	assert.Equal(t, vbawsapi.SessionStatusCanceled, *read.LastSessionStatus)
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.ErrorIs(t, err, vbaws.ErrSessionFailed)

	link, err = rs.StartPolicy(ctx, p.ID)
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.NoError(t, err)
	got := collect(t, rs.AllRestorePoints(ctx, &vbaws.ListRedshiftRestorePointsOptions{RedshiftID: &clusters[1].ID}))
	require.Len(t, got, 1)
	rp, err := rs.GetRestorePoint(ctx, got[0].ID)
	require.NoError(t, err)
	assert.Equal(t, clusters[1].ID, rp.RedshiftID)

	link, err = rs.Restore(ctx, rp.ID, vbawsapi.RedshiftRestoreSpec{ToOriginal: true})
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.NoError(t, err)
	_, err = rs.Restore(ctx, rp.ID, vbawsapi.RedshiftRestoreSpec{ToOriginal: false, ClusterIdentifier: to.Ptr(clusters[0].Name)})
	assert.True(t, errors.Is(err, apierr.ErrBadRequest), "the name is taken: %v", err)
	assert.Len(t, collect(t, rs.AllClusters(ctx, nil)), 3, "a restore to the original place adds no cluster")

	_, err = rs.ListPolicies(ctx, &vbaws.ListRedshiftPoliciesOptions{SearchPattern: "nightly*"})
	require.NoError(t, err)
	require.NoError(t, rs.DeletePolicy(ctx, p.ID))
	assert.ErrorIs(t, rs.DeletePolicy(ctx, p.ID), apierr.ErrNotFound)
	assert.ErrorIs(t, rs.StopPolicy(ctx, p.ID), apierr.ErrNotFound)
	assert.ErrorIs(t, rs.DisablePolicy(ctx, p.ID), apierr.ErrNotFound)
}
