package vbem

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/internal/svc"
)

// The calls of this file are written by hand: POST /api/security/accounts
// is two calls in one (add an account, or ?action=rebuildScope), each with
// its own XML root, answered 201 with the account or 202 with a Task; the
// scope create takes its items as arguments and names no scope.

// RebuildScopeKind says which restore scopes RebuildScopes rebuilds: it
// names the one empty child of RebuildScopeJobSpec.
type RebuildScopeKind string

// The kinds of restore-scope rebuild.
const (
	// RebuildAll rebuilds the restore scopes of every account.
	RebuildAll RebuildScopeKind = "RebuildAll"
	// RebuildUnprocessed rebuilds only the scopes not processed yet.
	RebuildUnprocessed RebuildScopeKind = "RebuildUnprocessed"
	// RebuildForCurrentUser rebuilds the scopes of the logged-on account.
	RebuildForCurrentUser RebuildScopeKind = "RebuildForCurrentUser"
)

// ErrNoScopeItems is returned, before any request, by CreateScopes without
// items.
var ErrNoScopeItems = errors.New("vbem: no restore scope items")

// Create adds a user or group account with its roles and, optionally, its
// restore scope (POST /api/security/accounts, XML root
// EnterpriseAccountCreateSpec). A 201 answer gives the account when the
// server sends it (nil otherwise); a 202 answer gives the Task instead.
func (s *AccountsService) Create(ctx context.Context, spec vbemapi.EnterpriseAccountCreateSpec) (*vbemapi.EnterpriseAccount, *vbemapi.Task, error) {
	ct, body, err := s.c.Encode("PostAccounts", spec)
	if err != nil {
		return nil, nil, err
	}
	resp, err := s.c.api.PostAccountsWithBody(ctx, nil, ct, body)
	if err == nil && resp.StatusCode == http.StatusAccepted {
		task, err := svc.Optional[vbemapi.Task](&s.c.Core, resp, nil)
		return nil, task, err
	}
	account, err := svc.Optional[vbemapi.EnterpriseAccount](&s.c.Core, resp, err)
	return account, nil, err
}

// RebuildScopes rebuilds restore scopes asynchronously (POST
// /api/security/accounts?action=rebuildScope, XML root RebuildScopeJobSpec
// with the one empty child kind names) and returns the Task of a 201 or 202
// answer (nil when the answer has no body); WaitTask waits for it.
func (s *AccountsService) RebuildScopes(ctx context.Context, kind RebuildScopeKind) (*vbemapi.Task, error) {
	var spec vbemapi.RebuildScopeJobSpec
	switch kind {
	case RebuildAll:
		spec.RebuildAll = &vbemapi.EmptyElement{}
	case RebuildUnprocessed:
		spec.RebuildUnprocessed = &vbemapi.EmptyElement{}
	case RebuildForCurrentUser:
		spec.RebuildForCurrentUser = &vbemapi.EmptyElement{}
	default:
		return nil, fmt.Errorf("vbem: unknown restore scope rebuild %q", kind)
	}
	ct, body, err := s.c.Encode("PostAccounts", spec)
	if err != nil {
		return nil, err
	}
	action := vbemapi.PostAccountsParamsActionRebuildScope
	resp, err := s.c.api.PostAccountsWithBody(ctx, &vbemapi.PostAccountsParams{Action: &action}, ct, body)
	return svc.Optional[vbemapi.Task](&s.c.Core, resp, err)
}

// CreateScopes assigns one or more restore scopes to an account (XML root
// HierarchyScopeCreateSpec). The answer (201, 202 or 204) names no scope:
// list the scopes afterwards. The Task is nil unless the server sent one.
func (s *AccountsService) CreateScopes(ctx context.Context, accountID string, items ...vbemapi.HierarchyScopeItem) (*vbemapi.Task, error) {
	if accountID == "" {
		return nil, s.c.MissingID("account ID")
	}
	if len(items) == 0 {
		return nil, ErrNoScopeItems
	}
	ct, body, err := s.c.Encode("CreateAccountScopes", vbemapi.HierarchyScopeCreateSpec{HierarchyScopeItems: items})
	if err != nil {
		return nil, err
	}
	resp, err := s.c.api.CreateAccountScopesWithBody(ctx, accountID, ct, body)
	return svc.Optional[vbemapi.Task](&s.c.Core, resp, err)
}

// ScopeID returns the id of a restore scope, the last path segment of its
// Href (scopes have no Id element); "" when there is no Href.
func ScopeID(scope vbemapi.EnterpriseAccountHierarchyScope) string {
	if scope.Href == nil {
		return ""
	}
	return IDFromHref(*scope.Href)
}

// AccountID returns the id of an account from its Href (reference or
// entity form), for Get, Delete and the scope calls.
func AccountID(account vbemapi.EnterpriseAccount) string {
	if account.Href == nil {
		return ""
	}
	return IDFromHref(*account.Href)
}
