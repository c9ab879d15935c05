// Command vbgc-policies shows the Veeam Backup for Google Cloud client: log
// in, create a VM instance backup policy, start it, wait for its session and
// list sessions with All.
//
// It runs against the built-in fake appliance; set VBGC_URL, VBGC_USER and
// VBGC_PASSWORD (and VBGC_CA_FILE for a self-signed certificate) to run it
// against a real one.
//
//	go run ./examples/vbgc-policies
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/fake/vbgcfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	err := run(ctx)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "vbgc-policies:", err)
		os.Exit(1)
	}
}

func connect() (*vbgc.Client, func(), error) {
	if url := os.Getenv("VBGC_URL"); url != "" {
		var opts []option.Option
		if ca := os.Getenv("VBGC_CA_FILE"); ca != "" {
			opts = append(opts, option.WithCACertFile(ca))
		}
		c, err := vbgc.NewClient(url, vbgc.PasswordCredentials(os.Getenv("VBGC_USER"), os.Getenv("VBGC_PASSWORD")), opts...)
		return c, func() {}, err
	}
	srv, err := vbgcfake.Start(vbgcfake.WithUser("admin", "demo-password"))
	if err != nil {
		return nil, nil, err
	}
	fmt.Println("fake Veeam Backup for Google Cloud appliance at", srv.URL())
	c, err := vbgc.NewClient(srv.URL(), vbgc.PasswordCredentials("admin", "demo-password"), option.WithCACert(srv.CACertPEM()))
	return c, srv.Close, err
}

func run(ctx context.Context) error {
	c, done, err := connect()
	if err != nil {
		return err
	}
	defer done()
	if err := c.Login(ctx); err != nil {
		return fmt.Errorf("login: %w", err)
	}
	defer func() { _ = c.Logout(ctx) }()
	fmt.Println("logged in")

	policy, err := c.VMPolicies.Create(ctx, vbgcapi.PolicySpecV2{
		Name: fmt.Sprintf("nightly-web-%d", time.Now().Unix()),
		SourceOptions: vbgcapi.VMPolicySourceOptionsModel{
			ServiceAccountID: openapi_types.Email("vbgc-backup@acme-prod.iam.gserviceaccount.com"),
			Projects:         []string{"acme-prod"},
			SelectionType:    vbgcapi.EPolicyResourceSelectionSelectedResources,
			SelectedItems: []vbgcapi.VMPolicySelectedItemModel{
				{Type: vbgcapi.EPolicyItemTypeLabel, Label: &vbgcapi.TagModel{Key: "backup", Value: "nightly"}},
			},
		},
		ScheduleOptions: vbgcapi.VMPolicyScheduleModel{DailySchedule: &vbgcapi.VMPolicyDailyScheduleModel{
			IsEnabled: true, Kind: to.Ptr(vbgcapi.EPolicyDailyKindEveryday), Hours: []int32{2},
			SnapshotOptions: &vbgcapi.VMPolicyRetentionOptionsModel{Retention: vbgcapi.VMPolicyRetentionModel{Count: 7, Type: to.Ptr(vbgcapi.EPolicyRetentionTypeDays)}},
		}},
	})
	if err != nil {
		return fmt.Errorf("create policy: %w", err)
	}
	fmt.Printf("created policy %q (%s)\n", policy.Name, policy.ID)

	started, err := c.VMPolicies.Start(ctx, policy.ID)
	if err != nil {
		return fmt.Errorf("start policy: %w", err)
	}
	fmt.Println("started; session", started.SessionID)
	session, err := c.Sessions.Wait(ctx, started.SessionID, &poll.Options{
		Interval: 200 * time.Millisecond,
		OnPoll: func(state any) {
			if s := state.(*vbgcapi.SessionInfoItemModel); s.ProgressPercent != nil {
				fmt.Printf("  session %s: %s, %d%%\n", s.Status, s.Result, *s.ProgressPercent)
			}
		},
	})
	if err != nil {
		return fmt.Errorf("wait for the session: %w", err)
	}
	fmt.Println("session ended:", session.Result)

	newestFirst, err := vbgc.OrderBy(vbgc.Order{Property: "creationTimeUtc", Descending: true})
	if err != nil {
		return err
	}
	fmt.Println("sessions, newest first:")
	for s, err := range c.Sessions.All(ctx, &vbgc.ListOptions{OrderBy: newestFirst, Limit: 50}) {
		if err != nil {
			return fmt.Errorf("list sessions: %w", err)
		}
		fmt.Printf("  %s  %-16s %-8s %s\n", s.ID, s.SessionType, s.Result, to.Value(s.Name))
	}
	return nil
}
