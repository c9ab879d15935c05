// Command vbem-scopes shows the Veeam Backup Enterprise Manager client: log
// on, find an account, assign a restore scope, list scopes, create an
// encryption password, query passwords page by page, and log off. It speaks
// XML when run with -xml, JSON otherwise; the Go values are the same.
//
// It runs against the built-in fake Enterprise Manager; set VBEM_URL,
// VBEM_USER and VBEM_PASSWORD (and VBEM_CA_FILE) to run it against a real
// one.
//
//	go run ./examples/vbem-scopes [-xml]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake/vbemfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbem"
)

func main() {
	useXML := flag.Bool("xml", false, "speak XML instead of JSON")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	err := run(ctx, *useXML)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "vbem-scopes:", err)
		os.Exit(1)
	}
}

func connect(useXML bool) (*vbem.Client, func(), error) {
	var opts []option.Option
	if useXML {
		opts = append(opts, vbem.WithXML())
	}
	if url := os.Getenv("VBEM_URL"); url != "" {
		if ca := os.Getenv("VBEM_CA_FILE"); ca != "" {
			opts = append(opts, option.WithCACertFile(ca))
		}
		c, err := vbem.NewClient(url, vbem.BasicCredentials(os.Getenv("VBEM_USER"), os.Getenv("VBEM_PASSWORD")), opts...)
		return c, func() {}, err
	}
	srv, err := vbemfake.Start(vbemfake.WithUser(`CORP\admin`, "demo-password"))
	if err != nil {
		return nil, nil, err
	}
	fmt.Println("fake Enterprise Manager at", srv.URL())
	c, err := vbem.NewClient(srv.URL(), vbem.BasicCredentials(`CORP\admin`, "demo-password"), append(opts, option.WithCACert(srv.CACertPEM()))...)
	return c, srv.Close, err
}

func run(ctx context.Context, useXML bool) error {
	c, done, err := connect(useXML)
	if err != nil {
		return err
	}
	defer done()

	versions, err := c.SupportedVersions(ctx)
	if err != nil {
		return fmt.Errorf("discover: %w", err)
	}
	fmt.Println("API versions:", versions)
	if err := c.Login(ctx); err != nil {
		return fmt.Errorf("logon: %w", err)
	}
	// The token's ID is the logon session's SessionId; the token itself
	// never prints.
	tok, err := c.Token(ctx)
	if err != nil {
		return fmt.Errorf("logon: %w", err)
	}
	session, err := c.Sessions.Get(ctx, tok.ID)
	if err != nil {
		return fmt.Errorf("read logon session: %w", err)
	}
	fmt.Printf("logged on as %s (session %s)\n", to.Value(session.UserName), tok.ID)
	defer func() {
		if err := c.Logout(ctx); err == nil {
			fmt.Println("logged off")
		}
	}()

	accounts, err := c.Accounts.List(ctx)
	if err != nil {
		return fmt.Errorf("list accounts: %w", err)
	}
	refs := accounts.Refs
	if len(refs) == 0 {
		return fmt.Errorf("no account holds an Enterprise Manager role")
	}
	account := refs[0]
	accountID := vbem.IDFromHref(to.Value(account.Href))
	fmt.Printf("account %s (%s)\n", to.Value(account.Name), accountID)

	task, err := c.Accounts.CreateScopes(ctx, accountID, vbemapi.HierarchyScopeItem{
		HierarchyObjRef: to.Ptr("urn:VMware:Folder:vcenter01.tech.local.group-v42"), ObjectName: to.Ptr("Finance VMs"),
	})
	if err != nil {
		return fmt.Errorf("assign a restore scope: %w", err)
	}
	if task != nil {
		if _, err := c.WaitTask(ctx, task, nil); err != nil {
			return err
		}
	}
	scopes, err := c.Accounts.ListScopes(ctx, accountID)
	if err != nil {
		return fmt.Errorf("list scopes: %w", err)
	}
	fmt.Println("restore scopes:")
	for _, s := range scopes.EnterpriseAccountHierarchyScopes {
		fmt.Printf("  %-14s %-8s %-10s id %s\n", to.Value(s.Name), to.Value(s.Platform), to.Value(s.State), vbem.ScopeID(s))
	}

	servers, err := c.BackupServers.List(ctx, nil)
	if err != nil {
		return fmt.Errorf("list backup servers: %w", err)
	}
	server := servers.Refs[0]
	serverID := vbem.IDFromHref(to.Value(server.Href))
	for i := range 7 {
		if _, err := c.Passwords.Create(ctx, serverID, fmt.Sprintf("tape vault %d", i), fmt.Sprintf("demo-secret-%d", i)); err != nil {
			return fmt.Errorf("create a password: %w", err)
		}
	}
	fmt.Printf("created 7 encryption passwords on %s\n", to.Value(server.Name))

	fmt.Println("passwords, 3 a page, by hint:")
	for p, err := range c.Query.AllPasswords(ctx, &vbem.QueryOptions{PageSize: 3, SortAsc: "Hint"}) {
		if err != nil {
			return fmt.Errorf("query passwords: %w", err)
		}
		fmt.Printf("  %-16s %s\n", to.Value(p.Hint), to.Value(p.ID))
	}
	return nil
}
