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

	fss := collect(t, c.FSxFileSystems.All(ctx, nil))
	require.Len(t, fss, 3)
	unprotected, err := c.FSxFileSystems.List(ctx, &vbaws.ListFSxFileSystemsOptions{IsProtected: to.Ptr(false)})
	require.NoError(t, err)
	assert.Equal(t, int32(2), unprotected.TotalCount)
	target := unprotected.Results[0]

	seeded := collect(t, c.FSxPolicies.All(ctx, nil))
	require.Len(t, seeded, 1)
	p, err := c.FSxPolicies.Create(ctx, vbawsapi.FsxPolicySpec{Name: "Hourly FSx", FileSystemIds: []uuid.UUID{target.ID}})
	require.NoError(t, err)
	assert.True(t, p.IsEnabled)
	_, err = c.FSxPolicies.Create(ctx, vbawsapi.FsxPolicySpec{Name: "hourly fsx", FileSystemIds: []uuid.UUID{target.ID}})
	assert.True(t, errors.Is(err, apierr.ErrBadRequest), "duplicate name: %v", err)
	_, err = c.FSxPolicies.Create(ctx, vbawsapi.FsxPolicySpec{Name: "Other", FileSystemIds: []uuid.UUID{uuid.New()}})
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	byRes, err := c.FSxPolicies.List(ctx, &vbaws.ListFSxPoliciesOptions{FsxID: &target.ID})
	require.NoError(t, err)
	require.Len(t, byRes.Results, 1)
	assert.Equal(t, p.ID, byRes.Results[0].ID)
	sorted, err := c.FSxPolicies.List(ctx, &vbaws.ListFSxPoliciesOptions{Sort: []vbawsapi.PoliciesSortColumns{vbawsapi.PoliciesSortColumnsNameDesc}})
	require.NoError(t, err)
	assert.Equal(t, "Hourly FSx", sorted.Results[0].Name)

	// Disable, update, enable.
	require.NoError(t, c.FSxPolicies.Disable(ctx, p.ID))
	disabled, err := c.FSxPolicies.List(ctx, &vbaws.ListFSxPoliciesOptions{IsEnabled: to.Ptr(false)})
	require.NoError(t, err)
	require.Len(t, disabled.Results, 1)
	upd, err := c.FSxPolicies.Update(ctx, p.ID, vbawsapi.FsxPolicySpec{Name: "Hourly FSx", Description: to.Ptr("every hour"), FileSystemIds: []uuid.UUID{target.ID}})
	require.NoError(t, err)
	assert.False(t, upd.IsEnabled, "an update keeps the policy disabled")
	require.NoError(t, c.FSxPolicies.Enable(ctx, p.ID))
	got, err := c.FSxPolicies.Get(ctx, p.ID)
	require.NoError(t, err)
	assert.True(t, got.IsEnabled)
	assert.Equal(t, "every hour", *got.Description)

	// A start that succeeds adds a restore point of the protected file system.
	before, err := c.FSxRestorePoints.List(ctx, &vbaws.ListFSxRestorePointsOptions{FsxID: &target.ID})
	require.NoError(t, err)
	assert.Zero(t, before.TotalCount)
	link, err := c.FSxPolicies.Start(ctx, p.ID)
	require.NoError(t, err)
	_, err = c.FSxPolicies.Start(ctx, p.ID)
	assert.True(t, errors.Is(err, apierr.ErrBadRequest), "already running: %v", err)
	sess, err := c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.NoError(t, err)
	assert.Equal(t, vbawsapi.SessionStatusSucceeded, sess.Status)
	points := collect(t, c.FSxRestorePoints.All(ctx, &vbaws.ListFSxRestorePointsOptions{FsxID: &target.ID}))
	require.Len(t, points, 1)
	assert.Equal(t, p.ID, *points[0].PolicyID)
	got, err = c.FSxPolicies.Get(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, vbawsapi.SessionStatusSucceeded, *got.LastSessionStatus)

	// A stopped start ends Canceled and adds nothing.
	link, err = c.FSxPolicies.Start(ctx, p.ID)
	require.NoError(t, err)
	require.NoError(t, c.FSxPolicies.Stop(ctx, p.ID))
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.ErrorIs(t, err, vbaws.ErrSessionFailed)
	var se *vbaws.SessionError
	require.True(t, errors.As(err, &se))
	assert.Equal(t, vbawsapi.SessionStatusCanceled, se.Session.Status)
	assert.True(t, errors.Is(c.FSxPolicies.Stop(ctx, p.ID), apierr.ErrBadRequest), "stopping a policy that is not running")
	after, err := c.FSxRestorePoints.List(ctx, &vbaws.ListFSxRestorePointsOptions{FsxID: &target.ID})
	require.NoError(t, err)
	assert.Equal(t, int32(1), after.TotalCount)

	// Restore: bad requests are refused, a restore to a new name adds it.
	rp, err := c.FSxRestorePoints.Get(ctx, points[0].ID)
	require.NoError(t, err)
	assert.Equal(t, target.ID, rp.FsxID)
	_, err = c.FSxRestorePoints.Restore(ctx, uuid.New(), vbawsapi.FsxRestoreSpec{ToOriginal: true})
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = c.FSxRestorePoints.Restore(ctx, rp.ID, vbawsapi.FsxRestoreSpec{ToOriginal: false})
	assert.True(t, errors.Is(err, apierr.ErrBadRequest), "a new location needs a name: %v", err)
	link, err = c.FSxRestorePoints.Restore(ctx, rp.ID, vbawsapi.FsxRestoreSpec{Name: to.Ptr("restored-fs"), Reason: to.Ptr("test")})
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.NoError(t, err)
	found, err := c.FSxFileSystems.List(ctx, &vbaws.ListFSxFileSystemsOptions{SearchPattern: "restored-*"})
	require.NoError(t, err)
	require.Len(t, found.Results, 1)
	assert.False(t, *found.Results[0].IsProtected)

	// Delete: the policy is gone, its restore points stay.
	require.NoError(t, c.FSxPolicies.Delete(ctx, p.ID))
	_, err = c.FSxPolicies.Get(ctx, p.ID)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = c.FSxRestorePoints.Get(ctx, rp.ID)
	assert.NoError(t, err)
	_, err = c.FSxPolicies.Get(ctx, uuid.Nil)
	assert.ErrorIs(t, err, apierr.ErrMissingID)
}

// TestVBAWSRedshift runs the same flow for Redshift clusters, with a failed
// backup session that leaves no restore point.
func TestVBAWSRedshift(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))

	clusters := collect(t, c.RedshiftClusters.All(ctx, nil))
	require.Len(t, clusters, 3)
	seeded := collect(t, c.RedshiftPolicies.All(ctx, nil))
	require.Len(t, seeded, 1)
	protected := seeded[0].ClusterIds[0]
	points := collect(t, c.RedshiftRestorePoints.All(ctx, &vbaws.ListRedshiftRestorePointsOptions{
		RedshiftID: &protected, Sort: []vbawsapi.RedshiftRestorePointSortColumns{vbawsapi.RedshiftRestorePointSortColumnsCreationTimeUtcDesc}}))
	require.Len(t, points, 2)
	assert.True(t, points[0].CreationTimeUtc.After(points[1].CreationTimeUtc))

	p, err := c.RedshiftPolicies.Create(ctx, vbawsapi.RedshiftPolicySpec{Name: "Nightly Redshift", IsEnabled: to.Ptr(false), ClusterIds: []uuid.UUID{clusters[1].ID, clusters[2].ID}})
	require.NoError(t, err)
	assert.False(t, p.IsEnabled)
	require.NoError(t, c.RedshiftPolicies.Enable(ctx, p.ID))
	p2, err := c.RedshiftPolicies.Update(ctx, p.ID, vbawsapi.RedshiftPolicySpec{Name: "Nightly Redshift", ClusterIds: []uuid.UUID{clusters[1].ID}})
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{clusters[1].ID}, p2.ClusterIds)
	assert.True(t, p2.IsEnabled)
	assert.Greater(t, *p2.Usn, *p.Usn)

	srv.FailNextSession("the cluster is not available")
	link, err := c.RedshiftPolicies.Start(ctx, p.ID)
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.ErrorIs(t, err, vbaws.ErrSessionFailed)
	failed, err := c.RedshiftPolicies.List(ctx, &vbaws.ListRedshiftPoliciesOptions{LastPolicySessionStatus: []vbawsapi.SessionStatus{vbawsapi.SessionStatusFailed}})
	require.NoError(t, err)
	require.Len(t, failed.Results, 1)
	assert.Equal(t, p.ID, failed.Results[0].ID)
	none, err := c.RedshiftRestorePoints.List(ctx, &vbaws.ListRedshiftRestorePointsOptions{RedshiftID: &clusters[1].ID})
	require.NoError(t, err)
	assert.Zero(t, none.TotalCount)

	// Stop a start, disable: the policy reads disabled with a canceled session.
	link, err = c.RedshiftPolicies.Start(ctx, p.ID)
	require.NoError(t, err)
	require.NoError(t, c.RedshiftPolicies.Stop(ctx, p.ID))
	require.NoError(t, c.RedshiftPolicies.Disable(ctx, p.ID))
	read, err := c.RedshiftPolicies.Get(ctx, p.ID)
	require.NoError(t, err)
	assert.False(t, read.IsEnabled)
	assert.Equal(t, vbawsapi.SessionStatusCanceled, *read.LastSessionStatus)
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.ErrorIs(t, err, vbaws.ErrSessionFailed)

	link, err = c.RedshiftPolicies.Start(ctx, p.ID)
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.NoError(t, err)
	got := collect(t, c.RedshiftRestorePoints.All(ctx, &vbaws.ListRedshiftRestorePointsOptions{RedshiftID: &clusters[1].ID}))
	require.Len(t, got, 1)
	rp, err := c.RedshiftRestorePoints.Get(ctx, got[0].ID)
	require.NoError(t, err)
	assert.Equal(t, clusters[1].ID, rp.RedshiftID)

	link, err = c.RedshiftRestorePoints.Restore(ctx, rp.ID, vbawsapi.RedshiftRestoreSpec{ToOriginal: true})
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.NoError(t, err)
	_, err = c.RedshiftRestorePoints.Restore(ctx, rp.ID, vbawsapi.RedshiftRestoreSpec{ToOriginal: false, ClusterIdentifier: to.Ptr(clusters[0].Name)})
	assert.True(t, errors.Is(err, apierr.ErrBadRequest), "the name is taken: %v", err)
	assert.Len(t, collect(t, c.RedshiftClusters.All(ctx, nil)), 3, "a restore to the original place adds no cluster")

	_, err = c.RedshiftPolicies.List(ctx, &vbaws.ListRedshiftPoliciesOptions{SearchPattern: "nightly*"})
	require.NoError(t, err)
	require.NoError(t, c.RedshiftPolicies.Delete(ctx, p.ID))
	assert.ErrorIs(t, c.RedshiftPolicies.Delete(ctx, p.ID), apierr.ErrNotFound)
	assert.ErrorIs(t, c.RedshiftPolicies.Stop(ctx, p.ID), apierr.ErrNotFound)
	assert.ErrorIs(t, c.RedshiftPolicies.Disable(ctx, p.ID), apierr.ErrNotFound)
}
