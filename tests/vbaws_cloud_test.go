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

// cloudPluck returns what key says of each item, in order.
func cloudPluck[T, K any](items []T, key func(T) K) []K {
	out := make([]K, 0, len(items))
	for _, it := range items {
		out = append(out, key(it))
	}
	return out
}

func cloudRegionName(r vbawsapi.Region) string { return r.Name }

// cloudRegionNamed finds a seeded AWS Region through the regions search.
func cloudRegionNamed(ctx context.Context, t *testing.T, c *vbaws.Client, name string) vbawsapi.Region {
	t.Helper()
	page, err := c.Regions.List(ctx, &vbaws.ListRegionsOptions{SearchPattern: name})
	require.NoError(t, err)
	require.Len(t, page.Results, 1, name)
	return page.Results[0]
}

// cloudDefaultRole is the IAM role the fake appliance is seeded with.
func cloudDefaultRole(ctx context.Context, t *testing.T, c *vbaws.Client) vbawsapi.AmazonAccount {
	t.Helper()
	roles := collect(t, c.IAMRoles.All(ctx, nil))
	require.Len(t, roles, 1)
	return roles[0]
}

// TestVBAWSRegionsAndTags reads the AWS Regions, their Availability Zones
// and instance types, and the AWS tags: filters, sorting, paging through
// All, and 404 for what does not exist.
func TestVBAWSRegionsAndTags(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))

	before := srv.Calls()["GetAllRegions"]
	regions := collect(t, c.Regions.All(ctx, &vbaws.ListRegionsOptions{Limit: 1, Sort: []vbawsapi.RegionsSortColumns{vbawsapi.RegionsSortColumnsNameAsc}}))
	assert.Equal(t, []string{"ap-southeast-2", "eu-central-1", "us-east-1"}, cloudPluck(regions, cloudRegionName))
	assert.GreaterOrEqual(t, srv.Calls()["GetAllRegions"]-before, 3, "one region per page")
	desc, err := c.Regions.List(ctx, &vbaws.ListRegionsOptions{Sort: []vbawsapi.RegionsSortColumns{vbawsapi.RegionsSortColumnsNameDesk}})
	require.NoError(t, err)
	assert.Equal(t, []string{"us-east-1", "eu-central-1", "ap-southeast-2"}, cloudPluck(desc.Results, cloudRegionName))
	page, err := c.Regions.List(ctx, &vbaws.ListRegionsOptions{Offset: 1, Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, int32(3), page.TotalCount)
	require.Len(t, page.Results, 1)
	us := cloudRegionNamed(ctx, t, c, "us-*")
	got, err := c.Regions.Get(ctx, us.ID)
	require.NoError(t, err)
	assert.Equal(t, "us-east-1", got.Name)
	_, err = c.Regions.Get(ctx, uuid.New())
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	zones := collect(t, c.Regions.AllZones(ctx, us.ID, &vbaws.ListRegionsOptions{Limit: 2, Sort: []vbawsapi.RegionsSortColumns{vbawsapi.RegionsSortColumnsNameDesk}}))
	assert.Equal(t, []string{"us-east-1c", "us-east-1b", "us-east-1a"}, cloudPluck(zones, cloudRegionName))
	zpage, err := c.Regions.ListZones(ctx, us.ID, &vbaws.ListRegionsOptions{SearchPattern: "*1b"})
	require.NoError(t, err)
	require.Len(t, zpage.Results, 1)
	assert.Equal(t, "us-east-1b", zpage.Results[0].Name)
	_, err = c.Regions.ListZones(ctx, uuid.New(), nil)
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	typeName := func(x vbawsapi.AmazonInstanceType) string { return x.Name }
	all := collect(t, c.Regions.AllInstanceTypes(ctx, us.ID, &vbaws.ListInstanceTypesOptions{Limit: 1}))
	assert.Equal(t, []string{"t3.micro", "c5.large", "m6g.large", "m1.small"}, cloudPluck(all, typeName))
	arm, err := c.Regions.ListInstanceTypes(ctx, us.ID, &vbaws.ListInstanceTypesOptions{IsArm64: to.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, []string{"m6g.large"}, cloudPluck(arm.Results, typeName))
	pv, err := c.Regions.ListInstanceTypes(ctx, us.ID, &vbaws.ListInstanceTypesOptions{VirtualizationTypes: []string{"paravirtual"}})
	require.NoError(t, err)
	require.Len(t, pv.Results, 1)
	assert.Equal(t, "m1.small", pv.Results[0].Name)
	assert.Equal(t, int32(1740), pv.Results[0].RAM)
	eu := cloudRegionNamed(ctx, t, c, "eu-central-1")
	euArm, err := c.Regions.ListInstanceTypes(ctx, eu.ID, &vbaws.ListInstanceTypesOptions{IsArm64: to.Ptr(false)})
	require.NoError(t, err)
	assert.Equal(t, []string{"t3.micro"}, cloudPluck(euArm.Results, typeName), "each region has its own types")
	_, err = c.Regions.ListInstanceTypes(ctx, uuid.New(), nil)
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	tags := collect(t, c.Tags.All(ctx, &vbaws.ListTagsOptions{Limit: 2, Sort: []vbawsapi.TagsSortColumns{vbawsapi.TagsSortColumnsKeyDesc}}))
	require.Len(t, tags, 5)
	assert.Equal(t, "Owner", tags[0].Key)
	assert.Equal(t, "CostCenter", tags[len(tags)-1].Key)
	env, err := c.Tags.List(ctx, &vbaws.ListTagsOptions{SearchPattern: "environment"})
	require.NoError(t, err)
	assert.Equal(t, int32(2), env.TotalCount, "the pattern matches keys")
	prod, err := c.Tags.List(ctx, &vbaws.ListTagsOptions{SearchPattern: "prod*"})
	require.NoError(t, err)
	require.Len(t, prod.Results, 1, "and values")
	tag, err := c.Tags.Get(ctx, prod.Results[0].ID)
	require.NoError(t, err)
	assert.Equal(t, "Environment", tag.Key)
	assert.Equal(t, "production", tag.Value)
	_, err = c.Tags.Get(ctx, uuid.New())
	assert.ErrorIs(t, err, apierr.ErrNotFound)
}

// TestVBAWSBuckets lists the Amazon S3 buckets by IAM role, shows that a
// rescan for a new role makes the buckets it reaches visible only when its
// session succeeds, and reads bucket folders.
func TestVBAWSBuckets(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	bucketName := func(b vbawsapi.Bucket) string { return b.Name }

	seeded := cloudDefaultRole(ctx, t, c)
	buckets := collect(t, c.Buckets.All(ctx, &vbaws.ListBucketsOptions{Limit: 1, Sort: []vbawsapi.BucketsSortColumns{vbawsapi.BucketsSortColumnsNameDesc}}))
	assert.Equal(t, []string{"veeam-backups-us", "veeam-archive-eu"}, cloudPluck(buckets, bucketName))
	byRole, err := c.Buckets.List(ctx, &vbaws.ListBucketsOptions{IAMRoleID: to.Ptr(seeded.ID)})
	require.NoError(t, err)
	assert.Equal(t, int32(2), byRole.TotalCount)
	_, err = c.Buckets.List(ctx, &vbaws.ListBucketsOptions{IAMRoleID: to.Ptr(uuid.New())})
	assert.ErrorIs(t, err, apierr.ErrNotFound, "an unknown IAM role")
	us, err := c.Buckets.Get(ctx, buckets[0].ID)
	require.NoError(t, err)
	assert.Equal(t, "us-east-1", us.Location.Name)
	assert.Equal(t, cloudRegionNamed(ctx, t, c, "us-east-1").ID, us.Location.ID)
	_, err = c.Buckets.Get(ctx, uuid.New())
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	// A new role reaches no bucket the appliance knows of until a rescan
	// for it succeeds.
	role, err := c.IAMRoles.Add(ctx, vbawsapi.AmazonAccountCreateSpec{Name: "Archive role", IAMRole: &vbawsapi.AmazonAccountIAMRoleCreateSpec{RoleName: "VeeamArchive"}})
	require.NoError(t, err)
	none, err := c.Buckets.List(ctx, &vbaws.ListBucketsOptions{IAMRoleID: to.Ptr(role.ID)})
	require.NoError(t, err)
	assert.Zero(t, none.TotalCount)
	srv.FailNextSession("Access denied to s3:ListAllMyBuckets")
	link, err := c.Buckets.Rescan(ctx, role.ID)
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.ErrorIs(t, err, vbaws.ErrSessionFailed)
	none, err = c.Buckets.List(ctx, &vbaws.ListBucketsOptions{IAMRoleID: to.Ptr(role.ID)})
	require.NoError(t, err)
	assert.Zero(t, none.TotalCount, "a failed rescan finds nothing")
	link, err = c.Buckets.Rescan(ctx, role.ID)
	require.NoError(t, err)
	waitOK(ctx, t, c, link.SessionID)
	found := collect(t, c.Buckets.All(ctx, &vbaws.ListBucketsOptions{IAMRoleID: to.Ptr(role.ID), Sort: []vbawsapi.BucketsSortColumns{vbawsapi.BucketsSortColumnsNameAsc}}))
	assert.Equal(t, []string{"veeam-archive-eu", "veeam-backups-us", "veeam-logs-ap"}, cloudPluck(found, bucketName))
	logs, err := c.Buckets.List(ctx, &vbaws.ListBucketsOptions{SearchPattern: "*logs*"})
	require.NoError(t, err)
	require.Len(t, logs.Results, 1, "the bucket the rescan found is listed for everyone")
	_, err = c.Buckets.Rescan(ctx, uuid.New())
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	folderName := func(f vbawsapi.BucketFolder) string { return f.Name }
	folders := collect(t, c.Buckets.AllFolders(ctx, us.ID, &vbaws.ListBucketFoldersOptions{Limit: 1, Sort: []vbawsapi.BucketFoldersSortColumns{vbawsapi.BucketFoldersSortColumnsNameDesc}}))
	assert.Equal(t, []string{"rds-backups", "efs-backups", "ec2-backups"}, cloudPluck(folders, folderName))
	folder, err := c.Buckets.GetFolder(ctx, us.ID, "efs-backups")
	require.NoError(t, err)
	assert.Equal(t, folders[1].FolderID, folder.FolderID)
	_, err = c.Buckets.GetFolder(ctx, us.ID, "archive")
	assert.ErrorIs(t, err, apierr.ErrNotFound, "the folder of another bucket")
	_, err = c.Buckets.ListFolders(ctx, uuid.New(), nil)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = c.Buckets.GetFolder(ctx, us.ID, "")
	assert.ErrorIs(t, err, apierr.ErrMissingID, "refused before sending")
}

// TestVBAWSAmazonConnections adds connections with an IAM role and with
// access keys, browses their regions (zones, VPCs, subnets, security
// groups, keys, S3 endpoints, bucket folders), refuses bad settings, and
// shows that a removed connection answers 404.
func TestVBAWSAmazonConnections(t *testing.T) {
	ctx := context.Background()
	_, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	ac := c.AmazonConnections
	role := cloudDefaultRole(ctx, t, c)
	us, eu := cloudRegionNamed(ctx, t, c, "us-east-1"), cloudRegionNamed(ctx, t, c, "eu-central-1")

	// Bad settings.
	const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	for name, spec := range map[string]vbawsapi.AmazonConnectionSpec{
		"neither a role nor keys": {RegionID: us.ID},
		"a role and keys":         {RegionID: us.ID, AmazonAccountID: to.Ptr(role.ID), AccessKey: to.Ptr("AKIAIOSFODNN7EXAMPLE"), SecretKey: to.Ptr(secret)},
		"an access key alone":     {RegionID: us.ID, AccessKey: to.Ptr("AKIAIOSFODNN7EXAMPLE")},
	} {
		_, err := ac.Add(ctx, spec)
		require.ErrorIs(t, err, apierr.ErrBadRequest, name)
		assert.NotContains(t, err.Error(), secret, name)
	}
	_, err := ac.Add(ctx, vbawsapi.AmazonConnectionSpec{RegionID: us.ID, AmazonAccountID: to.Ptr(uuid.New())})
	assert.ErrorIs(t, err, apierr.ErrNotFound, "an unknown IAM role")
	_, err = ac.Add(ctx, vbawsapi.AmazonConnectionSpec{RegionID: uuid.New(), AccessKey: to.Ptr("AKIAIOSFODNN7EXAMPLE"), SecretKey: to.Ptr(secret)})
	require.ErrorIs(t, err, apierr.ErrNotFound, "an unknown region")
	assert.NotContains(t, err.Error(), secret)
	empty, err := ac.List(ctx)
	require.NoError(t, err)
	assert.Zero(t, empty.TotalCount, "nothing was added")

	conn, err := ac.Add(ctx, vbawsapi.AmazonConnectionSpec{RegionID: us.ID, AmazonAccountID: to.Ptr(role.ID)})
	require.NoError(t, err)
	keyed, err := ac.Add(ctx, vbawsapi.AmazonConnectionSpec{RegionID: eu.ID, AccessKey: to.Ptr("AKIAIOSFODNN7EXAMPLE"), SecretKey: to.Ptr(secret)})
	require.NoError(t, err)
	conns := collect(t, ac.All(ctx))
	assert.ElementsMatch(t, []uuid.UUID{conn.ID, keyed.ID}, cloudPluck(conns, func(x vbawsapi.AmazonConnection) uuid.UUID { return x.ID }))
	got, err := ac.Get(ctx, conn.ID)
	require.NoError(t, err)
	assert.Equal(t, conn.ID, got.ID)

	// Each connection browses its own region.
	zones := collect(t, ac.AllAvailabilityZones(ctx, conn.ID))
	assert.Equal(t, []string{"us-east-1a", "us-east-1b", "us-east-1c"}, cloudPluck(zones, cloudRegionName))
	assert.Len(t, collect(t, ac.AllAvailabilityZones(ctx, keyed.ID)), 2)
	nets := collect(t, ac.AllNetworks(ctx, conn.ID, &vbaws.ListCloudNetworksOptions{Limit: 1}))
	require.Len(t, nets, 2)
	var prod vbawsapi.CloudNetwork
	for _, n := range nets {
		if !n.IsDefault {
			prod = n
		}
	}
	require.NotEmpty(t, prod.ResourceID)
	subnetName := func(s vbawsapi.CloudSubnetwork) string { return s.Name }
	all, err := ac.ListSubnets(ctx, conn.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, int32(6), all.TotalCount)
	inProd := collect(t, ac.AllSubnets(ctx, conn.ID, &vbaws.ListCloudSubnetworksOptions{CloudNetworkID: prod.ResourceID, Limit: 2}))
	assert.Equal(t, []string{"production-us-east-1a", "production-us-east-1b", "production-us-east-1c"}, cloudPluck(inProd, subnetName))
	inB, err := ac.ListSubnets(ctx, conn.ID, &vbaws.ListCloudSubnetworksOptions{AvailabilityZone: to.Ptr(zones[1].ID)})
	require.NoError(t, err)
	assert.Equal(t, []string{"default-us-east-1b", "production-us-east-1b"}, cloudPluck(inB.Results, subnetName))
	both, err := ac.ListSubnets(ctx, conn.ID, &vbaws.ListCloudSubnetworksOptions{AvailabilityZone: to.Ptr(zones[1].ID), CloudNetworkID: prod.ResourceID})
	require.NoError(t, err)
	require.Len(t, both.Results, 1)
	prodSubnet := both.Results[0]
	euZones := collect(t, ac.AllAvailabilityZones(ctx, keyed.ID))
	other, err := ac.ListSubnets(ctx, conn.ID, &vbaws.ListCloudSubnetworksOptions{AvailabilityZone: to.Ptr(euZones[0].ID)})
	require.NoError(t, err)
	assert.Zero(t, other.TotalCount, "a zone of another region")
	groups, err := ac.ListSecurityGroups(ctx, conn.ID, &vbaws.ListCloudSecurityGroupsOptions{CloudNetworkID: prod.ResourceID})
	require.NoError(t, err)
	assert.Equal(t, []string{"default", "veeam-workers"}, cloudPluck(groups.Results, func(g vbawsapi.CloudSecurityGroup) string { return g.Name }))
	assert.Len(t, collect(t, ac.AllSecurityGroups(ctx, conn.ID, &vbaws.ListCloudSecurityGroupsOptions{Limit: 1})), 3)
	keys := collect(t, ac.AllEncryptionKeys(ctx, keyed.ID, &vbaws.ListEncryptionKeysOptions{Limit: 1}))
	require.Len(t, keys, 2)
	for _, k := range keys {
		assert.True(t, strings.HasPrefix(k.Arn, "arn:aws:kms:eu-central-1:"), k.Arn)
	}

	// Only the production VPC has an S3 gateway endpoint.
	ok, err := ac.ValidateS3Endpoint(ctx, conn.ID, prodSubnet.ResourceID)
	require.NoError(t, err)
	assert.True(t, ok.IsValid, ok.Details)
	var defSubnet string
	for _, s := range all.Results {
		if s.CloudNetworkResourceID != prod.ResourceID {
			defSubnet = s.ResourceID
		}
	}
	notOK, err := ac.ValidateS3Endpoint(ctx, conn.ID, defSubnet)
	require.NoError(t, err)
	assert.False(t, notOK.IsValid)
	assert.Contains(t, notOK.Details, "no S3 gateway endpoint")
	_, err = ac.ValidateS3Endpoint(ctx, keyed.ID, prodSubnet.ResourceID)
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "a subnet of another region")

	// Bucket folders through a connection: its IAM role must reach the bucket.
	var usBucket vbawsapi.Bucket
	for b, err := range c.Buckets.All(ctx, &vbaws.ListBucketsOptions{SearchPattern: "*-us"}) {
		require.NoError(t, err)
		usBucket = b
	}
	folders, err := ac.ListBucketFolders(ctx, conn.ID, usBucket.ID, &vbaws.ListBucketFoldersOptions{Sort: []vbawsapi.BucketFoldersSortColumns{vbawsapi.BucketFoldersSortColumnsNameAsc}})
	require.NoError(t, err)
	assert.Equal(t, []string{"ec2-backups", "efs-backups", "rds-backups"}, cloudPluck(folders.Results, func(f vbawsapi.BucketFolder) string { return f.Name }))
	assert.Len(t, collect(t, ac.AllBucketFolders(ctx, keyed.ID, usBucket.ID, &vbaws.ListBucketFoldersOptions{Limit: 2})), 3, "access keys reach every bucket")
	fresh, err := c.IAMRoles.Add(ctx, vbawsapi.AmazonAccountCreateSpec{Name: "Not rescanned", IAMRole: &vbawsapi.AmazonAccountIAMRoleCreateSpec{RoleName: "VeeamFresh"}})
	require.NoError(t, err)
	freshConn, err := ac.Add(ctx, vbawsapi.AmazonConnectionSpec{RegionID: us.ID, AmazonAccountID: to.Ptr(fresh.ID)})
	require.NoError(t, err)
	_, err = ac.ListBucketFolders(ctx, freshConn.ID, usBucket.ID, nil)
	assert.ErrorIs(t, err, apierr.ErrNotFound, "a role not known to reach the bucket")

	// A removed connection is gone, with everything it browsed.
	require.NoError(t, ac.Delete(ctx, conn.ID))
	_, err = ac.Get(ctx, conn.ID)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = ac.ListNetworks(ctx, conn.ID, nil)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = ac.ListAvailabilityZones(ctx, conn.ID)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = ac.ValidateS3Endpoint(ctx, conn.ID, prodSubnet.ResourceID)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = ac.ListBucketFolders(ctx, conn.ID, usBucket.ID, nil)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	assert.ErrorIs(t, ac.Delete(ctx, conn.ID), apierr.ErrNotFound)
	left, err := ac.List(ctx)
	require.NoError(t, err)
	assert.Equal(t, int32(2), left.TotalCount)
	assert.NotContains(t, cloudPluck(left.Results, func(x vbawsapi.AmazonConnection) uuid.UUID { return x.ID }), conn.ID)
}
