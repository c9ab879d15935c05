package vbem_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"reflect"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/vbemfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbem"
)

// The examples run against vbemfake, an in-memory Enterprise Manager with a
// self-signed certificate, seeded with the account vbemfake.SeedAccountName
// and two backup servers that hold one encryption password each. Against a
// real server, give NewClient its address ("https://em.example.com:9398")
// and the file of its certificate instead.

// startFake starts an Enterprise Manager fake that knows one user.
func startFake() *vbemfake.Server {
	srv, err := vbemfake.Start(vbemfake.WithUser(`CORP\backup-admin`, "s3cret"))
	if err != nil {
		log.Fatal(err)
	}
	// The fake checks every request and answer against the API's spec.
	srv.OnViolation(func(err error) { log.Fatalf("spec violation: %v", err) })
	return srv
}

// newClient returns a JSON client for the fake that trusts its certificate.
func newClient(srv *vbemfake.Server, opts ...option.Option) *vbem.Client {
	c, err := vbem.NewClient(srv.URL(), vbem.BasicCredentials(`CORP\backup-admin`, "s3cret"),
		append([]option.Option{option.WithCACert(srv.CACertPEM())}, opts...)...)
	if err != nil {
		log.Fatal(err)
	}
	return c
}

// Enterprise Manager generates a self-signed certificate at installation.
// Export it once to a PEM file and name the file with WithCACertFile: the
// client trusts it beside the system's roots, and TLS verification stays on
// (no WithInsecureSkipVerify needed).
func ExampleNewClient() {
	srv := startFake()
	defer srv.Close()

	// Stands for the PEM file exported from the Enterprise Manager server.
	dir, err := os.MkdirTemp("", "vbem-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = os.RemoveAll(dir) }()
	caFile := filepath.Join(dir, "em-ca.pem")
	if err := os.WriteFile(caFile, srv.CACertPEM(), 0o600); err != nil {
		fmt.Println(err)
		return
	}

	ctx := context.Background()
	c, err := vbem.NewClient(srv.URL(), // for example "https://em.example.com:9398"
		vbem.BasicCredentials(`CORP\backup-admin`, "s3cret"),
		option.WithCACertFile(caFile))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = c.Logout(ctx) }()

	// NewClient does not contact the server; the first call logs on.
	servers, err := c.BackupServers.List(ctx, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range servers.Refs {
		fmt.Println(to.Value(s.Name))
	}
	// Output:
	// srv01.tech.local
	// srv02.tech.local
}

// SupportedVersions reads the API root, which needs no logon, and lists the
// API versions the server offers; WithAPIVersion picks one of them.
func ExampleClient_SupportedVersions() {
	srv := startFake()
	defer srv.Close()
	ctx := context.Background()

	c := newClient(srv)
	versions, err := c.SupportedVersions(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("supported:", versions)
	fmt.Println("logons:", srv.Logons())

	// Pin the revision the code was written against.
	v16 := newClient(srv, option.WithAPIVersion("v1_6"))
	if err := v16.Login(ctx); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("logons:", srv.Logons())
	_ = v16.Logout(ctx)
	// Output:
	// supported: [v1_5 v1_6 v1_7]
	// logons: 0
	// logons: 1
}

// The client logs on once and sends the session token with every call that
// follows; Logout deletes the logon session on the server. Login is
// optional: it only moves the logon (and a wrong password) to a place of
// your choosing. Token returns the session: its ID is the SessionId that
// Logout deletes; the token itself never prints.
func ExampleClient_Login() {
	ctx := context.Background()
	srv, err := vbemfake.Start(vbemfake.WithUser(`CORP\backup-admin`, "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	c, err := vbem.NewClient(srv.URL(), // for example https://em.example.com:9398
		vbem.BasicCredentials(`CORP\backup-admin`, "s3cret"), // DOMAIN\user or user@domain
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := c.Login(ctx); err != nil { // optional: a wrong password shows up now
		fmt.Println(err)
		return
	}
	tok, err := c.Token(ctx) // the session: tok.ID is its SessionId
	if err != nil {
		fmt.Println(err)
		return
	}
	session, err := c.Sessions.Get(ctx, tok.ID) // who is logged on
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("user:", to.Value(session.UserName))
	fmt.Println(tok.TokenType)

	for range 3 {
		if _, err := c.Accounts.List(ctx); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println("logons after 3 calls:", srv.Logons())
	fmt.Println("sessions on the server:", srv.SessionCount())

	if err := c.Logout(ctx); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("sessions after logout:", srv.SessionCount())
	// Output:
	// user: CORP\backup-admin
	// X-RestSvcSessionId
	// logons after 3 calls: 1
	// sessions on the server: 1
	// sessions after logout: 0
}

// With WithXML the client asks for and sends XML (in the documented element
// order and namespace) instead of JSON. The Go values are the same either
// way, so code does not depend on the media type.
func Example_xml() {
	srv := startFake()
	defer srv.Close()
	ctx := context.Background()

	jsonClient := newClient(srv)
	xmlClient := newClient(srv, vbem.WithXML())
	defer func() { _ = jsonClient.Logout(ctx) }()
	defer func() { _ = xmlClient.Logout(ctx) }()

	fromJSON, err := jsonClient.Accounts.ListScopes(ctx, vbemfake.SeedAccountID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fromXML, err := xmlClient.Accounts.ListScopes(ctx, vbemfake.SeedAccountID)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range fromXML.EnterpriseAccountHierarchyScopes {
		fmt.Println(to.Value(s.Name), to.Value(s.Platform), to.Value(s.HierarchyObjectType), to.Value(s.State))
	}
	fmt.Println("same values:", reflect.DeepEqual(fromJSON, fromXML))
	// Output:
	// Finance VMware Folder Processed
	// same values: true
}

// A restore scope names a part of the virtual infrastructure an account may
// restore from. Creating one answers no id: list the scopes afterwards, and
// take each scope's id from its Href with ScopeID (scopes have no Id
// element).
func ExampleAccountsService_CreateScopes() {
	srv := startFake()
	defer srv.Close()
	ctx := context.Background()
	c := newClient(srv)
	defer func() { _ = c.Logout(ctx) }()

	accountID := vbemfake.SeedAccountID // or vbem.AccountID of an entry of c.Accounts.List
	task, err := c.Accounts.CreateScopes(ctx, accountID, vbemapi.HierarchyScopeItem{
		HierarchyObjRef: to.Ptr("urn:VMware:Folder:vcenter01.tech.local.group-v42"),
		ObjectName:      to.Ptr("Payroll VMs"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if task != nil { // some servers answer 202 with a task
		if _, err := c.WaitTask(ctx, task, nil); err != nil {
			fmt.Println(err)
			return
		}
	}

	scopes, err := c.Accounts.ListScopes(ctx, accountID)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range scopes.EnterpriseAccountHierarchyScopes {
		one, err := c.Accounts.GetScope(ctx, accountID, vbem.ScopeID(s))
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s on %s: %s\n", to.Value(one.Name), to.Value(one.HierarchyRootName), to.Value(one.State))
	}
	// Output:
	// Finance on vcenter01.tech.local: Processed
	// Payroll VMs on vcenter01.tech.local: Unprocessed
}

// Reads answer with the reference form (name, Href and links) unless their
// options ask for the entity. All ranges over a list, which Enterprise
// Manager sends whole in one answer; IDFromHref takes each id from its Href.
func ExampleBackupServersService_Get() {
	srv := startFake()
	defer srv.Close()
	ctx := context.Background()
	c := newClient(srv)
	defer func() { _ = c.Logout(ctx) }()

	entity := &vbem.GetBackupServerOptions{Format: vbemapi.GetBackupServerParamsFormatEntity}
	for ref, err := range c.BackupServers.All(ctx, nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		server, err := c.BackupServers.Get(ctx, vbem.IDFromHref(to.Value(ref.Href)), entity)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(to.Value(ref.Type), "->", to.Value(server.Type), to.Value(server.Name), to.Value(server.Version))
	}
	// Output:
	// BackupServerReference -> BackupServer srv01.tech.local 13.0.1.1071
	// BackupServerReference -> BackupServer srv02.tech.local 13.0.1.1071
}

// AllPasswords runs the query service page after page, following the
// server's PagingInfo, and yields the encryption password records of all
// backup servers (never the passwords themselves). Breaking out of the loop
// stops fetching.
func ExampleQueryService_AllPasswords() {
	srv := startFake()
	defer srv.Close()
	ctx := context.Background()
	c := newClient(srv)
	defer func() { _ = c.Logout(ctx) }()

	// Five more passwords beside the two seeded ones.
	for i := range 5 {
		hint := fmt.Sprintf("Offsite copy %d", i+1)
		if _, err := c.Passwords.Create(ctx, vbemfake.SeedBackupServer1ID, hint, fmt.Sprintf("secret-%d", i)); err != nil {
			fmt.Println(err)
			return
		}
	}

	before := srv.Calls()["Query"]
	for p, err := range c.Query.AllPasswords(ctx, &vbem.QueryOptions{PageSize: 3, SortAsc: "Hint"}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(to.Value(p.Hint))
	}
	fmt.Println("pages:", srv.Calls()["Query"]-before)
	// Output:
	// My password
	// Offsite copy 1
	// Offsite copy 2
	// Offsite copy 3
	// Offsite copy 4
	// Offsite copy 5
	// Tape vault key
	// pages: 3
}

// Asynchronous actions answer 202 with a Task. WaitTask polls it, with
// growing pauses, until it is Finished; a task that finished with
// Success=false gives a *vbem.TaskError that matches vbem.ErrTaskFailed.
func ExampleClient_WaitTask() {
	srv := startFake()
	defer srv.Close()
	ctx := context.Background()
	c := newClient(srv)
	defer func() { _ = c.Logout(ctx) }()

	task, err := c.Accounts.RebuildScopes(ctx, vbem.RebuildAll)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(to.Value(task.Operation), *task.State)

	ctx, cancel := context.WithTimeout(ctx, time.Minute) // bounds the wait
	defer cancel()
	done, err := c.WaitTask(ctx, task, &poll.Options{Interval: 10 * time.Millisecond})
	if errors.Is(err, vbem.ErrTaskFailed) {
		fmt.Println("failed:", to.Value(done.Result.Message))
		return
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(*done.State, "success:", *done.Result.Success)
	// Output:
	// StartRebuildScope Running
	// Finished success: true
}

// Every answer outside 2xx is an *apierr.Error with the status and
// Enterprise Manager's own Status code and message; errors.Is tests it
// against the sentinels of package apierr. An empty id fails before
// anything is sent.
func Example_errors() {
	srv := startFake()
	defer srv.Close()
	ctx := context.Background()
	c := newClient(srv)
	defer func() { _ = c.Logout(ctx) }()

	_, err := c.Accounts.Get(ctx, "00000000-0000-0000-0000-000000000000", nil)
	fmt.Println("not found:", errors.Is(err, apierr.ErrNotFound))
	var apiErr *apierr.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code)
	}

	_, err = c.Accounts.Get(ctx, "", nil)
	fmt.Println("missing id:", errors.Is(err, apierr.ErrMissingID))

	wrong, err := vbem.NewClient(srv.URL(), vbem.BasicCredentials(`CORP\backup-admin`, "wrong"),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	err = wrong.Login(ctx)
	fmt.Println("invalid credentials:", errors.Is(err, apierr.ErrInvalidCredentials))
	// Output:
	// not found: true
	// 404 NotFound
	// missing id: true
	// invalid credentials: true
}

// Example connects to Enterprise Manager in XML, lists the API versions it
// offers (without a logon) and the backup servers it manages (the first
// call logs on).
func Example() {
	ctx := context.Background()
	srv, err := vbemfake.Start(vbemfake.WithUser(`CORP\backup-admin`, "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	c, err := vbem.NewClient(srv.URL(), vbem.BasicCredentials(`CORP\backup-admin`, "s3cret"),
		option.WithCACert(srv.CACertPEM()),
		vbem.WithXML()) // optional; JSON is the default
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = c.Logout(ctx) }()

	versions, err := c.SupportedVersions(ctx) // GET /api/, needs no logon
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("API versions:", versions)
	for ref, err := range c.BackupServers.All(ctx, nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(to.Value(ref.Name))
	}
	// Output:
	// API versions: [v1_5 v1_6 v1_7]
	// srv01.tech.local
	// srv02.tech.local
}

// scopesAndPasswords is the code of the README's Enterprise Manager
// section: log on in XML, give an account a restore scope, and query the
// encryption password records page by page.
func scopesAndPasswords(ctx context.Context, endpoint, caFile, password, accountID string) error {
	c, err := vbem.NewClient(endpoint, // https://em.example.com:9398
		vbem.BasicCredentials(`CORP\backup-admin`, password),
		option.WithCACertFile(caFile), // Enterprise Manager generates a self-signed certificate
		vbem.WithXML())                // optional: JSON is the default
	if err != nil {
		return err
	}
	defer func() { _ = c.Logout(ctx) }() // DELETE /api/logonSessions/{SessionId}

	task, err := c.Accounts.CreateScopes(ctx, accountID, vbemapi.HierarchyScopeItem{
		HierarchyObjRef: to.Ptr("urn:VMware:Folder:vcenter01.tech.local.group-v42"),
		ObjectName:      to.Ptr("Payroll VMs"),
	})
	if err != nil {
		return err
	}
	if task != nil { // 202 with a Task; one that fails is a *vbem.TaskError
		if _, err := c.WaitTask(ctx, task, nil); err != nil {
			return err
		}
	}

	for p, err := range c.Query.AllPasswords(ctx, &vbem.QueryOptions{PageSize: 50, SortAsc: "Hint"}) {
		if err != nil {
			return err
		}
		fmt.Println(to.Value(p.Hint))
	}
	return nil
}

// Example_scopesAndPasswords runs scopesAndPasswords against the fake.
func Example_scopesAndPasswords() {
	srv := startFake()
	defer srv.Close()
	// Stands for the PEM file exported from the Enterprise Manager server.
	dir, err := os.MkdirTemp("", "vbem-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = os.RemoveAll(dir) }()
	caFile := filepath.Join(dir, "em-ca.pem")
	if err := os.WriteFile(caFile, srv.CACertPEM(), 0o600); err != nil {
		fmt.Println(err)
		return
	}

	if err := scopesAndPasswords(context.Background(), srv.URL(), caFile, "s3cret", vbemfake.SeedAccountID); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("sessions left:", srv.SessionCount())
	// Output:
	// My password
	// Tape vault key
	// sessions left: 0
}

// ExampleQueryService_Passwords reads one page of the query service, with a
// filter and an order. QueryPage holds the page's items and the server's
// PagingInfo.
func ExampleQueryService_Passwords() {
	srv := startFake()
	defer srv.Close()
	ctx := context.Background()
	c := newClient(srv)
	defer func() { _ = c.Logout(ctx) }()

	opts := &vbem.QueryOptions{
		// A filter: ';' is AND, ',' is OR.
		Filter:   `BackupServerName=="srv02.tech.local",Hint=="Tape vault key"`,
		SortDesc: "Hint", // or SortAsc, not both
		PageSize: 50,     // 0: the server's default for a page, DefaultPageSize (100) for the iterators
		Page:     1,      // 1-based; 0 means the first
	}
	page, err := c.Query.Passwords(ctx, opts) // AllPasswords(ctx, opts) goes on from page to page
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("page", page.PageNum, "of", page.PagesCount)
	for _, p := range page.Items {
		fmt.Println(to.Value(p.Hint)) // pointers, as in the generated vbemapi models
	}
	// Output:
	// page 1 of 1
	// Tape vault key
	// My password
}

// Start a backup job and wait for it: the start answers a task; once the
// task is finished, the session it started is the job's newest, and
// BackupSessions.Wait follows it until it stops (a failed session is a
// *vbem.SessionError matching vbem.ErrSessionFailed).
func ExampleJobsService_Start() {
	srv := startFake()
	defer srv.Close()
	c := newClient(srv)
	ctx := context.Background()
	fast := &poll.Options{Interval: time.Millisecond}

	task, err := c.Jobs.Start(ctx, vbemfake.SeedJobID)
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := c.WaitTask(ctx, task, fast); err != nil {
		fmt.Println(err)
		return
	}
	latest, err := c.Query.LatestBackupSession(ctx, vbemfake.SeedJobID)
	if err != nil {
		fmt.Println(err)
		return
	}
	session, err := c.BackupSessions.Wait(ctx, vbem.IDFromHref(*latest.Href), fast)
	if errors.Is(err, vbem.ErrSessionFailed) {
		fmt.Println("the backup failed:", err)
		return
	} else if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(*session.JobName, *session.State, *session.Result)
	// Output: DB Backup Stopped Success
}

// Restore a whole VM: find its newest restore point with the query service,
// start the restore (a task), then wait for the restore session the
// finished task links.
func ExampleVMRestorePointsService_Restore() {
	srv := startFake()
	defer srv.Close()
	c := newClient(srv)
	ctx := context.Background()
	fast := &poll.Options{Interval: time.Millisecond}

	// A backup first, so that there is something to restore.
	task, err := c.Jobs.Start(ctx, vbemfake.SeedJobID)
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := c.WaitTask(ctx, task, fast); err != nil {
		fmt.Println(err)
		return
	}
	latest, err := c.Query.LatestBackupSession(ctx, vbemfake.SeedJobID)
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := c.BackupSessions.Wait(ctx, vbem.IDFromHref(*latest.Href), fast); err != nil {
		fmt.Println(err)
		return
	}

	points, err := c.Query.VMRestorePoints(ctx, &vbem.QueryOptions{Filter: "VmDisplayName==sqlsrv01", SortDesc: "CreationTime", PageSize: 1})
	if err != nil || len(points.Items) == 0 {
		fmt.Println("no restore point:", err)
		return
	}
	point := points.Items[0]
	task, err = c.VMRestorePoints.Restore(ctx, vbem.IDFromHref(*point.Href), vbemapi.RestoreSpec{
		VMRestoreSpec: vbemapi.VMRestoreSpecInfo{PowerOnAfterRestore: true, QuickRollback: to.Ptr(false)}})
	if err != nil {
		fmt.Println(err)
		return
	}
	done, err := c.WaitTask(ctx, task, fast)
	if err != nil {
		fmt.Println(err)
		return
	}
	restore, err := c.RestoreSessions.Wait(ctx, vbem.RelatedID(done), fast)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(*point.VMName, *point.PointType, *restore.State, *restore.Result)
	// Output: sqlsrv01 Full Stopped Success
}
