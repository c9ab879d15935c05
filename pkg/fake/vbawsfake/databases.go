package vbawsfake

import (
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
)

// The RDS, EFS and DynamoDB workloads: backup policies (/rds/policies,
// /efs/policies, /dynamoDb/policies), resources (/rds, /efs, /dynamoDb)
// and restore points (/rds/restorePoints, ...). Their operations are named
// after them (RdsPoliciesGetAll, RestoreEfs, ...), so one table serves the
// three; EFS adds file-level restore.

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
	return newWorkload(f, "RDS", "RdsId", "rdsId", "rdsIds", classic, pointOf("rdsId", vbawsapi.RestorePointJobTypesSnapshot, "engine"))
}

func newEFS(f *Fake) *workload {
	return newWorkload(f, "EFS", "EfsId", "efsId", "efsIds", classic, pointOf("efsId", vbawsapi.RestorePointJobTypesBackup))
}

func newDynamoDB(f *Fake) *workload {
	return newWorkload(f, "DynamoDB", "DynamoDbId", "dynamoDbId", "dynamoDbIds", classic, pointOf("dynamoDbId", vbawsapi.RestorePointJobTypesBackup))
}

// namedHandlers serves the operations of a workload named after n (Rds,
// Efs, DynamoDb), with the restore and its validation.
func (wl *workload) namedHandlers(n, nameKey string) map[string]fake.HandlerFunc {
	m := wl.handlers(namedOps(n))
	m["Restore"+n] = wl.restore(restoreRules{target: restoredName(nameKey)})
	m["ValidateRestore"+n] = wl.validate(func(body doc) string { return restoredName(nameKey)(body, nil)[0] })
	return m
}

// restoredName is the target of a restore whose body names a new resource
// in nameKey, unless it restores toOriginal.
func restoredName(nameKey string) func(body, pt doc) []string {
	return func(body, _ doc) []string {
		if body["toOriginal"] == true {
			return []string{""}
		}
		return []string{str(body, nameKey)}
	}
}

func (wl *workload) efsHandlers() map[string]fake.HandlerFunc {
	m := wl.namedHandlers("Efs", "name")
	m["RestoreEfsFiles"] = wl.restore(restoreRules{target: func(body, _ doc) []string { return strs(body, "paths") }})
	m["StartEfsFlr"] = wl.startFlr
	return m
}

func (wl *workload) seedRDS() {
	orders := uuid.NewString()
	wl.addResource(doc{"id": orders, "name": "orders-db", "awsResourceId": "db-ORDERS0000000001", "resourceAwsAccountId": "123456789012",
		"region": location(regionUSEast1), "engine": "postgres", "instanceType": "db.t3.medium", "sizeBytes": 20 << 30})
	wl.addResource(doc{"id": uuid.NewString(), "name": "billing-db", "awsResourceId": "db-BILLING000000001", "resourceAwsAccountId": "123456789012",
		"region": location(regionUSEast1), "engine": "aurora-mysql", "instanceType": "db.r6g.large", "sizeBytes": 50 << 30})
	wl.addResource(doc{"id": uuid.NewString(), "name": "reports-db", "awsResourceId": "db-REPORTS000000001", "resourceAwsAccountId": "210987654321",
		"region": location(regionEUWest1), "engine": "mysql", "instanceType": "db.t3.small", "sizeBytes": 5 << 30})
	wl.seedPolicy(doc{"name": "Order databases", "description": "Snapshots of the order database", "backupType": "SelectedItems",
		"regionIds": []any{regionUSEast1.id.String()}, "selectedItems": doc{"rdsIds": []any{orders}}})
}

func (wl *workload) seedEFS() {
	wl.addResource(doc{"id": uuid.NewString(), "name": "shared", "awsResourceId": "fs-0a1b2c3d0001", "resourceAwsAccountId": "123456789012",
		"region": location(regionUSEast1), "sizeBytes": 5 << 30})
	wl.addResource(doc{"id": uuid.NewString(), "name": "home", "awsResourceId": "fs-0a1b2c3d0002", "resourceAwsAccountId": "123456789012",
		"region": location(regionUSEast1), "sizeBytes": 12 << 30})
	wl.seedPolicy(doc{"name": "File shares", "description": "Daily backups of the file systems of us-east-1", "backupType": "AllItems",
		"regionIds": []any{regionUSEast1.id.String()}, "indexingEnabled": true})
}

func (wl *workload) seedDynamoDB() {
	orders := uuid.NewString()
	wl.addResource(doc{"id": orders, "name": "orders", "awsResourceId": "arn:aws:dynamodb:us-east-1:123456789012:table/orders",
		"resourceAwsAccountId": "123456789012", "region": location(regionUSEast1), "itemCount": 120000, "sizeBytes": 70 << 20})
	wl.addResource(doc{"id": uuid.NewString(), "name": "carts", "awsResourceId": "arn:aws:dynamodb:us-east-1:123456789012:table/carts",
		"resourceAwsAccountId": "123456789012", "region": location(regionUSEast1), "itemCount": 4000, "sizeBytes": 2 << 20})
	wl.seedPolicy(doc{"name": "Order tables", "description": "Daily backups of the order table", "backupType": "SelectedItems",
		"regionIds": []any{regionUSEast1.id.String()}, "selectedItems": doc{"dynamoDbIds": []any{orders}}})
}
