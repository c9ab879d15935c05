package vbawsfake

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// cloud is the AWS side the appliance sees: the AWS Regions with their
// Availability Zones, instance types, VPCs, subnets, security groups and
// KMS keys; the AWS tags; the Amazon S3 buckets with their folders and the
// IAM roles known to reach each; and the Amazon connections.
//
// It has its own lock, cloud.mu. A handler may take it while it holds f.mu,
// and a session's onEnd takes it with the session log locked; nothing holds
// cloud.mu while it takes another lock.
type cloud struct {
	mu      sync.Mutex
	regions *store[cloudRegion]
	tags    *store[vbawsapi.Tag]
	buckets *store[cloudBucket]
	conns   *store[cloudConn]
}

type cloudRegion struct {
	region  vbawsapi.Region
	zones   []vbawsapi.Region
	types   []vbawsapi.AmazonInstanceType
	vpcs    []cloudVPC
	subnets []vbawsapi.CloudSubnetwork
	groups  []vbawsapi.CloudSecurityGroup
	keys    []vbawsapi.CloudEncryptionKey
}

type cloudVPC struct {
	net vbawsapi.CloudNetwork
	// s3Endpoint: the VPC has an S3 gateway endpoint, so its subnets reach
	// Amazon S3 (what ValidateS3Endpoint checks).
	s3Endpoint bool
}

type cloudBucket struct {
	bucket  vbawsapi.Bucket
	folders []vbawsapi.BucketFolder
	// roles are the IAM roles a rescan found to have permissions to the
	// bucket. A bucket no role is known to reach is not listed.
	roles map[uuid.UUID]bool
}

type cloudConn struct {
	conn   vbawsapi.AmazonConnection
	region uuid.UUID
	role   uuid.UUID // uuid.Nil for a connection made with access keys
}

// seedRegion describes a seeded AWS Region: its zone letters and instance
// types.
type seedRegion struct {
	name  string
	zones string
	types []vbawsapi.AmazonInstanceType
}

func instanceType(name string, cpus, ramMiB int32, arm bool, virt ...string) vbawsapi.AmazonInstanceType {
	return vbawsapi.AmazonInstanceType{Name: name, CPUCount: cpus, RAM: ramMiB, IsArm64: to.Ptr(arm), VirtualizationType: virt}
}

// newCloud seeds three AWS Regions with their networks and keys, five tags,
// and three buckets: two that role (the appliance's default IAM role) is
// known to reach, and one that no role is known to reach until a rescan.
func newCloud(role uuid.UUID) *cloud {
	c := &cloud{regions: newStore[cloudRegion](), tags: newStore[vbawsapi.Tag](), buckets: newStore[cloudBucket](), conns: newStore[cloudConn]()}
	seeds := []seedRegion{
		{"us-east-1", "abc", []vbawsapi.AmazonInstanceType{
			instanceType("t3.micro", 2, 1024, false, "hvm"), instanceType("c5.large", 2, 4096, false, "hvm"),
			instanceType("m6g.large", 2, 8192, true, "hvm"), instanceType("m1.small", 1, 1740, false, "hvm", "paravirtual"),
		}},
		{"eu-central-1", "ab", []vbawsapi.AmazonInstanceType{instanceType("t3.micro", 2, 1024, false, "hvm"), instanceType("c6g.large", 2, 4096, true, "hvm")}},
		{"ap-southeast-2", "abc", []vbawsapi.AmazonInstanceType{instanceType("t3.micro", 2, 1024, false, "hvm")}},
	}
	regionIDs := map[string]uuid.UUID{}
	for i, s := range seeds {
		rg := newRegion(i, s)
		regionIDs[s.name] = rg.region.ID
		c.regions.put(rg.region.ID, rg)
	}
	for _, kv := range [][2]string{{"Name", "web-server-01"}, {"Environment", "production"}, {"Environment", "development"}, {"Owner", "backup-team"}, {"CostCenter", "1234"}} {
		id := uuid.New()
		c.tags.put(id, vbawsapi.Tag{ID: id, Key: kv[0], Value: kv[1], Links: selfLink("/api/v1/cloudInfrastructure/tags/" + id.String())})
	}
	for _, b := range []struct {
		name, region string
		folders      []string
		known        bool
	}{
		{"veeam-backups-us", "us-east-1", []string{"ec2-backups", "rds-backups", "efs-backups"}, true},
		{"veeam-archive-eu", "eu-central-1", []string{"archive"}, true},
		{"veeam-logs-ap", "ap-southeast-2", []string{"appliance-logs", "config-backups"}, false},
	} {
		id := uuid.New()
		cb := cloudBucket{roles: map[uuid.UUID]bool{}, bucket: vbawsapi.Bucket{ID: id, Name: b.name,
			Location: vbawsapi.BucketLocation{ID: regionIDs[b.region], Name: b.region}, Links: selfLink("/api/v1/cloudInfrastructure/buckets/" + id.String())}}
		for _, n := range b.folders {
			cb.folders = append(cb.folders, vbawsapi.BucketFolder{Name: n, FolderID: uuid.New()})
		}
		if b.known {
			cb.roles[role] = true
		}
		c.buckets.put(id, cb)
	}
	return c
}

// newRegion builds the i-th seeded region: its zones, a default VPC and a
// production VPC (the one with an S3 gateway endpoint), a subnet of each
// VPC in every zone, their security groups and two KMS keys.
func newRegion(i int, s seedRegion) cloudRegion {
	id := uuid.New()
	rg := cloudRegion{region: vbawsapi.Region{ID: id, Name: s.name, Links: selfLink("/api/v1/cloudInfrastructure/regions/" + id.String())}, types: s.types}
	for _, z := range s.zones {
		zid := uuid.New()
		rg.zones = append(rg.zones, vbawsapi.Region{ID: zid, Name: s.name + string(z)})
	}
	def := cloudVPC{net: vbawsapi.CloudNetwork{ResourceID: fmt.Sprintf("vpc-0%02d0def", i), Name: to.Ptr("default"), CidrBlock: "172.31.0.0/16",
		State: vbawsapi.CloudNetworkStatesAvailable, IsDefault: true}}
	prod := cloudVPC{net: vbawsapi.CloudNetwork{ResourceID: fmt.Sprintf("vpc-0%02d0a1b", i), Name: to.Ptr("production"), CidrBlock: "10.0.0.0/16",
		State: vbawsapi.CloudNetworkStatesAvailable}, s3Endpoint: true}
	rg.vpcs = []cloudVPC{def, prod}
	for k, z := range rg.zones {
		rg.subnets = append(rg.subnets,
			vbawsapi.CloudSubnetwork{ResourceID: fmt.Sprintf("subnet-0%02d%d0def", i, k), Name: "default-" + z.Name, CloudNetworkResourceID: def.net.ResourceID,
				CidrBlock: fmt.Sprintf("172.31.%d.0/20", k*16), AvailabilityZone: to.Ptr(z.Name)},
			vbawsapi.CloudSubnetwork{ResourceID: fmt.Sprintf("subnet-0%02d%d0a1b", i, k), Name: "production-" + z.Name, CloudNetworkResourceID: prod.net.ResourceID,
				CidrBlock: fmt.Sprintf("10.0.%d.0/24", k+1), AvailabilityZone: to.Ptr(z.Name)})
	}
	rg.groups = []vbawsapi.CloudSecurityGroup{
		{ResourceID: fmt.Sprintf("sg-0%02d0def", i), CloudNetworkResourceID: def.net.ResourceID, Name: "default"},
		{ResourceID: fmt.Sprintf("sg-0%02d0a1b", i), CloudNetworkResourceID: prod.net.ResourceID, Name: "default"},
		{ResourceID: fmt.Sprintf("sg-0%02d1a1b", i), CloudNetworkResourceID: prod.net.ResourceID, Name: "veeam-workers"},
	}
	for _, k := range []string{"aws/ebs", "veeam-backup"} {
		rg.keys = append(rg.keys, vbawsapi.CloudEncryptionKey{Arn: "arn:aws:kms:" + s.name + ":111122223333:alias/" + k, Name: k})
	}
	return rg
}

func selfLink(href string) []vbawsapi.Link {
	return []vbawsapi.Link{{Rel: "self", Href: href, Method: vbawsapi.LinkMethodGET}}
}

func (f *Fake) cloudHandlers() map[string]fake.HandlerFunc {
	return map[string]fake.HandlerFunc{
		"GetAllAmazonConnections":   f.listConns,
		"CreateAmazonConnection":    withBody(f, f.addConn),
		"GetAmazonConnectionById":   f.getConn,
		"DeleteAmazonConnection":    f.deleteConn,
		"BrowseAvailabilityZones":   f.connZones,
		"BrowseEncryptionKeys":      browse(f, regionKeys),
		"BrowseCloudNetworks":       browse(f, regionNetworks),
		"BrowseCloudSubnetworks":    browse(f, regionSubnets),
		"BrowseCloudSecurityGroups": browse(f, regionGroups),
		"ValidateS3Endpoint":        f.validateS3Endpoint,
		"BrowseBucketFolders":       f.connBucketFolders,

		"Buckets":          f.listBuckets,
		"BucketById":       f.getBucket,
		"RescanBucket":     f.rescanBuckets,
		"GetBucketFolders": f.listBucketFolders,
		"GetBucketFolder":  f.getBucketFolder,

		"GetAllRegions":             f.listRegions,
		"GetRegionById":             f.getRegion,
		"GetInnerRegions":           f.listZones,
		"GetInstancesTypesByRegion": f.listInstanceTypes,

		"Tags": f.listTags,
		"Tag":  f.getTag,
	}
}

// ---- Amazon connections

func (f *Fake) listConns(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	f.cloud.mu.Lock()
	all := f.cloud.conns.list(nil)
	f.cloud.mu.Unlock()
	page := vbawsapi.AmazonConnectionsPage{Results: []vbawsapi.AmazonConnection{}, TotalCount: int32(len(all))} //nolint:gosec // small
	for _, c := range all {
		page.Results = append(page.Results, c.conn)
	}
	veeamfake.WriteJSON(w, http.StatusOK, page)
}

// addConn adds a connection to a known AWS Region, made with an IAM role the
// appliance has or with a pair of access keys (never both). It keeps
// neither key. The caller holds f.mu.
func (f *Fake) addConn(w http.ResponseWriter, r *http.Request, _ *fake.Input, spec vbawsapi.AmazonConnectionSpec) {
	keys := spec.AccessKey != nil || spec.SecretKey != nil
	switch {
	case (spec.AmazonAccountID != nil) == keys:
		badRequest(w, r, "give either AmazonAccountId or accessKey and secretKey")
		return
	case keys && (to.Value(spec.AccessKey) == "" || to.Value(spec.SecretKey) == ""):
		badRequest(w, r, "accessKey and secretKey go together")
		return
	}
	role := uuid.Nil
	if spec.AmazonAccountID != nil {
		role = *spec.AmazonAccountID
		if _, ok := f.infra.roles.get(role); !ok {
			f.notFound(w, r, "the IAM role "+role.String())
			return
		}
	}
	f.cloud.mu.Lock()
	defer f.cloud.mu.Unlock()
	if _, ok := f.cloud.regions.get(spec.RegionID); !ok {
		f.notFound(w, r, "the AWS Region "+spec.RegionID.String())
		return
	}
	id := uuid.New()
	base := "/api/v1/amazonConnections/" + id.String()
	conn := vbawsapi.AmazonConnection{ID: id, Links: []vbawsapi.Link{
		{Rel: "self", Href: base, Method: vbawsapi.LinkMethodGET},
		{Rel: "delete", Href: base, Method: vbawsapi.LinkMethodDELETE},
		{Rel: "CloudNetworks", Href: base + "/cloudNetworks", Method: vbawsapi.LinkMethodGET},
		{Rel: "CloudSubnetworks", Href: base + "/cloudSubnetworks", Method: vbawsapi.LinkMethodGET},
		{Rel: "CloudSecurityGroups", Href: base + "/cloudSecurityGroups", Method: vbawsapi.LinkMethodGET},
		{Rel: "AvailabilityZones", Href: base + "/availabilityZones", Method: vbawsapi.LinkMethodGET},
		{Rel: "CloudEncryptionKeys", Href: base + "/cloudEncryptionKeys", Method: vbawsapi.LinkMethodGET},
	}}
	f.cloud.conns.put(id, cloudConn{conn: conn, region: spec.RegionID, role: role})
	veeamfake.WriteJSON(w, http.StatusCreated, conn)
}

// connRegion looks up the connection of the path and its region, answering
// 400 or 404 itself. The caller holds f.cloud.mu.
func (f *Fake) connRegion(w http.ResponseWriter, r *http.Request, in *fake.Input) (*cloudConn, *cloudRegion, bool) {
	c, _, ok := byPath(f, w, r, in, f.cloud.conns, "amazonConnectionId", "the Amazon connection")
	if !ok {
		return nil, nil, false
	}
	rg, _ := f.cloud.regions.get(c.region)
	return c, rg, true
}

func (f *Fake) getConn(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.cloud.mu.Lock()
	defer f.cloud.mu.Unlock()
	if c, _, ok := f.connRegion(w, r, in); ok {
		veeamfake.WriteJSON(w, http.StatusOK, c.conn)
	}
}

func (f *Fake) deleteConn(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.cloud.mu.Lock()
	defer f.cloud.mu.Unlock()
	if c, _, ok := f.connRegion(w, r, in); ok {
		f.cloud.conns.remove(c.conn.ID)
		w.WriteHeader(http.StatusNoContent)
	}
}

// browse answers a page of what pick takes from the region of the
// connection of the path.
func browse[T any](f *Fake, pick func(r *http.Request, rg *cloudRegion) []T) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		f.cloud.mu.Lock()
		_, rg, ok := f.connRegion(w, r, in)
		var all []T
		if ok {
			all = pick(r, rg)
		}
		f.cloud.mu.Unlock()
		if ok {
			writeTypedPage(w, r, all, "Offset", "Limit")
		}
	}
}

func (f *Fake) connZones(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.cloud.mu.Lock()
	defer f.cloud.mu.Unlock()
	if _, rg, ok := f.connRegion(w, r, in); ok {
		veeamfake.WriteJSON(w, http.StatusOK, vbawsapi.RegionsPage{Results: slices.Clone(rg.zones), TotalCount: int32(len(rg.zones))}) //nolint:gosec // small
	}
}

func regionKeys(_ *http.Request, rg *cloudRegion) []vbawsapi.CloudEncryptionKey {
	return slices.Clone(rg.keys)
}

func regionNetworks(_ *http.Request, rg *cloudRegion) []vbawsapi.CloudNetwork {
	out := []vbawsapi.CloudNetwork{}
	for _, v := range rg.vpcs {
		out = append(out, v.net)
	}
	return out
}

// regionSubnets filters by VPC (cloudNetworkId) and by Availability Zone
// (availabilityZone, the zone's system ID; a subnet names its zone). A zone
// the region does not have has no subnets there.
func regionSubnets(r *http.Request, rg *cloudRegion) []vbawsapi.CloudSubnetwork {
	q := r.URL.Query()
	vpc, zoneID := q.Get("cloudNetworkId"), q.Get("availabilityZone")
	zone := ""
	for _, z := range rg.zones {
		if strings.EqualFold(z.ID.String(), zoneID) {
			zone = z.Name
		}
	}
	out := []vbawsapi.CloudSubnetwork{}
	for _, s := range rg.subnets {
		if (vpc == "" || s.CloudNetworkResourceID == vpc) && (zoneID == "" || to.Value(s.AvailabilityZone) == zone) {
			out = append(out, s)
		}
	}
	return out
}

func regionGroups(r *http.Request, rg *cloudRegion) []vbawsapi.CloudSecurityGroup {
	vpc := r.URL.Query().Get("cloudNetworkId")
	out := []vbawsapi.CloudSecurityGroup{}
	for _, g := range rg.groups {
		if vpc == "" || g.CloudNetworkResourceID == vpc {
			out = append(out, g)
		}
	}
	return out
}

// validateS3Endpoint answers whether the subnet's VPC has an S3 gateway
// endpoint; a subnet the connection's region does not have is a bad request.
func (f *Fake) validateS3Endpoint(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.cloud.mu.Lock()
	defer f.cloud.mu.Unlock()
	_, rg, ok := f.connRegion(w, r, in)
	if !ok {
		return
	}
	subnet := r.URL.Query().Get("subnetId")
	for _, s := range rg.subnets {
		if s.ResourceID != subnet {
			continue
		}
		for _, v := range rg.vpcs {
			if v.net.ResourceID != s.CloudNetworkResourceID {
				continue
			}
			res := vbawsapi.CloudSubnetS3EndpointValidationResult{IsValid: v.s3Endpoint, Details: "The VPC " + v.net.ResourceID + " of the subnet has an S3 gateway endpoint."}
			if !v.s3Endpoint {
				res.Details = "The VPC " + v.net.ResourceID + " of the subnet has no S3 gateway endpoint."
			}
			veeamfake.WriteJSON(w, http.StatusOK, res)
			return
		}
	}
	badRequest(w, r, "the subnet "+subnet+" is not in the AWS Region of the connection")
}

// connBucketFolders lists the folders of a bucket the connection reaches: a
// connection made with access keys reaches every listed bucket, one made
// with an IAM role those the role is known to reach.
func (f *Fake) connBucketFolders(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.cloud.mu.Lock()
	c, _, ok := f.connRegion(w, r, in)
	var b *cloudBucket
	if ok {
		b, ok = f.bucketByPath(w, r, in)
	}
	if ok && c.role != uuid.Nil && !b.roles[c.role] {
		f.notFound(w, r, "the bucket "+b.bucket.ID.String()+" through this connection")
		ok = false
	}
	var all []vbawsapi.BucketFolder
	if ok {
		all = slices.Clone(b.folders)
	}
	f.cloud.mu.Unlock()
	if ok {
		writeFolders(w, r, all)
	}
}

// ---- Amazon S3 buckets

// bucketByPath looks up a listed bucket (one that some IAM role is known to
// reach), answering 400 or 404 itself. The caller holds f.cloud.mu.
func (f *Fake) bucketByPath(w http.ResponseWriter, r *http.Request, in *fake.Input) (*cloudBucket, bool) {
	b, id, ok := byPath(f, w, r, in, f.cloud.buckets, "bucketId", "the Amazon S3 bucket")
	if ok && len(b.roles) == 0 {
		f.notFound(w, r, "the Amazon S3 bucket "+id.String())
		return nil, false
	}
	return b, ok
}

// roleExists reports whether the appliance has the IAM role.
func (f *Fake) roleExists(id uuid.UUID) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.infra.roles.get(id)
	return ok
}

func (f *Fake) listBuckets(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	q := r.URL.Query()
	role := uuid.Nil
	if s := q.Get("IAMRoleId"); s != "" {
		id, err := uuid.Parse(s)
		if err != nil {
			badRequest(w, r, "IAMRoleId is not a UUID")
			return
		}
		if !f.roleExists(id) {
			f.notFound(w, r, "the IAM role "+id.String())
			return
		}
		role = id
	}
	f.cloud.mu.Lock()
	all := []vbawsapi.Bucket{}
	for _, b := range f.cloud.buckets.list(nil) {
		if len(b.roles) > 0 && (role == uuid.Nil || b.roles[role]) && matches(b.bucket.Name, q.Get("SearchPattern")) {
			all = append(all, b.bucket)
		}
	}
	f.cloud.mu.Unlock()
	for _, s := range q["Sort"] {
		sortBy(all, func(b vbawsapi.Bucket) string { return b.Name }, s == "nameDesc")
	}
	writeTypedPage(w, r, all, "Offset", "Limit")
}

func (f *Fake) getBucket(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.cloud.mu.Lock()
	defer f.cloud.mu.Unlock()
	if b, ok := f.bucketByPath(w, r, in); ok {
		veeamfake.WriteJSON(w, http.StatusOK, b.bucket)
	}
}

// rescanBuckets starts a rescan session for an IAM role: when it succeeds,
// the role is known to reach every bucket of the fake's AWS, so a bucket no
// role reached before is listed from then on.
func (f *Fake) rescanBuckets(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	id, ok := f.pathID(w, r, in, "amazonAccountId")
	if !ok {
		return
	}
	if !f.roleExists(id) {
		f.notFound(w, r, "the IAM role "+id.String())
		return
	}
	link := f.log.startWith("BucketsRescan", sessionOpts{onEnd: func(_ uuid.UUID, status vbawsapi.SessionStatus) {
		if status != vbawsapi.SessionStatusSucceeded {
			return
		}
		f.cloud.mu.Lock()
		defer f.cloud.mu.Unlock()
		for _, b := range f.cloud.buckets.byID {
			b.roles[id] = true
		}
	}})
	veeamfake.WriteJSON(w, http.StatusAccepted, link)
}

func (f *Fake) listBucketFolders(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.cloud.mu.Lock()
	b, ok := f.bucketByPath(w, r, in)
	var all []vbawsapi.BucketFolder
	if ok {
		all = slices.Clone(b.folders)
	}
	f.cloud.mu.Unlock()
	if ok {
		writeFolders(w, r, all)
	}
}

// writeFolders answers a page of folders in the order Sort asks for
// (NameAsc, NameDesc).
func writeFolders(w http.ResponseWriter, r *http.Request, all []vbawsapi.BucketFolder) {
	for _, s := range r.URL.Query()["Sort"] {
		sortBy(all, func(x vbawsapi.BucketFolder) string { return x.Name }, s == "NameDesc")
	}
	writeTypedPage(w, r, all, "Offset", "Limit")
}

func (f *Fake) getBucketFolder(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.cloud.mu.Lock()
	defer f.cloud.mu.Unlock()
	b, ok := f.bucketByPath(w, r, in)
	if !ok {
		return
	}
	name := in.PathParams["folderName"]
	for _, x := range b.folders {
		if x.Name == name {
			veeamfake.WriteJSON(w, http.StatusOK, x)
			return
		}
	}
	f.notFound(w, r, "the folder "+name+" of the bucket "+b.bucket.Name)
}

// ---- AWS Regions

// sortRegions orders regions or zones by name as Sort asks (nameAsc, and
// the vendor's nameDesk).
func sortRegions(r *http.Request, all []vbawsapi.Region) {
	for _, s := range r.URL.Query()["Sort"] {
		sortBy(all, func(x vbawsapi.Region) string { return x.Name }, s == string(vbawsapi.RegionsSortColumnsNameDesk))
	}
}

func (f *Fake) listRegions(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	pattern := r.URL.Query().Get("SearchPattern")
	f.cloud.mu.Lock()
	all := []vbawsapi.Region{}
	for _, rg := range f.cloud.regions.list(nil) {
		if matches(rg.region.Name, pattern) {
			all = append(all, rg.region)
		}
	}
	f.cloud.mu.Unlock()
	sortRegions(r, all)
	writeTypedPage(w, r, all, "Offset", "Limit")
}

func (f *Fake) getRegion(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.cloud.mu.Lock()
	defer f.cloud.mu.Unlock()
	if rg, _, ok := byPath(f, w, r, in, f.cloud.regions, "regionId", "the AWS Region"); ok {
		veeamfake.WriteJSON(w, http.StatusOK, rg.region)
	}
}

func (f *Fake) listZones(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	pattern := r.URL.Query().Get("SearchPattern")
	f.cloud.mu.Lock()
	rg, _, ok := byPath(f, w, r, in, f.cloud.regions, "regionId", "the AWS Region")
	all := []vbawsapi.Region{}
	if ok {
		for _, z := range rg.zones {
			if matches(z.Name, pattern) {
				all = append(all, z)
			}
		}
	}
	f.cloud.mu.Unlock()
	if ok {
		sortRegions(r, all)
		writeTypedPage(w, r, all, "Offset", "Limit")
	}
}

// listInstanceTypes filters by processor (isArm64) and by virtualization
// type (virtualizationTypes: a type supporting any of them).
func (f *Fake) listInstanceTypes(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	q := r.URL.Query()
	f.cloud.mu.Lock()
	rg, _, ok := byPath(f, w, r, in, f.cloud.regions, "regionId", "the AWS Region")
	all := []vbawsapi.AmazonInstanceType{}
	if ok {
		for _, t := range rg.types {
			arm := q.Get("isArm64")
			virt := q["virtualizationTypes"]
			if (arm == "" || arm == fmt.Sprint(to.Value(t.IsArm64))) && (len(virt) == 0 || slices.ContainsFunc(t.VirtualizationType, func(v string) bool { return slices.Contains(virt, v) })) {
				all = append(all, t)
			}
		}
	}
	f.cloud.mu.Unlock()
	if ok {
		writeTypedPage(w, r, all, "offset", "limit")
	}
}

// ---- AWS tags

func (f *Fake) listTags(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	q := r.URL.Query()
	f.cloud.mu.Lock()
	all := f.cloud.tags.list(func(t *vbawsapi.Tag) bool {
		return matches(t.Key, q.Get("SearchPattern")) || matches(t.Value, q.Get("SearchPattern"))
	})
	f.cloud.mu.Unlock()
	for _, s := range q["Sort"] {
		sortBy(all, func(t vbawsapi.Tag) string { return t.Key }, s == string(vbawsapi.TagsSortColumnsKeyDesc))
	}
	writeTypedPage(w, r, all, "Offset", "Limit")
}

func (f *Fake) getTag(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.cloud.mu.Lock()
	defer f.cloud.mu.Unlock()
	if t, _, ok := byPath(f, w, r, in, f.cloud.tags, "tagId", "the AWS tag"); ok {
		veeamfake.WriteJSON(w, http.StatusOK, t)
	}
}
