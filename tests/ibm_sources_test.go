package tests

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/to"
)

func registrationIDs(ctx context.Context, t *testing.T, c *ibmbr.Client) []int64 {
	t.Helper()
	var ids []int64
	for r, err := range c.Sources.All(ctx, nil) {
		require.NoError(t, err)
		require.NotNil(t, r.ID)
		ids = append(ids, *r.ID)
	}
	return ids
}

func TestIBMSourceRegistrationsLifecycle(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()

	req := ibmExample[ibmbrapi.SourceRegistrationRequestParams](t, "SourceRegistrationRequestParams")
	req.Name = to.Ptr("host-one")
	req.PhysicalParams = &ibmbrapi.PhysicalSourceRegistrationParams{Endpoint: "10.1.1.1"}
	one, err := c.Sources.Register(ctx, req)
	require.NoError(t, err)
	require.NotNil(t, one.ID)
	assert.Equal(t, "host-one", *one.Name)
	assert.Equal(t, ibmbrapi.SourceRegistrationResponseParamsEnvironmentKPhysical, *one.Environment)
	require.NotNil(t, one.SourceID)
	assert.Equal(t, "10.1.1.1", one.PhysicalParams.Endpoint)

	two, err := c.Sources.Register(ctx, ibmbrapi.SourceRegistrationRequestParams{
		Environment:    ibmbrapi.SourceRegistrationRequestParamsEnvironmentKSQL,
		PhysicalParams: &ibmbrapi.PhysicalSourceRegistrationParams{Endpoint: "sql.example.com"},
	})
	require.NoError(t, err)
	assert.Equal(t, "sql.example.com", *two.Name, "the name defaults to the endpoint")
	assert.NotEqual(t, *one.ID, *two.ID)

	// Both come back in the list, in order; the ids filter narrows it.
	assert.Equal(t, []int64{*one.ID, *two.ID}, registrationIDs(ctx, t, c))
	l, err := c.Sources.List(ctx, &ibmbr.ListSourceRegistrationsOptions{IDs: []int64{*two.ID}})
	require.NoError(t, err)
	require.Len(t, l.Registrations, 1)
	assert.Equal(t, *two.ID, *l.Registrations[0].ID)

	got, err := c.Sources.Get(ctx, *one.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, *one, *got)

	// PUT replaces what the request sets and keeps what the server owns.
	upd, err := c.Sources.Update(ctx, *one.ID, ibmbrapi.SourceRegistrationUpdateRequestParams{
		Environment:    ibmbrapi.SourceRegistrationUpdateRequestParamsEnvironmentKPhysical,
		Name:           to.Ptr("host-one-renamed"),
		PhysicalParams: &ibmbrapi.PhysicalSourceRegistrationParams{Endpoint: "10.1.1.2"},
	})
	require.NoError(t, err)
	assert.Equal(t, "host-one-renamed", *upd.Name)
	assert.Equal(t, *one.RegistrationTimeMsecs, *upd.RegistrationTimeMsecs)
	got, err = c.Sources.Get(ctx, *one.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, "host-one-renamed", *got.Name)
	assert.Equal(t, "10.1.1.2", got.PhysicalParams.Endpoint)

	// PATCH changes the environment.
	patched, err := c.Sources.Patch(ctx, *two.ID, ibmbrapi.SourceRegistrationPatchRequestParams{
		Environment: ibmbrapi.SourceRegistrationPatchRequestParamsEnvironmentKPhysical})
	require.NoError(t, err)
	assert.Equal(t, ibmbrapi.SourceRegistrationResponseParamsEnvironmentKPhysical, *patched.Environment)
	got, err = c.Sources.Get(ctx, *two.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, ibmbrapi.SourceRegistrationResponseParamsEnvironmentKPhysical, *got.Environment)

	// Refresh answers for the source of a registration.
	require.NoError(t, c.Sources.Refresh(ctx, *one.SourceID))
	got, err = c.Sources.Get(ctx, *one.ID, nil)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, *got.LastRefreshedTimeMsecs, *one.LastRefreshedTimeMsecs)

	// Delete removes it: gone from gets, lists and refresh.
	require.NoError(t, c.Sources.Delete(ctx, *one.ID))
	_, err = c.Sources.Get(ctx, *one.ID, nil)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	require.ErrorIs(t, c.Sources.Delete(ctx, *one.ID), apierr.ErrNotFound)
	require.ErrorIs(t, c.Sources.Refresh(ctx, *one.SourceID), apierr.ErrNotFound)
	assert.Equal(t, []int64{*two.ID}, registrationIDs(ctx, t, c))
}

func TestIBMSourceRegistrationsNotFound(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()
	const unknown = 987654321
	_, err := c.Sources.Get(ctx, unknown, nil)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = c.Sources.Update(ctx, unknown, ibmbrapi.SourceRegistrationUpdateRequestParams{
		Environment: ibmbrapi.SourceRegistrationUpdateRequestParamsEnvironmentKSQL})
	require.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = c.Sources.Patch(ctx, unknown, ibmbrapi.SourceRegistrationPatchRequestParams{
		Environment: ibmbrapi.SourceRegistrationPatchRequestParamsEnvironmentKSQL})
	require.ErrorIs(t, err, apierr.ErrNotFound)
	require.ErrorIs(t, c.Sources.Delete(ctx, unknown), apierr.ErrNotFound)
	require.ErrorIs(t, c.Sources.Refresh(ctx, unknown), apierr.ErrNotFound)

	// A registration through a connection the tenant does not have is refused.
	_, err = c.Sources.Register(ctx, ibmbrapi.SourceRegistrationRequestParams{
		Environment: ibmbrapi.SourceRegistrationRequestParamsEnvironmentKPhysical, DataSourceConnectionID: to.Ptr("42"),
		PhysicalParams: &ibmbrapi.PhysicalSourceRegistrationParams{Endpoint: "10.0.0.9"}})
	require.ErrorIs(t, err, apierr.ErrBadRequest)
}

func TestIBMSourceRegistrationsTenantIsolation(t *testing.T) {
	_, c := startIBM(t)
	ctxA := context.Background()
	ctxB := ibmbr.ContextWithTenant(ctxA, "tenant-b/")
	reg, err := c.Sources.Register(ctxA, ibmbrapi.SourceRegistrationRequestParams{
		Environment:    ibmbrapi.SourceRegistrationRequestParamsEnvironmentKPhysical,
		PhysicalParams: &ibmbrapi.PhysicalSourceRegistrationParams{Endpoint: "10.2.2.2"}})
	require.NoError(t, err)

	assert.Empty(t, registrationIDs(ctxB, t, c), "tenant-b sees none of tenant-a's registrations")
	_, err = c.Sources.Get(ctxB, *reg.ID, nil)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	require.ErrorIs(t, c.Sources.Refresh(ctxB, *reg.SourceID), apierr.ErrNotFound)
	require.ErrorIs(t, c.Sources.Delete(ctxB, *reg.ID), apierr.ErrNotFound)

	_, err = c.Sources.Get(ctxA, *reg.ID, nil)
	require.NoError(t, err, "still there for tenant-a")
}

func TestIBMSourcesBadInputFailsBeforeSending(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()
	_, err := c.Sources.Get(ctx, 0, nil)
	require.ErrorIs(t, err, apierr.ErrMissingID)
	require.ErrorIs(t, c.Sources.Delete(ctx, -1), apierr.ErrMissingID)
	require.ErrorIs(t, c.Sources.Refresh(ctx, 0), apierr.ErrMissingID)
	_, err = c.Sources.Update(ctx, 0, ibmbrapi.SourceRegistrationUpdateRequestParams{
		Environment: ibmbrapi.SourceRegistrationUpdateRequestParamsEnvironmentKSQL})
	require.ErrorIs(t, err, apierr.ErrMissingID)
	_, err = c.Sources.Register(ctx, ibmbrapi.SourceRegistrationRequestParams{})
	require.Error(t, err, "no environment")
	_, err = c.Sources.Patch(ctx, 1, ibmbrapi.SourceRegistrationPatchRequestParams{Environment: "kVMware"})
	require.Error(t, err, "unknown environment")
	_, err = c.Sources.List(ctx, &ibmbr.ListSourceRegistrationsOptions{IncludeSourceCredentials: to.Ptr(true)})
	require.Error(t, err, "credentials need an encryption key")
	assert.Empty(t, srv.Calls(), "nothing reached the service")
}
