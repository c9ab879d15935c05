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
	return p
}

func TestIBMPoliciesCRUD(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()

	empty, err := c.Policies.List(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, pgItems(empty.Policies))

	gold, err := c.Policies.Create(ctx, ibmPolicyRequest(t, "Gold"))
	require.NoError(t, err)
	require.NotNil(t, gold.Id)
	assert.Regexp(t, `^\d+:\d+:\d+$`, *gold.Id)
	assert.Equal(t, "Gold", gold.Name)
	silver, err := c.Policies.Create(ctx, ibmPolicyRequest(t, "Silver"))
	require.NoError(t, err)
	assert.NotEqual(t, *gold.Id, *silver.Id)

	_, err = c.Policies.Create(ctx, ibmPolicyRequest(t, "Gold"))
	require.ErrorIs(t, err, apierr.ErrConflict, "names are unique")

	var names []string
	for p, err := range c.Policies.All(ctx, nil) {
		require.NoError(t, err)
		names = append(names, p.Name)
	}
	assert.Equal(t, []string{"Gold", "Silver"}, names)

	byName, err := c.Policies.List(ctx, &ibmbr.ListPoliciesOptions{PolicyNames: &[]string{"Silver"}})
	require.NoError(t, err)
	require.Len(t, pgItems(byName.Policies), 1)
	assert.Equal(t, *silver.Id, *pgItems(byName.Policies)[0].Id)
	byID, err := c.Policies.List(ctx, &ibmbr.ListPoliciesOptions{Ids: &[]string{*gold.Id, *silver.Id}})
	require.NoError(t, err)
	assert.Len(t, pgItems(byID.Policies), 2)

	got, err := c.Policies.Get(ctx, *gold.Id)
	require.NoError(t, err)
	assert.Equal(t, "Gold", got.Name)
	assert.Equal(t, gold.BackupPolicy.Regular, got.BackupPolicy.Regular)

	upd := ibmPolicyRequest(t, "Gold")
	desc := "gold, renamed"
	upd.Description = &desc
	upd.Name = "Platinum"
	updated, err := c.Policies.Update(ctx, *gold.Id, upd)
	require.NoError(t, err)
	assert.Equal(t, "Platinum", updated.Name)
	assert.Equal(t, *gold.Id, *updated.Id)
	require.NotNil(t, updated.LastModificationTimeUsecs)
	assert.Greater(t, *updated.LastModificationTimeUsecs, *gold.LastModificationTimeUsecs)
	got, err = c.Policies.Get(ctx, *gold.Id)
	require.NoError(t, err)
	assert.Equal(t, "Platinum", got.Name)
	assert.Equal(t, desc, *got.Description)

	_, err = c.Policies.Update(ctx, *gold.Id, ibmPolicyRequest(t, "Silver"))
	require.ErrorIs(t, err, apierr.ErrConflict)

	require.NoError(t, c.Policies.Delete(ctx, *gold.Id))
	_, err = c.Policies.Get(ctx, *gold.Id)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	require.ErrorIs(t, c.Policies.Delete(ctx, *gold.Id), apierr.ErrNotFound)
	_, err = c.Policies.Update(ctx, *gold.Id, upd)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	left, err := c.Policies.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, pgItems(left.Policies), 1)
	assert.Equal(t, "Silver", pgItems(left.Policies)[0].Name)
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
	require.Len(t, pgItems(listB.Policies), 1)
	assert.Equal(t, *b.Id, *pgItems(listB.Policies)[0].Id)

	_, err = c.Policies.Get(ctxB, *a.Id)
	require.ErrorIs(t, err, apierr.ErrNotFound, "tenant B cannot see tenant A's policy")
	require.ErrorIs(t, c.Policies.Delete(ctxB, *a.Id), apierr.ErrNotFound)
	_, err = c.Policies.Get(ctx, *a.Id)
	require.NoError(t, err)
}

func TestIBMPoliciesRefuseEmptyIDs(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()
	_, err := c.Policies.Get(ctx, "")
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
	policies := pgItems(list.Policies)
	require.Len(t, policies, 100)
	ids, names := map[string]bool{}, map[string]bool{}
	for _, p := range policies {
		ids[*p.Id], names[p.Name] = true, true
		require.NotNil(t, p.BackupPolicy.Regular, "built from the spec's example")
	}
	assert.Len(t, ids, 100)
	assert.Len(t, names, 100)

	got, err := c.Policies.Get(ctx, *policies[42].Id)
	require.NoError(t, err)
	assert.Equal(t, policies[42].Name, got.Name)
}

func pgItems[T any](p *[]T) []T {
	if p == nil {
		return nil
	}
	return *p
}
