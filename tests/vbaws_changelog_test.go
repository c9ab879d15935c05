package tests

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

// What the REST API changelogs of Veeam Backup for AWS add or change: the
// RDS browsing and route tables of an Amazon connection, the backup vaults,
// the account filter of the EC2 restore points and the users of the
// identity provider.

// TestVBAWSConnectionRDSBrowsing lists what a connection offers for
// restoring RDS resources, and its route tables: each follows the region of
// the connection and its VPCs, pages through All, and answers 404 once the
// connection is gone.
func TestVBAWSConnectionRDSBrowsing(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	ac := c.AmazonConnections
	role := cloudDefaultRole(ctx, t, c)
	us, eu := cloudRegionNamed(ctx, t, c, "us-east-1"), cloudRegionNamed(ctx, t, c, "eu-central-1")
	conn, err := ac.Add(ctx, vbawsapi.AmazonConnectionSpec{RegionID: us.ID, AmazonAccountID: to.Ptr(role.ID)})
	require.NoError(t, err)
	euConn, err := ac.Add(ctx, vbawsapi.AmazonConnectionSpec{RegionID: eu.ID, AmazonAccountID: to.Ptr(role.ID)})
	require.NoError(t, err)
	vpcs := map[string]string{} // VPC name -> AWS ID
	for _, n := range collect(t, ac.AllNetworks(ctx, conn.ID, nil)) {
		vpcs[to.Value(n.Name)] = n.ResourceID
	}
	require.Len(t, vpcs, 2)

	// DB subnet groups: one per VPC, named after it.
	before := srv.Calls()["BrowseRdsSubnetGroups"]
	groups := collect(t, ac.AllRDSSubnetGroups(ctx, conn.ID, &vbaws.ListConnectionItemsOptions{Limit: 1}))
	assert.Equal(t, 2, srv.Calls()["BrowseRdsSubnetGroups"]-before, "one group per page")
	byName := map[string]string{}
	for _, g := range groups {
		byName[g.Name] = to.Value(g.CloudNetworkResourceID)
	}
	assert.Equal(t, map[string]string{"default-db-subnets": vpcs["default"], "production-db-subnets": vpcs["production"]}, byName)

	// VPC security groups for RDS: those of the region.
	sg, err := ac.ListRDSSecurityGroups(ctx, conn.ID, nil)
	require.NoError(t, err)
	all, err := ac.ListSecurityGroups(ctx, conn.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, int32(3), sg.TotalCount)
	assert.ElementsMatch(t, all.Results, sg.Results)
	second, err := ac.ListRDSSecurityGroups(ctx, conn.ID, &vbaws.ListConnectionItemsOptions{Offset: 1, Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, int32(3), second.TotalCount)
	require.Len(t, second.Results, 1)
	assert.Equal(t, sg.Results[1], second.Results[0])

	// License models and DB instance classes (those of the region's instance types).
	licenseName := func(l vbawsapi.RdsLicense) string { return l.Name }
	assert.Equal(t, []string{"license-included", "bring-your-own-license", "general-public-license"},
		cloudPluck(collect(t, ac.AllRDSLicenses(ctx, conn.ID, &vbaws.ListConnectionItemsOptions{Limit: 2})), licenseName))
	className := func(x vbawsapi.RdsInstanceClass) string { return x.Name }
	assert.Equal(t, []string{"db.t3.micro", "db.c5.large", "db.m6g.large", "db.m1.small"}, cloudPluck(collect(t, ac.AllRDSInstanceClasses(ctx, conn.ID, nil)), className))
	euClasses, err := ac.ListRDSInstanceClasses(ctx, euConn.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"db.t3.micro", "db.c6g.large"}, cloudPluck(euClasses.Results, className), "the classes of the connection's own region")

	// Route tables: the main one of each VPC.
	tables := collect(t, ac.AllRouteTables(ctx, conn.ID, nil))
	require.Len(t, tables, 2)
	for _, rt := range tables {
		assert.True(t, strings.HasPrefix(rt.ResourceID, "rtb-"), rt.ResourceID)
		assert.Contains(t, []string{vpcs["default"], vpcs["production"]}, rt.CloudNetworkResourceID)
		assert.True(t, strings.HasSuffix(to.Value(rt.Name), "-main"))
	}
	euTables, err := ac.ListRouteTables(ctx, euConn.ID, nil)
	require.NoError(t, err)
	assert.NotContains(t, cloudPluck(euTables.Results, func(x vbawsapi.CloudRouteTable) string { return x.CloudNetworkResourceID }), vpcs["production"],
		"another region has other VPCs")

	// An unknown or removed connection.
	_, err = ac.ListRDSSubnetGroups(ctx, uuid.New(), nil)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = ac.ListRDSLicenses(ctx, uuid.Nil, nil)
	assert.ErrorIs(t, err, apierr.ErrMissingID)
	require.NoError(t, ac.Delete(ctx, conn.ID))
	for name, call := range map[string]func() error{
		"subnet groups":    func() error { _, err := ac.ListRDSSubnetGroups(ctx, conn.ID, nil); return err },
		"security groups":  func() error { _, err := ac.ListRDSSecurityGroups(ctx, conn.ID, nil); return err },
		"licenses":         func() error { _, err := ac.ListRDSLicenses(ctx, conn.ID, nil); return err },
		"instance classes": func() error { _, err := ac.ListRDSInstanceClasses(ctx, conn.ID, nil); return err },
		"route tables":     func() error { _, err := ac.ListRouteTables(ctx, conn.ID, nil); return err },
	} {
		assert.ErrorIs(t, call(), apierr.ErrNotFound, name)
	}
	_, err = ac.ListRDSInstanceClasses(ctx, euConn.ID, nil)
	assert.NoError(t, err, "the other connection stays")
}

// TestVBAWSBackupVaults lists the backup vaults of every region the
// appliance knows, one page at a time.
func TestVBAWSBackupVaults(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	regions := map[uuid.UUID]string{}
	for _, r := range collect(t, c.Regions.All(ctx, nil)) {
		regions[r.ID] = r.Name
	}
	require.Len(t, regions, 3)

	before := srv.Calls()["BackupVaultsGetAll"]
	vaults := collect(t, c.BackupVaults.All(ctx, &vbaws.ListBackupVaultsOptions{Limit: 3}))
	assert.Equal(t, 2, srv.Calls()["BackupVaultsGetAll"]-before, "two pages of three")
	require.Len(t, vaults, 4)
	defaults := map[string]bool{}
	for _, v := range vaults {
		region, ok := regions[to.Value(v.RegionID)]
		require.True(t, ok, "the vault of a known region: %s", v.Name)
		assert.Equal(t, "arn:aws:backup:"+region+":111122223333:backup-vault:"+v.Name, v.Arn)
		if v.Name == "Default" {
			defaults[region] = true
		}
	}
	assert.Len(t, defaults, 3, "every region has its Default vault")
	page, err := c.BackupVaults.List(ctx, &vbaws.ListBackupVaultsOptions{Offset: 3})
	require.NoError(t, err)
	assert.Equal(t, int32(4), page.TotalCount)
	require.Len(t, page.Results, 1)
	assert.Equal(t, vaults[3], page.Results[0])
}

// TestVBAWSEC2RestorePointAccount filters the EC2 restore points by the AWS
// account they are stored in (the filter the 1.6-rev0 changes added).
func TestVBAWSEC2RestorePointAccount(t *testing.T) {
	ctx := context.Background()
	_, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	all := collect(t, c.EC2RestorePoints.All(ctx, nil))
	require.NotEmpty(t, all)
	for _, p := range all {
		assert.Equal(t, "111122223333", to.Value(p.RestorePointAwsAccountID))
	}
	mine, err := c.EC2RestorePoints.List(ctx, &vbaws.ListEC2RestorePointsOptions{RestorePointAwsAccountID: "111122223333"})
	require.NoError(t, err)
	assert.Len(t, mine.Results, len(all))
	other, err := c.EC2RestorePoints.List(ctx, &vbaws.ListEC2RestorePointsOptions{RestorePointAwsAccountID: "999988887777"})
	require.NoError(t, err)
	assert.Zero(t, other.TotalCount)
	assert.Empty(t, other.Results)
}

// TestVBAWSExternalUser adds a user of the identity provider, who has no
// password (the 1.2-rev0 rule), next to a user of the appliance, who must
// have one.
func TestVBAWSExternalUser(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	users := c.Users
	external := to.Ptr("External")

	for name, spec := range map[string]vbawsapi.UserCreateSpec{
		"a local user without a password":     {Name: "nopass", Description: "No password"},
		"an External user with a password":    {Name: "ssouser", Description: "SSO", AccountType: external, Password: to.Ptr("Ext3rnal-Pw")},
		"an account type of no known meaning": {Name: "ssouser", Description: "SSO", AccountType: to.Ptr("Federated"), Password: to.Ptr("Ext3rnal-Pw")},
	} {
		_, err := users.Create(ctx, spec)
		assert.ErrorIs(t, err, apierr.ErrBadRequest, name)
	}
	page, err := users.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, int32(1), page.TotalCount, "nothing was added")

	sso, err := users.Create(ctx, vbawsapi.UserCreateSpec{Name: "jane_doe", Description: "Signs in through the identity provider", AccountType: external})
	require.NoError(t, err)
	assert.Equal(t, "jane_doe", sso.Name)
	got, err := users.Get(ctx, "jane_doe")
	require.NoError(t, err)
	assert.Equal(t, "Signs in through the identity provider", got.Description)
	_, err = users.Update(ctx, "jane_doe", vbawsapi.UserUpdateSpec{Password: to.Ptr("N3w-Passw0rd"), OldPassword: to.Ptr("")})
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "no password to change")
	err = vbawsClientFor(t, srv, vbaws.PasswordCredentials("jane_doe", "N3w-Passw0rd")).Login(ctx)
	assert.ErrorIs(t, err, apierr.ErrInvalidCredentials, "no password logs an External user in")

	local, err := users.Create(ctx, vbawsapi.UserCreateSpec{Name: "local", Description: "Local", Password: to.Ptr("L0cal-Passw0rd")})
	require.NoError(t, err)
	require.NoError(t, vbawsClientFor(t, srv, vbaws.PasswordCredentials(local.Name, "L0cal-Passw0rd")).Login(ctx))
	names := cloudPluck(collect(t, users.All(ctx, nil)), func(u vbawsapi.User) string { return u.Name })
	assert.ElementsMatch(t, []string{"admin", "jane_doe", "local"}, names)
}

// TestVBAWSRDSInstanceType reads the DB instance class of the RDS resources
// under the name the 1.3-rev0 changes gave it, instanceType.
func TestVBAWSRDSInstanceType(t *testing.T) {
	ctx := context.Background()
	_, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	types := map[string]string{}
	for r, err := range c.RDSInstances.All(ctx, nil) {
		require.NoError(t, err)
		types[r.Name] = to.Value(r.InstanceType)
	}
	require.Contains(t, types, "billing-db")
	assert.Equal(t, "db.r6g.large", types["billing-db"])
	for name, typ := range types {
		assert.True(t, strings.HasPrefix(typ, "db."), "%s: %q", name, typ)
	}
}
