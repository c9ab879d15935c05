package vbawsfake

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/pkg/fake"
)

// The FSx and Redshift workloads: backup policies (/fsx/policies,
// /redshift/policies), file systems and clusters (/fsx, /redshift) and
// restore points (/fsx/restorePoints, ...). Their policies list the
// resources they protect (fileSystemIds, clusterIds), and they answer in
// the flat shape (see shape). A restore to a new name adds the new
// resource once its session has succeeded.

// flatPointSize is the size of every FSx and Redshift restore point.
const flatPointSize = 3 << 30

func newFlat(f *Fake, label, path, resFilter, rpResKey, itemsKey string) *workload {
	return newWorkload(f, label, resFilter, rpResKey, itemsKey, flatShape(label, path),
		func(res doc, policyID uuid.UUID, at time.Time) doc {
			return doc{"id": uuid.NewString(), rpResKey: str(res, "id"), "policyId": policyID.String(), "creationTimeUtc": at.Format(time.RFC3339Nano),
				"jobType": "Policy", "size": flatPointSize, "restorePointAwsAccountId": str(res, "awsAccountId"), "regionName": str(res, "regionName")}
		})
}

func newFSx(f *Fake) *workload {
	return newFlat(f, "FSx", "fsx", "FsxId", "fsxId", "fileSystemIds")
}

func newRedshift(f *Fake) *workload {
	return newFlat(f, "Redshift", "redshift", "RedshiftId", "redshiftId", "clusterIds")
}

// flatHandlers serves the operations of a flat workload named after n
// (Fsx, Redshift); nameKey is the member of a restore body that names a
// new resource.
func (wl *workload) flatHandlers(n, nameKey string) map[string]fake.HandlerFunc {
	ops := namedOps(n)
	ops.resGet = ""
	m := wl.handlers(ops)
	m["Restore"+n] = wl.restore(restoreRules{target: restoredName(nameKey), creates: true, check: func(body doc) string {
		switch named := str(body, nameKey) != ""; {
		case body["toOriginal"] != true && !named:
			return "a restore to a new location needs the name of the new resource"
		case body["toOriginal"] == true && named:
			return "a restore to the original location takes no new name"
		}
		return ""
	}})
	return m
}

// seedFlat adds three resources (AWS IDs starting with awsPrefix) and a
// daily policy protecting the first, with restore points of the last two
// days.
func (wl *workload) seedFlat(awsPrefix string) {
	var first string
	for i := range 3 {
		id := uuid.NewString()
		if i == 0 {
			first = id
		}
		wl.addResource(doc{"id": id, "awsResourceId": fmt.Sprintf("%s%017x", awsPrefix, i+1), "name": fmt.Sprintf("%s-%d", strings.ToLower(wl.label), i+1),
			"regionName": "eu-west-1", "awsAccountId": "111122223333"})
	}
	wl.seedPolicy(doc{"name": "Daily " + wl.label, wl.itemsKey: []any{first}}, 48*time.Hour, 24*time.Hour)
}
