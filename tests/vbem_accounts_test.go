package tests

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/vbemfake"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbem"
)

// acctReads are the answers of every read of the accounts area, compared
// between the JSON and the XML run.
type acctReads struct {
	Security      *vbemapi.EnterpriseSecuritySettings
	List          *vbemapi.EnterpriseAccounts
	Ref, Entity   *vbemapi.EnterpriseAccount
	Created       *vbemapi.EnterpriseAccount
	CreatedEntity *vbemapi.EnterpriseAccount
	Scopes        *vbemapi.EnterpriseAccountHierarchyScopes
	Scope         *vbemapi.EnterpriseAccountHierarchyScope
	AfterRebuild  *vbemapi.EnterpriseAccountHierarchyScopes
	Toggled       *vbemapi.EnterpriseAccount
	RebuildTask   *vbemapi.Task
}

// acctSameHost rewrites the fake's host in every Href to one name, so that
// answers of two fakes compare equal.
func acctSameHost(t *testing.T, srv *vbemfake.Server, v any) {
	t.Helper()
	u, err := url.Parse(srv.URL())
	require.NoError(t, err)
	b, err := json.Marshal(v)
	require.NoError(t, err)
	b = []byte(strings.ReplaceAll(string(b), u.Host, "em.example.com:9398"))
	require.NoError(t, json.Unmarshal(b, v))
}

// vbemEntity asks for an account's entity form (?format=Entity).
var vbemEntity = &vbem.GetAccountOptions{Format: vbemapi.GetAccountParamsFormatEntity}

func TestVBEMAccounts(t *testing.T) {
	fast := &poll.Options{Interval: time.Millisecond, MaxInterval: 5 * time.Millisecond}
	runs := map[string]*acctReads{}
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts)
			var got acctReads
			var err error

			// Security entry point and the seeded account.
			got.Security, err = c.Accounts.Security(ctx)
			require.NoError(t, err)
			assert.Equal(t, "EnterpriseSecuritySettings", to.Value(got.Security.Type))
			require.NotNil(t, got.Security.Links)

			got.List, err = c.Accounts.List(ctx)
			require.NoError(t, err)
			require.NotNil(t, got.List.Refs)
			var seedID string
			for _, ref := range got.List.Refs {
				if to.Value(ref.Name) == `CORP\restore-ops` {
					seedID = vbem.IDFromHref(to.Value(ref.Href))
				}
			}
			require.Equal(t, vbemfake.SeedAccountID, seedID)

			got.Ref, err = c.Accounts.Get(ctx, seedID, nil)
			require.NoError(t, err)
			assert.Equal(t, "EnterpriseAccountReference", to.Value(got.Ref.Type))
			assert.Nil(t, got.Ref.AccountType, "the reference form has no entity elements")
			got.Entity, err = c.Accounts.Get(ctx, seedID, vbemEntity)
			require.NoError(t, err)
			assert.Equal(t, "EnterpriseAccount", to.Value(got.Entity.Type))
			assert.Equal(t, `CORP\restore-ops`, to.Value(got.Entity.AccountName))
			require.NotNil(t, got.Entity.AllowRestoreAllVMs)
			assert.False(t, *got.Entity.AllowRestoreAllVMs)
			assert.Equal(t, seedID, vbem.AccountID(*got.Entity))

			// Create an account with a restore scope.
			spec := vbemapi.EnterpriseAccountCreateSpec{AccountType: vbemapi.EnterpriseAccountCreateSpecAccountTypeGroup,
				AccountName: `CORP\helpdesk`, AllowRestoreAllVMs: false}
			spec.Roles.EnterpriseRoles = []struct {
				EnterpriseRoleUID *string `json:"EnterpriseRoleUid,omitempty" xml:"EnterpriseRoleUid"`
			}{{EnterpriseRoleUID: to.Ptr("urn:veeam:EnterpriseRole:f84a8b62-49b8-4d0c-b25b-92321b52bab6")}}
			spec.HierarchyScopeObjects = &struct {
				HierarchyScopeItems []vbemapi.HierarchyScopeItem `json:"HierarchyScopeItems,omitempty" xml:"HierarchyScopeItem"`
			}{HierarchyScopeItems: []vbemapi.HierarchyScopeItem{{HierarchyObjRef: to.Ptr("urn:VMware:Vm:a2b0c55d-829a-4efe-bd95-125ee77ba9dd.vm-7870"), ObjectName: to.Ptr("VM01")}}}
			spec.FlrSettings = &struct {
				FlrInplaceOnly           *bool   `json:"FlrInplaceOnly,omitempty" xml:"FlrInplaceOnly"`
				FlrExtentionRestrictions *string `json:"FlrExtentionRestrictions,omitempty" xml:"FlrExtentionRestrictions"`
			}{FlrInplaceOnly: to.Ptr(true), FlrExtentionRestrictions: to.Ptr("doc,pptx")}
			spec.SQLSettings = &struct {
				DenyInPlaceRestore *bool `json:"DenyInPlaceRestore,omitempty" xml:"DenyInPlaceRestore"`
			}{DenyInPlaceRestore: to.Ptr(true)}
			created, task, err := c.Accounts.Create(ctx, spec)
			require.NoError(t, err)
			assert.Nil(t, task, "the fake answers 201 with the account")
			require.NotNil(t, created)
			got.Created = created
			id := vbem.AccountID(*created)
			require.NotEmpty(t, id)
			assert.Equal(t, `CORP\helpdesk`, to.Value(created.AccountName))
			_, _, err = c.Accounts.Create(ctx, spec)
			assert.ErrorIs(t, err, apierr.ErrBadRequest, "the name is taken")

			got.CreatedEntity, err = c.Accounts.Get(ctx, id, vbemEntity)
			require.NoError(t, err)
			assert.Equal(t, created, got.CreatedEntity)
			require.NotNil(t, got.CreatedEntity.FlrSettings)
			assert.Equal(t, "doc,pptx", to.Value(got.CreatedEntity.FlrSettings.FlrExtentionRestrictions))
			require.NotNil(t, got.CreatedEntity.Roles)
			require.Len(t, got.CreatedEntity.Roles.EnterpriseRoles, 1)
			list, err := c.Accounts.List(ctx)
			require.NoError(t, err)
			assert.Len(t, list.Refs, 2, "the new account shows up in the list")

			// Restore scopes: the one of the create spec, then two more.
			scopes, err := c.Accounts.ListScopes(ctx, id)
			require.NoError(t, err)
			require.Len(t, scopes.EnterpriseAccountHierarchyScopes, 1)
			first := scopes.EnterpriseAccountHierarchyScopes[0]
			assert.Equal(t, "VM01", to.Value(first.Name))
			assert.Equal(t, "a2b0c55d-829a-4efe-bd95-125ee77ba9dd", to.Value(first.HierarchyRootName))

			task, err = c.Accounts.CreateScopes(ctx, id,
				vbemapi.HierarchyScopeItem{HierarchyObjRef: to.Ptr("urn:VMware:Folder:vcenter01.tech.local.group-v42"), ObjectName: to.Ptr("Finance")},
				vbemapi.HierarchyScopeItem{HierarchyObjRef: to.Ptr("urn:HyperV:Host:hv-cluster01.host-7"), ObjectName: to.Ptr("HV07")})
			require.NoError(t, err)
			assert.Nil(t, task, "201 without a body")
			_, err = c.Accounts.CreateScopes(ctx, id)
			assert.ErrorIs(t, err, vbem.ErrNoScopeItems)

			got.Scopes, err = c.Accounts.ListScopes(ctx, id)
			require.NoError(t, err)
			require.Len(t, got.Scopes.EnterpriseAccountHierarchyScopes, 3, "created scopes show up")
			finance := got.Scopes.EnterpriseAccountHierarchyScopes[1]
			assert.Equal(t, "Finance", to.Value(finance.Name))
			assert.Equal(t, "VMware", to.Value(finance.Platform))
			assert.Equal(t, "Folder", to.Value(finance.HierarchyObjectType))
			assert.Equal(t, "vcenter01.tech.local", to.Value(finance.HierarchyRootName))
			assert.Equal(t, "Unprocessed", to.Value(finance.State))
			hv := got.Scopes.EnterpriseAccountHierarchyScopes[2]
			assert.Equal(t, "HyperV", to.Value(hv.Platform))
			assert.Equal(t, "Host", to.Value(hv.HierarchyObjectType))

			scopeID := vbem.ScopeID(finance)
			require.NotEmpty(t, scopeID)
			got.Scope, err = c.Accounts.GetScope(ctx, id, scopeID)
			require.NoError(t, err)
			assert.Equal(t, finance, *got.Scope)

			// Rebuild processes the scopes.
			{
				got.RebuildTask, err = c.Accounts.RebuildScopes(ctx, vbem.RebuildUnprocessed)
				require.NoError(t, err)
				require.NotNil(t, got.RebuildTask)
				assert.Equal(t, "StartRebuildScope", to.Value(got.RebuildTask.Operation))
				done, err := c.WaitTask(ctx, got.RebuildTask, fast)
				require.NoError(t, err)
				assert.Equal(t, vbemapi.TaskStateFinished, *done.State)
				got.AfterRebuild, err = c.Accounts.ListScopes(ctx, id)
				require.NoError(t, err)
				for _, s := range got.AfterRebuild.EnterpriseAccountHierarchyScopes {
					assert.Equal(t, "Processed", to.Value(s.State))
				}
			}
			_, err = c.Accounts.RebuildScopes(ctx, "RebuildSome")
			assert.Error(t, err)

			// Delete a scope.
			task, err = c.Accounts.DeleteScope(ctx, id, scopeID)
			require.NoError(t, err)
			assert.Nil(t, task)
			_, err = c.Accounts.GetScope(ctx, id, scopeID)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.Accounts.DeleteScope(ctx, id, scopeID)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			scopes, err = c.Accounts.ListScopes(ctx, id)
			require.NoError(t, err)
			assert.Len(t, scopes.EnterpriseAccountHierarchyScopes, 2, "the deleted scope is gone")

			// Toggle restore of all VMs, twice.
			require.NoError(t, c.Accounts.ToggleRestoreScopes(ctx, id))
			got.Toggled, err = c.Accounts.Get(ctx, id, vbemEntity)
			require.NoError(t, err)
			assert.True(t, *got.Toggled.AllowRestoreAllVMs)
			require.NoError(t, c.Accounts.ToggleRestoreScopes(ctx, id))
			again, err := c.Accounts.Get(ctx, id, vbemEntity)
			require.NoError(t, err)
			assert.False(t, *again.AllowRestoreAllVMs)

			// Delete the account.
			require.NoError(t, c.Accounts.Delete(ctx, id))
			_, err = c.Accounts.Get(ctx, id, nil)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			assert.ErrorIs(t, c.Accounts.Delete(ctx, id), apierr.ErrNotFound)
			assert.ErrorIs(t, c.Accounts.ToggleRestoreScopes(ctx, id), apierr.ErrNotFound)
			_, err = c.Accounts.ListScopes(ctx, id)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.Accounts.CreateScopes(ctx, id, vbemapi.HierarchyScopeItem{HierarchyObjRef: to.Ptr("urn:VMware:Vm:vc.vm-1"), ObjectName: to.Ptr("x")})
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			list, err = c.Accounts.List(ctx)
			require.NoError(t, err)
			assert.Len(t, list.Refs, 1, "the deleted account is gone")

			// Empty ids never leave the client.
			_, err = c.Accounts.Get(ctx, "", vbemEntity)
			assert.ErrorIs(t, err, apierr.ErrMissingID)
			_, err = c.Accounts.GetScope(ctx, id, "")
			assert.ErrorIs(t, err, apierr.ErrMissingID)
			_, err = c.Accounts.DeleteScope(ctx, "", scopeID)
			assert.ErrorIs(t, err, apierr.ErrMissingID)

			acctSameHost(t, srv, &got)
			runs[m.name] = &got
		})
	}
	if j, x := runs["json"], runs["xml"]; j != nil && x != nil {
		assert.Equal(t, j, x, "JSON and XML answers decode to the same values")
	}
}
