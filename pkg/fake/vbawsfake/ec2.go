package vbawsfake

import (
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
)

// The EC2 workload: backup policies (/virtualMachines/policies), instances
// (/virtualMachines) and restore points (/virtualMachines/restorePoints).

func newEC2(f *Fake) *workload {
	return newWorkload(f, "EC2", "VirtualMachineId", "virtualMachineId", "virtualMachineIds", classic,
		func(res doc, policyID uuid.UUID, at time.Time) doc {
			rid, _ := resourceRegion(res)
			size := num(res["sizeBytes"])
			return doc{"id": uuid.NewString(), "backupId": uuid.NewString(), "virtualMachineId": str(res, "id"), "policyId": policyID.String(),
				"jobType": string(vbawsapi.RestorePointJobTypesBackup), "pointInTime": at.Format(time.RFC3339Nano), "backupSizeBytes": size,
				"regionId": rid, "restorePointAwsAccountId": applianceAwsAccountID, "volumes": []doc{{"diskId": "vol-" + strings.ReplaceAll(uuid.NewString()[:12], "-", ""), "name": "root", "device": "/dev/xvda", "backupSizeBytes": size}}}
		})
}

func (wl *workload) ec2Handlers() map[string]fake.HandlerFunc {
	m := wl.handlers(workloadOps{list: "PoliciesGetAll", create: "CreatePolicy", get: "PoliciesGetOneById", update: "UpdatePolicy",
		delete: "DeletePolicy", start: "StartPolicy", stop: "StopPolicy", enable: "EnablePolicy", disable: "DisablePolicy",
		rpList: "RestorePointsGetAll", rpGet: "RestorePointsGetOneById"}) // the instances: instanceHandlers
	altName := func(body doc) string {
		alt, _ := body["toAlternative"].(doc)
		return str(alt, "name")
	}
	m["RestoreVm"] = wl.restore(restoreRules{target: func(body, _ doc) []string { return []string{altName(body)} }})
	m["ValidateRestoreVm"] = wl.validate(altName)
	volumes := func(body, _ doc) []string {
		var out []string
		list, _ := body["volumes"].([]any)
		for _, v := range list {
			d, _ := v.(doc)
			name := str(d, "name")
			if name == "" {
				name = str(d, "diskId")
			}
			out = append(out, name)
		}
		return out
	}
	m["RestoreDisk"] = wl.restore(restoreRules{target: volumes})
	m["ValidateRestoreDisk"] = wl.validate(func(doc) string { return "" })
	m["StartFlr"] = wl.startFlr
	m["PoliciesGetSelectedItemsById"] = wl.policyItems("selectedItems")
	m["PoliciesGetExcludedItemsById"] = wl.policyItems("excludedItems")
	m["PoliciesGetRegionsById"] = wl.policyRegions
	return m
}

// policyItems lists the instances and tags a policy selects or excludes.
func (wl *workload) policyItems(key string) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		wl.mu.Lock()
		_, p, ok := wl.policyByPath(w, r, in)
		var all []doc
		if ok {
			items, _ := p.doc[key].(doc)
			ids, _ := items[wl.itemsKey].([]any)
			for _, v := range ids {
				id, _ := v.(string)
				name := id
				if d := wl.resourceLocked(id); d != nil {
					name = str(d, "name")
				}
				if matches(name, r.URL.Query().Get("SearchPattern")) {
					all = append(all, doc{"name": name, "virtualMachineId": id})
				}
			}
			tags, _ := items["tagIds"].([]any)
			for _, v := range tags {
				id, _ := v.(string)
				if matches("tag "+id, r.URL.Query().Get("SearchPattern")) {
					all = append(all, doc{"name": "tag " + id, "tagId": id})
				}
			}
		}
		wl.mu.Unlock()
		if ok {
			writePage(w, r, all)
		}
	}
}

// policyRegions lists the AWS Regions of a policy.
func (wl *workload) policyRegions(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	wl.mu.Lock()
	_, p, ok := wl.policyByPath(w, r, in)
	var all []doc
	if ok {
		list, _ := p.doc["regionIds"].([]any)
		for _, v := range list {
			id, _ := v.(string)
			if reg, known := regionByID(id); known && matches(reg.name, r.URL.Query().Get("SearchPattern")) {
				all = append(all, doc{"id": reg.id.String(), "name": reg.name})
			}
		}
	}
	wl.mu.Unlock()
	if ok {
		writePage(w, r, all)
	}
}

func location(reg region) doc { return doc{"id": reg.id.String(), "name": reg.name} }

// seedEC2 adds three instances, a policy protecting the web servers and an
// older restore point of each.
func (wl *workload) seedEC2() {
	web1, web2 := uuid.NewString(), uuid.NewString()
	wl.addResource(doc{"id": web1, "name": "web-01", "awsResourceId": "i-0a1b2c3d4e5f60001", "location": location(regionUSEast1), "isDeleted": false, "sizeBytes": 8 << 30})
	wl.addResource(doc{"id": web2, "name": "web-02", "awsResourceId": "i-0a1b2c3d4e5f60002", "location": location(regionUSEast1), "isDeleted": false, "sizeBytes": 8 << 30})
	wl.addResource(doc{"id": uuid.NewString(), "name": "build-01", "awsResourceId": "i-0a1b2c3d4e5f60003", "location": location(regionEUWest1), "isDeleted": false, "sizeBytes": 30 << 30})
	wl.seedPolicy(doc{"name": "Web servers", "description": "Daily backup of the web tier", "backupType": "SelectedItems",
		"amazonAccountId": uuid.NewString(), "regionIds": []any{regionUSEast1.id.String()},
		"selectedItems": doc{"virtualMachineIds": []any{web1, web2}}, "retrySettings": doc{"retryTimes": 3}})
}

// seedPolicy stores a policy whose last session succeeded and, from each
// of ages ago (a day when none is given), a restore point of each resource
// it covers.
func (wl *workload) seedPolicy(spec doc, ages ...time.Duration) {
	wl.mu.Lock()
	defer wl.mu.Unlock()
	id := wl.addPolicyLocked(spec)
	p := wl.policies[id]
	p.doc[wl.statusKey] = string(vbawsapi.SessionStatusSucceeded)
	if len(ages) == 0 {
		ages = []time.Duration{24 * time.Hour}
	}
	for _, age := range ages {
		at := time.Now().UTC().Add(-age)
		for _, d := range wl.coveredLocked(p.doc) {
			wl.addPointLocked(wl.newPoint(d, id, at))
		}
	}
}
