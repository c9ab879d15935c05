package vbgc_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/fake/vbgcfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

// The examples run against vbgcfake, an in-memory Veeam Backup for Google
// Cloud appliance that serves TLS with a self-signed certificate, as a real
// one does. Its sessions finish after three reads; its ids are random, so
// the examples print names, counts and results only.

// fastPolls makes Sessions.Wait poll every few milliseconds instead of from
// one second up, so that the examples finish quickly. Against an appliance
// the defaults (nil options) are the better choice.
var fastPolls = &poll.Options{Interval: 5 * time.Millisecond, MaxInterval: 20 * time.Millisecond}

// nightlyVMPolicy is the VM instance backup policy of
// ExampleVMPoliciesService_Create: every instance labelled backup=nightly in
// the project acme-prod, snapshotted daily at 02:00 and kept for 7 days.
func nightlyVMPolicy(name string) vbgcapi.PolicySpecV2 {
	return vbgcapi.PolicySpecV2{
		Name: name,
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
			SnapshotOptions: &vbgcapi.VMPolicyRetentionOptionsModel{
				Retention: vbgcapi.VMPolicyRetentionModel{Count: 7, Type: to.Ptr(vbgcapi.EPolicyRetentionTypeDays)},
			},
		}},
	}
}

// Example creates a VM instance backup policy, runs it and waits for its
// session to end.
func Example() {
	ctx := context.Background()
	srv, err := vbgcfake.Start(vbgcfake.WithUser("admin", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	c, err := vbgc.NewClient(srv.URL(), vbgc.PasswordCredentials("admin", "s3cret"),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = c.Logout(ctx) }()

	policy, err := c.VMPolicies.Create(ctx, nightlyVMPolicy("nightly-web"))
	if err != nil {
		fmt.Println(err)
		return
	}
	started, err := c.VMPolicies.Start(ctx, policy.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	session, err := c.Sessions.Wait(ctx, started.SessionID, fastPolls)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(policy.Name, session.SessionType, session.Status, session.Result)
	// Output:
	// nightly-web PolicyBackup Stopped Success
}

// ExampleNewClient connects to an appliance with a self-signed certificate
// and logs in at once, so that a wrong password or an untrusted certificate
// shows up before the first real call. For a certificate in a file, use
// option.WithCACertFile instead of option.WithCACert.
func ExampleNewClient() {
	ctx := context.Background()
	srv, err := vbgcfake.Start(vbgcfake.WithUser("admin", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	c, err := vbgc.NewClient(srv.URL(), vbgc.PasswordCredentials("admin", "s3cret"),
		option.WithCACert(srv.CACertPEM()), // trust the appliance's own certificate
		option.WithTimeout(30*time.Second)) // per call, retries included
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := c.Login(ctx); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("logged in, x-api-version", c.APIVersion())
	// Output:
	// logged in, x-api-version 1.4-rev0
}

// ExamplePasswordCredentials logs in as a user with multi-factor
// authentication: the client answers the appliance's challenge with the
// code the auth.WithMFA callback returns.
func ExamplePasswordCredentials() {
	ctx := context.Background()
	srv, err := vbgcfake.Start(vbgcfake.WithUser("admin", "s3cret"), vbgcfake.WithMFA("135790"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	totp := func(ctx context.Context) (string, error) {
		return "135790", nil // in real code: ask the user, or compute the TOTP
	}
	creds := vbgc.PasswordCredentials("admin", "s3cret", auth.WithMFA(totp))
	fmt.Println(creds)

	c, err := vbgc.NewClient(srv.URL(), creds, option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := c.Login(ctx); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("grants:", srv.Tokens.Requests())
	// Output:
	// Credentials{grant=password user=admin password=[REDACTED] mfa=true}
	// grants: map[mfa:1 password:1]
}

// ExampleVMPoliciesService_Create creates a VM instance backup policy
// through c.VMPolicies. The SQL and Spanner families (c.SQLPolicies,
// c.SpannerPolicies) have the same methods with their own models.
func ExampleVMPoliciesService_Create() {
	ctx := context.Background()
	srv, err := vbgcfake.Start(vbgcfake.WithUser("admin", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	c, err := vbgc.NewClient(srv.URL(), vbgc.PasswordCredentials("admin", "s3cret"),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}

	policy, err := c.VMPolicies.Create(ctx, vbgcapi.PolicySpecV2{
		Name: "nightly-web",
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
			SnapshotOptions: &vbgcapi.VMPolicyRetentionOptionsModel{
				Retention: vbgcapi.VMPolicyRetentionModel{Count: 7, Type: to.Ptr(vbgcapi.EPolicyRetentionTypeDays)},
			},
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(policy.Name, "enabled:", policy.IsEnabled, "priority:", policy.Priority)
	fmt.Println("VM policies on the appliance:", srv.PolicyCount("Vm"))
	// Output:
	// nightly-web enabled: true priority: 1
	// VM policies on the appliance: 1
}

// ExampleSessionsService_Wait starts a policy and follows its session until
// it ends. OnPoll sees every state read; the fake's session takes three
// reads to finish.
func ExampleSessionsService_Wait() {
	ctx := context.Background()
	srv, err := vbgcfake.Start(vbgcfake.WithUser("admin", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	c, err := vbgc.NewClient(srv.URL(), vbgc.PasswordCredentials("admin", "s3cret"),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	policy, err := c.VMPolicies.Create(ctx, nightlyVMPolicy("nightly-web"))
	if err != nil {
		fmt.Println(err)
		return
	}
	started, err := c.VMPolicies.Start(ctx, policy.ID)
	if err != nil {
		fmt.Println(err)
		return
	}

	// The context bounds the whole wait.
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	session, err := c.Sessions.Wait(ctx, started.SessionID, &poll.Options{
		Interval:    5 * time.Millisecond, // the default starts at 1s and grows to 15s
		MaxInterval: 20 * time.Millisecond,
		OnPoll: func(state any) {
			s := state.(*vbgcapi.SessionInfoItemModel)
			fmt.Printf("  %s %d%%\n", s.Status, to.Value(s.ProgressPercent))
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("result:", session.Result)
	// Output:
	//   Running 33%
	//   Running 66%
	//   Stopped 100%
	// result: Success
}

// ExampleSessionsService_All lists sessions with a filter and an order. The
// conditions are typed; Filter and OrderBy encode them as the JSON arrays
// the API expects, and All pages through the results.
func ExampleSessionsService_All() {
	ctx := context.Background()
	srv, err := vbgcfake.Start(vbgcfake.WithUser("admin", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	c, err := vbgc.NewClient(srv.URL(), vbgc.PasswordCredentials("admin", "s3cret"),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Run three policies; the fake fails the second run.
	for i, name := range []string{"nightly-web", "nightly-db", "nightly-batch"} {
		policy, err := c.VMPolicies.Create(ctx, nightlyVMPolicy(name))
		if err != nil {
			fmt.Println(err)
			return
		}
		if i == 1 {
			srv.FailNextSession(vbgcapi.ESessionResultFailed)
		}
		started, err := c.VMPolicies.Start(ctx, policy.ID)
		if err != nil {
			fmt.Println(err)
			return
		}
		_, _ = c.Sessions.Wait(ctx, started.SessionID, fastPolls)
	}

	backups, err := vbgc.Filter(vbgc.Condition{Property: "sessionType", Operator: vbgc.OpEquals, Value: "PolicyBackup"})
	if err != nil {
		fmt.Println(err)
		return
	}
	byName, err := vbgc.OrderBy(vbgc.Order{Property: "name"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("backup sessions by name:")
	for s, err := range c.Sessions.All(ctx, &vbgc.ListOptions{Filter: backups, OrderBy: byName}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(" ", to.Value(s.Name), s.Result)
	}

	failed, err := vbgc.Filter(vbgc.Condition{Property: "result", Operator: vbgc.OpEquals, Value: string(vbgcapi.ESessionResultFailed)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("failed sessions:")
	for s, err := range c.Sessions.All(ctx, &vbgc.ListOptions{Filter: failed}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(" ", to.Value(s.Name))
	}
	// Output:
	// backup sessions by name:
	//   nightly-batch Success
	//   nightly-db Failed
	//   nightly-web Success
	// failed sessions:
	//   nightly-db
}

// ExampleSessionError shows a run that failed. Wait returns the final
// session together with a *SessionError, which matches ErrSessionFailed;
// a run that ended with Warning is not an error.
func ExampleSessionError() {
	ctx := context.Background()
	srv, err := vbgcfake.Start(vbgcfake.WithUser("admin", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	c, err := vbgc.NewClient(srv.URL(), vbgc.PasswordCredentials("admin", "s3cret"),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	policy, err := c.VMPolicies.Create(ctx, nightlyVMPolicy("nightly-web"))
	if err != nil {
		fmt.Println(err)
		return
	}
	srv.FailNextSession(vbgcapi.ESessionResultFailed) // the appliance's next run fails
	started, err := c.VMPolicies.Start(ctx, policy.ID)
	if err != nil {
		fmt.Println(err)
		return
	}

	session, err := c.Sessions.Wait(ctx, started.SessionID, fastPolls)
	fmt.Println("failed:", errors.Is(err, vbgc.ErrSessionFailed))
	fmt.Println("result:", session.Result)
	var sessErr *vbgc.SessionError
	if errors.As(err, &sessErr) {
		fmt.Println("message:", to.Value(sessErr.Session.Message))
	}
	// Output:
	// failed: true
	// result: Failed
	// message: the job ended Failed
}

// nightlyBackup is the code of the README's Google Cloud section: create a
// VM instance backup policy (nightlyVMPolicy builds its vbgcapi.PolicySpecV2,
// see ExampleVMPoliciesService_Create), run it, wait for its session, and
// list the backup sessions, newest first.
func nightlyBackup(ctx context.Context, c *vbgc.Client) error {
	policy, err := c.VMPolicies.Create(ctx, nightlyVMPolicy("nightly-web"))
	if err != nil {
		return err
	}
	started, err := c.VMPolicies.Start(ctx, policy.ID)
	if err != nil {
		return err
	}
	session, err := c.Sessions.Wait(ctx, started.SessionID, nil) // growing pauses; ctx bounds the wait
	if errors.Is(err, vbgc.ErrSessionFailed) {
		return fmt.Errorf("policy %s: its session ended %s", policy.Name, session.Result)
	}
	if err != nil {
		return err
	}

	backups, err := vbgc.Filter(vbgc.Condition{Property: "sessionType", Operator: vbgc.OpEquals, Value: "PolicyBackup"})
	if err != nil {
		return err
	}
	newestFirst, err := vbgc.OrderBy(vbgc.Order{Property: "creationTimeUtc", Descending: true})
	if err != nil {
		return err
	}
	for s, err := range c.Sessions.All(ctx, &vbgc.ListOptions{Filter: backups, OrderBy: newestFirst}) {
		if err != nil {
			return err
		}
		fmt.Println(to.Value(s.Name), s.Status, s.Result)
	}
	return nil
}

// Example_nightlyBackup runs nightlyBackup against a fake whose sessions
// end at their first read.
func Example_nightlyBackup() {
	ctx := context.Background()
	srv, err := vbgcfake.Start(vbgcfake.WithUser("admin", "s3cret"), vbgcfake.WithSessionSteps(1))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	c, err := vbgc.NewClient(srv.URL(), vbgc.PasswordCredentials("admin", "s3cret"),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = c.Logout(ctx) }()

	if err := nightlyBackup(ctx, c); err != nil {
		fmt.Println(err)
	}
	// Output:
	// nightly-web Stopped Success
}

// ExampleFilter builds the filter and orderby parameters of a list from
// typed conditions and orders. Give them to ListOptions as Filter and
// OrderBy (ExampleSessionsService_All runs such a list).
func ExampleFilter() {
	filter, err := vbgc.Filter(
		vbgc.Condition{Property: "sessionType", Operator: vbgc.OpEquals, Value: "PolicyBackup"},
		vbgc.Condition{Property: "name", Operator: vbgc.OpContains, Value: "web", IgnoreCase: true},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	newestFirst, err := vbgc.OrderBy(vbgc.Order{Property: "creationTimeUtc", Descending: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	opts := &vbgc.ListOptions{
		Filter:  filter,
		OrderBy: newestFirst,
		Limit:   50, // page size: 0 lets the server choose for a page method, means 100 for All
	}
	fmt.Println("filter=" + opts.Filter)
	fmt.Println("orderby=" + opts.OrderBy)

	_, err = vbgc.Filter(vbgc.Condition{Property: "name", Value: "web"})
	fmt.Println(err)
	// Output:
	// filter=[{"property":"sessionType","operator":"equals","ignorecase":"false","value":"PolicyBackup"},{"property":"name","operator":"contains","ignorecase":"true","value":"web"}]
	// orderby=[{"property":"creationTimeUtc","direction":"DESC"}]
	// vbgc: filter condition 0 needs a property and an operator
}

// ExampleClient_AuthorizationCode hands a login to another process without
// the password: a logged-in client asks for a one-time authorization code,
// and another client logs in with it.
func ExampleClient_AuthorizationCode() {
	ctx := context.Background()
	srv, err := vbgcfake.Start(vbgcfake.WithUser("admin", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	c, err := vbgc.NewClient(srv.URL(), vbgc.PasswordCredentials("admin", "s3cret"),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}

	code, err := c.AuthorizationCode(ctx) // POST /api/v1/token/authorization_code
	if err != nil {
		fmt.Println(err)
		return
	}
	// Hand the code to the other process, which logs in with it:
	other, err := vbgc.NewClient(srv.URL(), vbgc.AuthorizationCodeCredentials(code),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := other.Login(ctx); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("grants:", srv.Tokens.Requests())
	// Output:
	// grants: map[authorization_code:1 password:1]
}

// ExamplePasswordCredentials_shortTermRefresh asks the appliance for a
// refresh token that lives 60 minutes (use_short_term_refresh=true on the
// password grant). Once it lapses, the client logs in again with the
// password, and the MFA callback is asked for a code again.
func ExamplePasswordCredentials_shortTermRefresh() {
	ctx := context.Background()
	srv, err := vbgcfake.Start(vbgcfake.WithUser("admin", "s3cret"), vbgcfake.WithMFA("135790"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	promptTOTP := func(context.Context) (string, error) { return "135790", nil }

	creds := vbgc.PasswordCredentials("admin", "s3cret", auth.WithShortTermRefresh(), auth.WithMFA(promptTOTP))
	c, err := vbgc.NewClient(srv.URL(), creds, option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	tok, err := c.Token(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("refresh token:", tok.RefreshToken != "")
	fmt.Println("grants:", srv.Tokens.Requests())
	// Output:
	// refresh token: true
	// grants: map[mfa:1 password:1]
}

// ExampleVMRestorePointsService_RestoreInstance restores a VM instance from
// its latest restore point as a new instance and waits for the restore
// session to end. A backup policy run creates the restore point.
func ExampleVMRestorePointsService_RestoreInstance() {
	ctx := context.Background()
	srv, err := vbgcfake.Start(vbgcfake.WithUser("admin", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	c, err := vbgc.NewClient(srv.URL(), vbgc.PasswordCredentials("admin", "s3cret"),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}

	// The instance to protect, and a policy that selects it by id.
	instances, err := c.VMInstances.List(ctx, nil)
	if err != nil || len(instances.Data) == 0 {
		fmt.Println("no instance", err)
		return
	}
	vm := instances.Data[0]
	spec := nightlyVMPolicy("protect-" + vm.Name)
	spec.SourceOptions.SelectedItems = []vbgcapi.VMPolicySelectedItemModel{{Type: vbgcapi.EPolicyItemTypeInstance, ID: &vm.ID}}
	policy, err := c.VMPolicies.Create(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	run, err := c.VMPolicies.Start(ctx, policy.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := c.Sessions.Wait(ctx, run.SessionID, fastPolls); err != nil {
		fmt.Println(err)
		return
	}

	// The newest restore point of the instance.
	points, err := c.VMInstances.RestorePoints(ctx, vm.ID, &vbgc.ListOptions{
		OrderBy: `[{"property":"creationTime","direction":"DESC"}]`, Limit: 1})
	if err != nil || len(points.Data) == 0 {
		fmt.Println("no restore point", err)
		return
	}
	rp := points.Data[0]
	fmt.Println("restore point:", rp.Type, "of", to.Value(rp.InstanceName))

	started, err := c.VMRestorePoints.RestoreInstance(ctx, rp.ID, vbgcapi.VMInstanceRestoreSpec{
		Target: vbgcapi.ERestoreTargetNew, Name: to.Ptr(vm.Name + "-restored"), PowerOn: to.Ptr(true)})
	if err != nil {
		fmt.Println(err)
		return
	}
	session, err := c.Sessions.Wait(ctx, started.SessionID, fastPolls)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(session.SessionType, session.Result)
	// Output:
	// restore point: Snapshot of dept-gc475akr1
	// Restore Success
}
