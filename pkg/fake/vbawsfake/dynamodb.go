package vbawsfake

import (
	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
)

// The DynamoDB workload: backup policies (/dynamoDb/policies), tables
// (/dynamoDb) and restore points (/dynamoDb/restorePoints).

func newDynamoDB(f *Fake) *workload {
	return newWorkload(f, "DynamoDB", "DynamoDbId", "dynamoDbId", "dynamoDbIds", "creationTimeUtc", pointOf("dynamoDbId", vbawsapi.RestorePointJobTypesBackup))
}

func (wl *workload) dynamoDBHandlers() map[string]fake.HandlerFunc {
	m := wl.handlers(workloadOps{list: "DynamoDbPoliciesGetAll", create: "CreateDynamoDbPolicy", get: "DynamoDbPoliciesGetOneById", update: "UpdateDynamoDbPolicy",
		delete: "DeleteDynamoDbPolicy", start: "StartDynamoDbPolicy", stop: "StopDynamoDbPolicy", enable: "EnableDynamoDbPolicy", disable: "DisableDynamoDbPolicy",
		resList: "DynamoDbGetAll", resGet: "DynamoDbGetOneById", rpList: "DynamoDbRestorePointsGetAll", rpGet: "DynamoDbRestorePointsGetOneById"})
	name := func(body doc) string {
		if body["toOriginal"] == true {
			return ""
		}
		return str(body, "tableName")
	}
	m["RestoreDynamoDb"] = wl.restore(func(body, _ doc) []string { return []string{name(body)} })
	m["ValidateRestoreDynamoDb"] = wl.validate(name)
	return m
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
