package vbem_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/vbemfake"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbem"
)

// A service provider creates a Cloud Connect tenant with a storage quota on
// a cloud repository, grows the quota, disables the account and deletes
// it. Each of these answers a Task; the Related link of the finished
// creation names the new tenant.
func ExampleCloudTenantsService_Create() {
	srv := startFake()
	defer srv.Close()
	c := newClient(srv)
	ctx := context.Background()
	fast := &poll.Options{Interval: 1}
	wait := func(task *vbemapi.Task, err error) (string, error) {
		if err != nil {
			return "", err
		}
		done, err := c.WaitTask(ctx, task, fast)
		return vbem.RelatedID(done), err
	}

	tenantID, err := wait(c.CloudTenants.Create(ctx, vbemapi.CreateCloudTenantSpec{
		Name:            "Acme Corp",
		Password:        to.Ptr("tenant-s3cret"), // write-only: never answered, never logged
		BackupServerUID: "urn:veeam:BackupServer:" + vbemfake.SeedBackupServer2ID,
		Resources: &vbemapi.CreateCloudTenantResourceList{BackupResources: []vbemapi.CreateCloudTenantResourceSpec{{
			Name:          "Acme backups",
			RepositoryUID: "urn:veeam:Repository:" + vbemfake.SeedRepositoryID,
			QuotaMb:       10240,
		}}},
	}))
	if err != nil {
		fmt.Println(err)
		return
	}
	quotas, err := c.CloudTenants.ListResources(ctx, tenantID)
	if err != nil {
		fmt.Println(err)
		return
	}
	quotaID := to.Value(quotas.CloudTenantResources[0].ID)
	if _, err := wait(c.CloudTenants.SetResourceQuota(ctx, tenantID, quotaID, 20480)); err != nil {
		fmt.Println(err)
		return
	}
	// More than the repository holds is refused.
	_, err = c.CloudTenants.SetResourceQuota(ctx, tenantID, quotaID, 1<<30)
	fmt.Println("too large:", errors.Is(err, apierr.ErrBadRequest))
	if _, err := wait(c.CloudTenants.Disable(ctx, tenantID)); err != nil {
		fmt.Println(err)
		return
	}

	tenant, err := c.CloudTenants.Get(ctx, tenantID, &vbem.CloudTenantsGetOptions{Format: vbemapi.GetCloudTenantParamsFormatEntity})
	if err != nil {
		fmt.Println(err)
		return
	}
	q := tenant.Resources.CloudTenantResources[0].RepositoryQuota
	fmt.Println(to.Value(tenant.Name), "enabled:", to.Value(tenant.Enabled), "quota:", q.Quota, "MB")

	if _, err := wait(c.CloudTenants.Delete(ctx, tenantID, &vbem.CloudTenantsDeleteOptions{IncludeBackups: to.Ptr(true)})); err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.CloudTenants.Get(ctx, tenantID, nil)
	fmt.Println("deleted:", errors.Is(err, apierr.ErrNotFound))
	// Output:
	// too large: true
	// Acme Corp enabled: false quota: 20480 MB
	// deleted: true
}
