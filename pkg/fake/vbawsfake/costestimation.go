package vbawsfake

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// The cost estimation of an EC2 backup policy (/costEstimation): the
// instances a policy with the settings given would protect (as a created
// policy would: its regions or selected instances, less the excluded ones),
// each priced from its size with a flat monthly rate per GiB.
const (
	snapshotRate    = 0.05  // a snapshot or a snapshot replica, per GiB
	backupRate      = 0.023 // an image-level backup in Amazon S3, per GiB
	trafficRate     = 0.02  // copying a snapshot to another AWS Region, per GiB
	transactionCost = 0.01  // the S3 requests of the backups of one instance
)

func cents(v float64) float64 { return math.Round(v*100) / 100 }

// estimateLocked prices the instances the policy spec covers; it says why
// a spec is refused ("" when it is not). The caller holds wl.mu.
func (wl *workload) estimateLocked(spec doc, repoKnown func(string) bool) ([]vbawsapi.CostEstimationItem, string) {
	for _, s := range strs(spec, "regionIds") {
		if _, ok := regionByID(s); !ok {
			return nil, "unknown AWS Region " + s
		}
	}
	for _, key := range []string{"selectedItems", "excludedItems"} {
		for _, s := range wl.listed(spec, key) {
			if wl.resourceLocked(s) == nil {
				return nil, key + ": no EC2 instance " + s
			}
		}
	}
	backup, _ := spec["backupSettings"].(doc)
	repo := str(backup, "targetRepositoryId")
	if repo != "" && !repoKnown(repo) {
		return nil, "backupSettings: no repository " + repo
	}
	replicas, _ := spec["replicaSettings"].(doc)
	mapping, _ := replicas["mapping"].([]any)
	for _, m := range mapping {
		md, _ := m.(doc)
		for _, key := range []string{"sourceRegionId", "targetRegionId"} {
			if _, ok := regionByID(str(md, key)); !ok {
				return nil, "replicaSettings: unknown AWS Region " + str(md, key)
			}
		}
	}
	items := []vbawsapi.CostEstimationItem{}
	for _, d := range wl.coveredLocked(spec) {
		gib := num(d["sizeBytes"]) / (1 << 30)
		rid, _ := resourceRegion(d)
		copies := 0
		for _, m := range mapping {
			if md, _ := m.(doc); str(md, "sourceRegionId") == rid {
				copies++
			}
		}
		it := vbawsapi.CostEstimationItem{VirtualMachineID: uuid.MustParse(str(d, "id")), VirtualMachineName: str(d, "name"),
			SnapshotCost: ptr(cents(gib * snapshotRate)), ReplicaCost: ptr(cents(float64(copies) * gib * snapshotRate)), BackupCost: ptr(0.0),
			TrafficCost: cents(float64(copies) * gib * trafficRate)}
		if repo != "" {
			it.BackupCost, it.TransactionCost = ptr(cents(gib*backupRate)), transactionCost
		}
		it.TotalCost = cents(*it.SnapshotCost + *it.ReplicaCost + *it.BackupCost + it.TrafficCost + it.TransactionCost)
		items = append(items, it)
	}
	return items, ""
}

// estimate reads the policy spec of the body and prices it, answering 400
// itself for a spec it refuses.
func (f *Fake) estimate(w http.ResponseWriter, r *http.Request, in *fake.Input) ([]vbawsapi.CostEstimationItem, bool) {
	var spec doc
	if !decodeBody(w, r, in, &spec) {
		return nil, false
	}
	f.mu.Lock()
	repos := map[string]bool{}
	for _, id := range f.infra.repos.order {
		repos[id.String()] = true
	}
	f.mu.Unlock()
	wl := f.ec2
	wl.mu.Lock()
	items, why := wl.estimateLocked(spec, func(id string) bool { return repos[strings.ToLower(id)] })
	wl.mu.Unlock()
	if why != "" {
		badRequest(w, r, why)
		return nil, false
	}
	return items, true
}

func (f *Fake) costEstimation(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	items, ok := f.estimate(w, r, in)
	if !ok {
		return
	}
	q := r.URL.Query()
	all := slices.DeleteFunc(slices.Clone(items), func(it vbawsapi.CostEstimationItem) bool {
		return !matches(it.VirtualMachineName, q.Get("VirtualMachineNameFilter"))
	})
	byCost := func(cost func(vbawsapi.CostEstimationItem) float64) func(a, b vbawsapi.CostEstimationItem) int {
		return func(a, b vbawsapi.CostEstimationItem) int {
			switch ca, cb := cost(a), cost(b); {
			case ca < cb:
				return -1
			case ca > cb:
				return 1
			}
			return 0
		}
	}
	sortColumns(all, splitList(q["Sort"]), map[string]func(a, b vbawsapi.CostEstimationItem) int{
		"virtualMachineName": func(a, b vbawsapi.CostEstimationItem) int {
			return strings.Compare(strings.ToLower(a.VirtualMachineName), strings.ToLower(b.VirtualMachineName))
		},
		"snapshotCost": byCost(func(it vbawsapi.CostEstimationItem) float64 { return valueOf(it.SnapshotCost) }),
		"replicaCost":  byCost(func(it vbawsapi.CostEstimationItem) float64 { return valueOf(it.ReplicaCost) }),
		"backupCost":   byCost(func(it vbawsapi.CostEstimationItem) float64 { return valueOf(it.BackupCost) }),
		"traffic":      byCost(func(it vbawsapi.CostEstimationItem) float64 { return it.TrafficCost }),
		"transaction":  byCost(func(it vbawsapi.CostEstimationItem) float64 { return it.TransactionCost }),
		"total":        byCost(func(it vbawsapi.CostEstimationItem) float64 { return it.TotalCost }),
	})
	page := vbawsapi.CostEstimationsPage{TotalCount: int32(len(all)), IsEmpty: len(items) == 0, //nolint:gosec // small
		Items: orEmpty(window(all, queryInt(r, "Offset", 0), queryInt(r, "Limit", 0)))}
	var snap, replica, backup float64
	for _, it := range all {
		snap += valueOf(it.SnapshotCost)
		replica += valueOf(it.ReplicaCost)
		backup += valueOf(it.BackupCost)
		page.TotalTrafficCost += it.TrafficCost
		page.TotalTransactionCost += it.TransactionCost
		page.TotalCost += it.TotalCost
	}
	page.TotalSnapshotCost, page.TotalReplicaCost, page.TotalBackupCost = ptr(cents(snap)), ptr(cents(replica)), ptr(cents(backup))
	page.TotalTrafficCost, page.TotalTransactionCost, page.TotalCost = cents(page.TotalTrafficCost), cents(page.TotalTransactionCost), cents(page.TotalCost)
	veeamfake.WriteJSON(w, http.StatusOK, page)
}

// exportCostEstimation writes a row per instance the spec covers, as the
// estimation lists them.
func (f *Fake) exportCostEstimation(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	items, ok := f.estimate(w, r, in)
	if !ok {
		return
	}
	money := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	rows := make([][]string, 0, len(items))
	for _, it := range items {
		rows = append(rows, []string{it.VirtualMachineName, money(valueOf(it.SnapshotCost)), money(valueOf(it.ReplicaCost)), money(valueOf(it.BackupCost)),
			money(it.TrafficCost), money(it.TransactionCost), money(it.TotalCost)})
	}
	writeExport(w, r, exportTable{root: "CostEstimations", row: "CostEstimation",
		columns: []string{"Instance", "Snapshot Cost", "Replica Cost", "Backup Cost", "Traffic Cost", "Transaction Cost", "Total Cost"}, rows: rows})
}
