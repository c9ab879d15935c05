// Command ibm-policies shows the IBM Cloud Backup and Recovery client: an
// API key exchanged at IAM, a tenant, a protection policy created and
// listed with All, a protection group that uses it, a run started and
// waited for, and a typed not-found error.
//
// It runs against the built-in fake service (with its own IAM endpoint);
// set IBM_BR_URL, IBMCLOUD_API_KEY and IBM_BR_TENANT to run it against a
// real instance.
//
//	go run ./examples/ibm-policies
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/ibmfake"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/to"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	err := run(ctx)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ibm-policies:", err)
		os.Exit(1)
	}
}

func connect() (*ibmbr.Client, func(), error) {
	if url := os.Getenv("IBM_BR_URL"); url != "" {
		c, err := ibmbr.NewClient(url, ibmbr.APIKey(os.Getenv("IBMCLOUD_API_KEY")), ibmbr.WithTenant(os.Getenv("IBM_BR_TENANT")))
		return c, func() {}, err
	}
	srv, err := ibmfake.Start(ibmfake.WithAPIKey("demo-api-key"), ibmfake.WithTenant("demo-tenant/"))
	if err != nil {
		return nil, nil, err
	}
	fmt.Println("fake IBM Cloud Backup and Recovery instance at", srv.ServiceURL())
	c, err := ibmbr.NewClient(srv.ServiceURL(), ibmbr.APIKey("demo-api-key", ibmbr.WithIAMURL(srv.URL())),
		ibmbr.WithTenant("demo-tenant/"), option.WithCACert(srv.CACertPEM()))
	return c, srv.Close, err
}

func run(ctx context.Context) error {
	c, done, err := connect()
	if err != nil {
		return err
	}
	defer done()
	if err := c.Login(ctx); err != nil {
		return fmt.Errorf("IAM: %w", err)
	}
	fmt.Println("exchanged the API key for an IAM token")

	policy, err := c.Policies.Create(ctx, ibmbrapi.ProtectionPolicyRequest{
		Name: fmt.Sprintf("daily-7d-%d", time.Now().Unix()),
		BackupPolicy: ibmbrapi.BackupPolicy{Regular: ibmbrapi.RegularBackupPolicy{
			Incremental: &ibmbrapi.IncrementalBackupPolicy{Schedule: ibmbrapi.IncrementalSchedule{
				Unit: ibmbrapi.IncrementalScheduleUnitDays, DaySchedule: &ibmbrapi.DaySchedule{Frequency: 1},
			}},
			Retention: &ibmbrapi.Retention{Unit: ibmbrapi.RetentionUnitDays, Duration: 7},
		}},
	})
	if err != nil {
		return fmt.Errorf("create policy: %w", err)
	}
	fmt.Printf("created policy %q (%s)\n", policy.Name, to.Value(policy.ID))

	fmt.Println("policies:")
	for p, err := range c.Policies.All(ctx, nil) {
		if err != nil {
			return fmt.Errorf("list policies: %w", err)
		}
		fmt.Printf("  %s  %s\n", to.Value(p.ID), p.Name)
	}

	group, err := c.ProtectionGroups.Create(ctx, ibmbrapi.ProtectionGroupRequest{
		Name: "web-servers", PolicyID: to.Value(policy.ID), Environment: ibmbrapi.ProtectionGroupRequestEnvironmentKPhysical,
	})
	if err != nil {
		return fmt.Errorf("create protection group: %w", err)
	}
	fmt.Printf("created protection group %q (%s)\n", to.Value(group.Name), to.Value(group.ID))

	started, err := c.ProtectionGroups.CreateRun(ctx, to.Value(group.ID), ibmbrapi.CreateProtectionGroupRunRequest{
		RunType: ibmbrapi.CreateProtectionGroupRunRequestRunTypeKRegular,
	})
	if err != nil {
		return fmt.Errorf("start a run: %w", err)
	}
	fmt.Println("started run", started.RunIDs[0])
	run, err := c.ProtectionGroups.WaitRun(ctx, to.Value(group.ID), started.RunIDs[0], &poll.Options{
		Interval: 500 * time.Millisecond, // growing by half each poll, up to 30s
		OnPoll: func(r any) {
			if info := r.(*ibmbrapi.ProtectionGroupRun).LocalBackupInfo; info != nil {
				fmt.Println("  run status:", to.Value(info.Status))
			}
		},
	})
	switch {
	case errors.Is(err, ibmbr.ErrRunFailed):
		fmt.Println("  the run did not succeed:", err)
	case err != nil:
		return fmt.Errorf("wait for the run: %w", err)
	default:
		fmt.Println("  local snapshot:", to.Value(run.HasLocalSnapshot))
	}

	_, err = c.Policies.Get(ctx, "0:0:404", nil)
	var apiErr *apierr.Error
	if !errors.Is(err, apierr.ErrNotFound) || !errors.As(err, &apiErr) {
		return fmt.Errorf("expected a not-found error, got: %w", err)
	}
	fmt.Printf("a missing policy: errors.Is(err, apierr.ErrNotFound) holds; code %s\n", apiErr.Code)
	return nil
}
