// Command vbem-backup-restore shows the Veeam Backup Enterprise Manager
// client's main flows: list the jobs, start a backup and wait for its
// session, walk the restore points it left, restore a VM from the newest
// one and wait for the restore session. It speaks XML when run with -xml,
// JSON otherwise.
//
// It runs against the built-in fake Enterprise Manager; set VBEM_URL,
// VBEM_USER and VBEM_PASSWORD (and VBEM_CA_FILE), VBEM_JOB (a job id) and
// VBEM_VM (a VM name of that job) to run it against a real one. A real run
// backs the VM up and restores it over the original: use a test VM.
//
//	go run ./examples/vbem-backup-restore [-xml]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake/vbemfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbem"
)

func main() {
	useXML := flag.Bool("xml", false, "speak XML instead of JSON")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	err := run(ctx, *useXML)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "vbem-backup-restore:", err)
		os.Exit(1)
	}
}

type target struct {
	client  *vbem.Client
	job, vm string
	pacing  *poll.Options
	done    func()
}

func connect(useXML bool) (*target, error) {
	var opts []option.Option
	if useXML {
		opts = append(opts, vbem.WithXML())
	}
	if url := os.Getenv("VBEM_URL"); url != "" {
		if ca := os.Getenv("VBEM_CA_FILE"); ca != "" {
			opts = append(opts, option.WithCACertFile(ca))
		}
		c, err := vbem.NewClient(url, vbem.BasicCredentials(os.Getenv("VBEM_USER"), os.Getenv("VBEM_PASSWORD")), opts...)
		return &target{client: c, job: os.Getenv("VBEM_JOB"), vm: os.Getenv("VBEM_VM"), done: func() {}}, err
	}
	srv, err := vbemfake.Start(vbemfake.WithUser(`CORP\admin`, "demo-password"), vbemfake.WithTaskSteps(3))
	if err != nil {
		return nil, err
	}
	fmt.Println("fake Enterprise Manager at", srv.URL())
	c, err := vbem.NewClient(srv.URL(), vbem.BasicCredentials(`CORP\admin`, "demo-password"), append(opts, option.WithCACert(srv.CACertPEM()))...)
	return &target{client: c, job: vbemfake.SeedJobID, vm: "sqlsrv01", pacing: &poll.Options{Interval: 10 * time.Millisecond}, done: srv.Close}, err
}

func run(ctx context.Context, useXML bool) error {
	t, err := connect(useXML)
	if err != nil {
		return err
	}
	defer t.done()
	c := t.client
	if t.job == "" || t.vm == "" {
		return errors.New("set VBEM_JOB and VBEM_VM")
	}
	defer func() { _ = c.Logout(context.Background()) }()

	fmt.Println("jobs:")
	for ref, err := range c.Jobs.All(ctx) {
		if err != nil {
			return fmt.Errorf("list jobs: %w", err)
		}
		fmt.Printf("  %s (%s)\n", to.Value(ref.Name), vbem.IDFromHref(to.Value(ref.Href)))
	}

	// Start a backup and wait for it.
	task, err := c.Jobs.Start(ctx, t.job)
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	if _, err := c.WaitTask(ctx, task, t.pacing); err != nil {
		return fmt.Errorf("start: %w", err)
	}
	latest, err := c.Query.LatestBackupSession(ctx, t.job)
	if err != nil {
		return err
	}
	fmt.Println("backup session:", to.Value(latest.Name))
	session, err := c.BackupSessions.Wait(ctx, vbem.IDFromHref(to.Value(latest.Href)), t.pacing)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Println("backup ended:", to.Value(session.State), to.Value(session.Result))

	// The restore points of the VM, newest first.
	points, err := c.Query.VMRestorePoints(ctx, &vbem.QueryOptions{Filter: `VmDisplayName=="` + t.vm + `"`, SortDesc: "CreationTime", PageSize: 5})
	if err != nil {
		return fmt.Errorf("restore points: %w", err)
	}
	if len(points.Items) == 0 {
		return fmt.Errorf("no restore point of %s", t.vm)
	}
	for _, p := range points.Items {
		fmt.Printf("  %s  %s\n", to.Value(p.Name), to.Value(p.PointType))
	}

	// Restore the VM from the newest point and wait.
	task, err = c.VMRestorePoints.Restore(ctx, vbem.IDFromHref(to.Value(points.Items[0].Href)), vbemapi.RestoreSpec{
		VMRestoreSpec: vbemapi.VMRestoreSpecInfo{PowerOnAfterRestore: true, QuickRollback: to.Ptr(false)}})
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	done, err := c.WaitTask(ctx, task, t.pacing)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	restore, err := c.RestoreSessions.Wait(ctx, vbem.RelatedID(done), t.pacing)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Println("restore ended:", to.Value(restore.Name), to.Value(restore.State), to.Value(restore.Result))
	return nil
}
