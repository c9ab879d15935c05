// Command vbaws-backup-restore backs up and restores an EC2 instance with
// the Veeam Backup for AWS client against the built-in fake appliance:
// start a backup policy and wait for its session, then restore the newest
// restore point of an instance under a new name and wait for the restore.
//
//	go run ./examples/vbaws-backup-restore
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake/vbawsfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "vbaws-backup-restore:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	// A fake appliance with seeded instances and an EC2 backup policy.
	// Against a real one, skip this and use its URL and certificate.
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "demo-password"))
	if err != nil {
		return err
	}
	defer srv.Close()
	c, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "demo-password"), option.WithCACert(srv.CACertPEM()))
	if err != nil {
		return err
	}
	defer func() { _ = c.Logout(ctx) }()
	// The fake ends sessions quickly; against an appliance pass nil.
	wait := &poll.Options{Interval: 20 * time.Millisecond}

	fmt.Println("1. EC2 backup policies:")
	var policy *vbawsapi.Policy
	for p, err := range c.EC2Policies.All(ctx, nil) {
		if err != nil {
			return err
		}
		fmt.Printf("   %s (enabled: %t, last session: %s)\n", p.Name, p.IsEnabled, *p.LastPolicySessionStatus)
		if policy == nil {
			policy = &p
		}
	}
	if policy == nil {
		return errors.New("no EC2 backup policy")
	}

	link, err := c.EC2Policies.Start(ctx, policy.ID)
	if err != nil {
		return fmt.Errorf("start %s: %w", policy.Name, err)
	}
	session, err := c.Sessions.Wait(ctx, link.SessionID, wait)
	if err != nil {
		return fmt.Errorf("backup session: %w", err)
	}
	fmt.Printf("2. started %q: session %s ended %s\n", policy.Name, session.ID, session.Status)
	log, err := c.Sessions.Log(ctx, link.SessionID)
	if err != nil {
		return err
	}
	for _, rec := range log.Log {
		fmt.Printf("   %s %s\n", rec.Status, to.Value(rec.Message))
	}

	items, err := c.EC2Policies.SelectedItems(ctx, policy.ID, nil)
	if err != nil || len(items.Results) == 0 || items.Results[0].VirtualMachineID == nil {
		return fmt.Errorf("no instance in %s: %w", policy.Name, err)
	}
	vmID := *items.Results[0].VirtualMachineID
	points, err := c.EC2RestorePoints.List(ctx, &vbaws.ListEC2RestorePointsOptions{VirtualMachineID: &vmID,
		Sort: []vbawsapi.VMRestorePointsSortColumns{vbawsapi.VMRestorePointsSortColumnsPointInTimeDesc}, Limit: 1})
	if err != nil {
		return err
	}
	if len(points.Results) == 0 {
		return errors.New("no restore point")
	}
	newest := points.Results[0]
	fmt.Printf("3. %d restore points of %s; the newest is from %s\n", points.TotalCount, to.Value(items.Results[0].Name), newest.PointInTime.Format(time.RFC3339))

	opts := vbawsapi.VirtualMachineRestoreOptions{Reason: to.Ptr("restore drill"), StartInstance: to.Ptr(false),
		ToAlternative: &vbawsapi.VirtualMachineToAlternativeRestoreOptions{Name: to.Value(items.Results[0].Name) + "-restored",
			RegionID: uuid.New(), VMType: "t3.medium", SubnetID: "subnet-0abc", NetworkSecurityGroupID: "sg-0abc"}}
	msgs, err := c.EC2RestorePoints.ValidateRestoreInstance(ctx, newest.ID, opts)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if m.Severity == vbawsapi.ValidationMessageSeverityError {
			return fmt.Errorf("restore settings: %s", m.Message)
		}
	}
	link, err = c.EC2RestorePoints.RestoreInstance(ctx, newest.ID, opts)
	if err != nil {
		return err
	}
	session, err = c.Sessions.Wait(ctx, link.SessionID, wait)
	if err != nil {
		return fmt.Errorf("restore session: %w", err)
	}
	fmt.Printf("4. restored as %q: session ended %s\n", opts.ToAlternative.Name, session.Status)
	return nil
}
