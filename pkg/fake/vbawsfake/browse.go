package vbawsfake

import (
	"net/http"
	"strings"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// The collections the REST API changelogs name without a page that shows
// their answers: what an Amazon connection offers for restoring RDS
// resources (DB subnet groups, VPC security groups, license models, DB
// instance classes), the route tables of its VPCs, and the AWS Backup vaults
// that can store EFS backups. Each is worked out of the seeded AWS Regions,
// so it follows the connection (a removed connection answers 404) and the
// region it was made for.

// applianceAwsAccountID is the AWS account the appliance runs in, that of
// its default IAM role; the EC2 restore points are stored there.
const applianceAwsAccountID = "111122223333"

// rdsLicenseModels are the license models RDS offers in every region.
var rdsLicenseModels = []string{"license-included", "bring-your-own-license", "general-public-license"}

func (f *Fake) browseHandlers() map[string]fake.HandlerFunc {
	return map[string]fake.HandlerFunc{
		"BrowseRdsSubnetGroups":    browse(f, regionDBSubnetGroups),
		"BrowseRdsSecurityGroups":  browse(f, regionGroups),
		"BrowseRdsLicenses":        browse(f, regionLicenses),
		"BrowseRdsInstanceClasses": browse(f, regionInstanceClasses),
		"BrowseCloudRouteTables":   browse(f, regionRouteTables),
		"BackupVaultsGetAll":       f.listBackupVaults,
	}
}

// regionDBSubnetGroups is a DB subnet group for each VPC of the region,
// named after the VPC.
func regionDBSubnetGroups(_ *http.Request, rg *cloudRegion) []vbawsapi.RdsSubnetGroup {
	out := []vbawsapi.RdsSubnetGroup{}
	for _, v := range rg.vpcs {
		out = append(out, vbawsapi.RdsSubnetGroup{Name: to.Value(v.net.Name) + "-db-subnets", CloudNetworkResourceID: to.Ptr(v.net.ResourceID)})
	}
	return out
}

func regionLicenses(_ *http.Request, _ *cloudRegion) []vbawsapi.RdsLicense {
	out := []vbawsapi.RdsLicense{}
	for _, m := range rdsLicenseModels {
		out = append(out, vbawsapi.RdsLicense{Name: m})
	}
	return out
}

// regionInstanceClasses are the DB instance classes of the instance types
// the region offers (db.<type>).
func regionInstanceClasses(_ *http.Request, rg *cloudRegion) []vbawsapi.RdsInstanceClass {
	out := []vbawsapi.RdsInstanceClass{}
	for _, t := range rg.types {
		out = append(out, vbawsapi.RdsInstanceClass{Name: "db." + t.Name})
	}
	return out
}

// regionRouteTables is the main route table of each VPC of the region.
func regionRouteTables(_ *http.Request, rg *cloudRegion) []vbawsapi.CloudRouteTable {
	out := []vbawsapi.CloudRouteTable{}
	for _, v := range rg.vpcs {
		out = append(out, vbawsapi.CloudRouteTable{ResourceID: "rtb-" + strings.TrimPrefix(v.net.ResourceID, "vpc-"),
			CloudNetworkResourceID: v.net.ResourceID, Name: to.Ptr(to.Value(v.net.Name) + "-main")})
	}
	return out
}

// listBackupVaults lists the Default backup vault of every AWS Region the
// appliance knows, in the appliance's account, and the vault for EFS
// backups the first region also has.
func (f *Fake) listBackupVaults(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	f.cloud.mu.Lock()
	regions := f.cloud.regions.list(nil)
	f.cloud.mu.Unlock()
	all := []vbawsapi.BackupVault{}
	for i, rg := range regions {
		names := []string{"Default"}
		if i == 0 {
			names = append(names, "veeam-efs-backups")
		}
		for _, n := range names {
			all = append(all, vbawsapi.BackupVault{Name: n, RegionID: to.Ptr(rg.region.ID),
				Arn: "arn:aws:backup:" + rg.region.Name + ":" + applianceAwsAccountID + ":backup-vault:" + n})
		}
	}
	writeTypedPage(w, r, all, "Offset", "Limit")
}
