package vbawsfake

import (
	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
)

// The EFS workload: backup policies (/efs/policies), file systems (/efs)
// and restore points (/efs/restorePoints), with file-level restore.

func newEFS(f *Fake) *workload {
	return newWorkload(f, "EFS", "EfsId", "efsId", "efsIds", "creationTimeUtc", pointOf("efsId", vbawsapi.RestorePointJobTypesBackup))
}

func (wl *workload) efsHandlers() map[string]fake.HandlerFunc {
	m := wl.handlers(workloadOps{list: "EfsPoliciesGetAll", create: "CreateEfsPolicy", get: "EfsPoliciesGetOneById", update: "UpdateEfsPolicy",
		delete: "DeleteEfsPolicy", start: "StartEfsPolicy", stop: "StopEfsPolicy", enable: "EnableEfsPolicy", disable: "DisableEfsPolicy",
		resList: "EfsGetAll", resGet: "EfsGetOneById", rpList: "EfsRestorePointsGetAll", rpGet: "EfsRestorePointsGetOneById"})
	name := func(body doc) string {
		if body["toOriginal"] == true {
			return ""
		}
		return str(body, "name")
	}
	m["RestoreEfs"] = wl.restore(func(body, _ doc) []string { return []string{name(body)} })
	m["ValidateRestoreEfs"] = wl.validate(name)
	m["RestoreEfsFiles"] = wl.restore(func(body, _ doc) []string {
		var out []string
		list, _ := body["paths"].([]any)
		for _, v := range list {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
		return out
	})
	m["StartEfsFlr"] = wl.startFlr
	return m
}

func (wl *workload) seedEFS() {
	wl.addResource(doc{"id": uuid.NewString(), "name": "shared", "awsResourceId": "fs-0a1b2c3d0001", "resourceAwsAccountId": "123456789012",
		"region": location(regionUSEast1), "sizeBytes": 5 << 30})
	wl.addResource(doc{"id": uuid.NewString(), "name": "home", "awsResourceId": "fs-0a1b2c3d0002", "resourceAwsAccountId": "123456789012",
		"region": location(regionUSEast1), "sizeBytes": 12 << 30})
	wl.seedPolicy(doc{"name": "File shares", "description": "Daily backups of the file systems of us-east-1", "backupType": "AllItems",
		"regionIds": []any{regionUSEast1.id.String()}, "indexingEnabled": true})
}
