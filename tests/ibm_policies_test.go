package tests

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
)

func ibmPolicyRequest(t *testing.T, name string) ibmbrapi.ProtectionPolicyRequest {
	t.Helper()
	p := ibmExample[ibmbrapi.ProtectionPolicyRequest](t, "ProtectionPolicyRequest")
	p.Name = name
	// The example's timestamp is not a policy's current one: an update that
	// sent it would be refused as stale.
	p.LastModificationTimeUsecs = nil
	return p
}

func TestIBMPoliciesCRUD(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()

	empty, err := c.Policies.List(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, empty.Policies)

	gold, err := c.Policies.Create(ctx, ibmPolicyRequest(t, "Gold"))
	require.NoError(t, err)
	require.NotNil(t, gold.ID)
	assert.Regexp(t, `^\d+:\d+:\d+$`, *gold.ID)
	assert.Equal(t, "Gold", gold.Name)
	silver, err := c.Policies.Create(ctx, ibmPolicyRequest(t, "Silver"))
	require.NoError(t, err)
	assert.NotEqual(t, *gold.ID, *silver.ID)

	_, err = c.Policies.Create(ctx, ibmPolicyRequest(t, "Gold"))
	require.ErrorIs(t, err, apierr.ErrConflict, "names are unique")

	var names []string
	for p, err := range c.Policies.All(ctx, nil) {
		require.NoError(t, err)
		names = append(names, p.Name)
	}
	assert.Equal(t, []string{"Gold", "Silver"}, names)

	byName, err := c.Policies.List(ctx, &ibmbr.ListPoliciesOptions{PolicyNames: []string{"Silver"}})
	require.NoError(t, err)
	require.Len(t, byName.Policies, 1)
	assert.Equal(t, *silver.ID, *byName.Policies[0].ID)
	byID, err := c.Policies.List(ctx, &ibmbr.ListPoliciesOptions{IDs: []string{*gold.ID, *silver.ID}})
	require.NoError(t, err)
	assert.Len(t, byID.Policies, 2)

	got, err := c.Policies.Get(ctx, *gold.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, "Gold", got.Name)
	assert.Equal(t, gold.BackupPolicy.Regular, got.BackupPolicy.Regular)

	upd := ibmPolicyRequest(t, "Gold")
	desc := "gold, renamed"
	upd.Description = &desc
	upd.Name = "Platinum"
	updated, err := c.Policies.Update(ctx, *gold.ID, upd)
	require.NoError(t, err)
	assert.Equal(t, "Platinum", updated.Name)
	assert.Equal(t, *gold.ID, *updated.ID)
	require.NotNil(t, updated.LastModificationTimeUsecs)
	assert.Greater(t, *updated.LastModificationTimeUsecs, *gold.LastModificationTimeUsecs)
	got, err = c.Policies.Get(ctx, *gold.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, "Platinum", got.Name)
	assert.Equal(t, desc, *got.Description)

	// An update that names the policy's current lastModificationTimeUsecs
	// goes through; one that names an older one (a stale read) is refused
	// and changes nothing.
	fresh := ibmPolicyRequest(t, "Platinum")
	freshDesc := "checked against the last read"
	fresh.Description = &freshDesc
	fresh.LastModificationTimeUsecs = got.LastModificationTimeUsecs
	updated, err = c.Policies.Update(ctx, *gold.ID, fresh)
	require.NoError(t, err)
	assert.Equal(t, freshDesc, *updated.Description)
	assert.Greater(t, *updated.LastModificationTimeUsecs, *got.LastModificationTimeUsecs)
	stale := ibmPolicyRequest(t, "Platinum")
	staleDesc := "written from a stale read"
	stale.Description = &staleDesc
	stale.LastModificationTimeUsecs = got.LastModificationTimeUsecs
	_, err = c.Policies.Update(ctx, *gold.ID, stale)
	require.ErrorIs(t, err, apierr.ErrConflict, "a stale lastModificationTimeUsecs is refused")
	var apiErr *apierr.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "KStaleUpdate", apiErr.Code)
	got, err = c.Policies.Get(ctx, *gold.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, freshDesc, *got.Description, "the refused update changed nothing")
	assert.Equal(t, *updated.LastModificationTimeUsecs, *got.LastModificationTimeUsecs)

	_, err = c.Policies.Update(ctx, *gold.ID, ibmPolicyRequest(t, "Silver"))
	require.ErrorIs(t, err, apierr.ErrConflict)

	require.NoError(t, c.Policies.Delete(ctx, *gold.ID))
	_, err = c.Policies.Get(ctx, *gold.ID, nil)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	require.ErrorIs(t, c.Policies.Delete(ctx, *gold.ID), apierr.ErrNotFound)
	_, err = c.Policies.Update(ctx, *gold.ID, upd)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	left, err := c.Policies.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, left.Policies, 1)
	assert.Equal(t, "Silver", left.Policies[0].Name)
}

func TestIBMPoliciesPerTenant(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()
	ctxB := ibmbr.ContextWithTenant(ctx, "tenant-b/")

	a, err := c.Policies.Create(ctx, ibmPolicyRequest(t, "Gold"))
	require.NoError(t, err)
	b, err := c.Policies.Create(ctxB, ibmPolicyRequest(t, "Gold"))
	require.NoError(t, err, "names are unique per tenant only")

	listB, err := c.Policies.List(ctxB, nil)
	require.NoError(t, err)
	require.Len(t, listB.Policies, 1)
	assert.Equal(t, *b.ID, *listB.Policies[0].ID)

	_, err = c.Policies.Get(ctxB, *a.ID, nil)
	require.ErrorIs(t, err, apierr.ErrNotFound, "tenant B cannot see tenant A's policy")
	require.ErrorIs(t, c.Policies.Delete(ctxB, *a.ID), apierr.ErrNotFound)
	_, err = c.Policies.Get(ctx, *a.ID, nil)
	require.NoError(t, err)
}

func TestIBMPoliciesRefuseEmptyIDs(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()
	_, err := c.Policies.Get(ctx, "", nil)
	require.ErrorIs(t, err, apierr.ErrMissingID)
	_, err = c.Policies.Update(ctx, "", ibmPolicyRequest(t, "x"))
	require.ErrorIs(t, err, apierr.ErrMissingID)
	require.ErrorIs(t, c.Policies.Delete(ctx, ""), apierr.ErrMissingID)
	assert.Empty(t, srv.Calls())
}

func TestIBMSeedPolicies(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()
	srv.SeedPolicies("tenant-a/", 100)
	assert.Equal(t, 100, srv.PolicyCount("tenant-a/"))
	assert.Zero(t, srv.PolicyCount("tenant-b/"))

	list, err := c.Policies.List(ctx, nil)
	require.NoError(t, err)
	policies := list.Policies
	require.Len(t, policies, 100)
	ids, names := map[string]bool{}, map[string]bool{}
	for _, p := range policies {
		ids[*p.ID], names[p.Name] = true, true
		require.NotNil(t, p.BackupPolicy.Regular, "built from the spec's example")
	}
	assert.Len(t, ids, 100)
	assert.Len(t, names, 100)

	got, err := c.Policies.Get(ctx, *policies[42].ID, nil)
	require.NoError(t, err)
	assert.Equal(t, policies[42].Name, got.Name)
}
