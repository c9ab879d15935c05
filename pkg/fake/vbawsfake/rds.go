package vbawsfake

import (
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
)

// The RDS workload: backup policies (/rds/policies), RDS resources (/rds)
// and restore points (/rds/restorePoints).

// pointOf makes the restore point a backup of res creates, for the
// workloads whose restore points share their shape (RDS, EFS, DynamoDB).
func pointOf(resKey string, jobType vbawsapi.RestorePointJobTypes, extra ...string) func(doc, uuid.UUID, time.Time) doc {
	return func(res doc, policyID uuid.UUID, at time.Time) doc {
		rid, _ := resourceRegion(res)
		pt := doc{"id": uuid.NewString(), resKey: str(res, "id"), "policyId": policyID.String(), "jobType": string(jobType),
			"creationTimeUtc": at.Format(time.RFC3339Nano), "backupSizeBytes": num(res["sizeBytes"]),
			"restorePointAwsAccountId": str(res, "resourceAwsAccountId"), "regionId": rid}
		for _, k := range extra {
			pt[k] = res[k]
		}
		return pt
	}
}

func newRDS(f *Fake) *workload {
	return newWorkload(f, "RDS", "RdsId", "rdsId", "rdsIds", "creationTimeUtc", pointOf("rdsId", vbawsapi.RestorePointJobTypesSnapshot, "engine"))
}

func (wl *workload) rdsHandlers() map[string]fake.HandlerFunc {
	m := wl.handlers(workloadOps{list: "RdsPoliciesGetAll", create: "CreateRdsPolicy", get: "RdsPoliciesGetOneById", update: "UpdateRdsPolicy",
		delete: "DeleteRdsPolicy", start: "StartRdsPolicy", stop: "StopRdsPolicy", enable: "EnableRdsPolicy", disable: "DisableRdsPolicy",
		resList: "RdsGetAll", resGet: "RdsGetOneById", rpList: "RdsRestorePointsGetAll", rpGet: "RdsRestorePointsGetOneById"})
	name := func(body doc) string {
		if body["toOriginal"] == true {
			return ""
		}
		return str(body, "name")
	}
	m["RestoreRds"] = wl.restore(func(body, _ doc) []string { return []string{name(body)} })
	m["ValidateRestoreRds"] = wl.validate(name)
	return m
}

func (wl *workload) seedRDS() {
	orders := uuid.NewString()
	wl.addResource(doc{"id": orders, "name": "orders-db", "awsResourceId": "db-ORDERS0000000001", "resourceAwsAccountId": "123456789012",
		"region": location(regionUSEast1), "engine": "postgres", "instanceClass": "db.t3.medium", "sizeBytes": 20 << 30})
	wl.addResource(doc{"id": uuid.NewString(), "name": "billing-db", "awsResourceId": "db-BILLING000000001", "resourceAwsAccountId": "123456789012",
		"region": location(regionUSEast1), "engine": "aurora-mysql", "instanceClass": "db.r6g.large", "sizeBytes": 50 << 30})
	wl.addResource(doc{"id": uuid.NewString(), "name": "reports-db", "awsResourceId": "db-REPORTS000000001", "resourceAwsAccountId": "210987654321",
		"region": location(regionEUWest1), "engine": "mysql", "instanceClass": "db.t3.small", "sizeBytes": 5 << 30})
	wl.seedPolicy(doc{"name": "Order databases", "description": "Snapshots of the order database", "backupType": "SelectedItems",
		"regionIds": []any{regionUSEast1.id.String()}, "selectedItems": doc{"rdsIds": []any{orders}}})
}
