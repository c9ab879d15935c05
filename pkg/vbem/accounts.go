package vbem

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
)

// AccountsService covers accounts and their restore scopes
// (/api/security/accounts).
type AccountsService struct{ service }

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

// Security returns the security entry point (GET /api/security): links to
// the accounts and to the rebuildScope action.
func (s *AccountsService) Security(ctx context.Context) (*vbemapi.EnterpriseSecuritySettings, error) {
	resp, err := s.api.GetSecurity(ctx, s.accept())
	return decodeAs[vbemapi.EnterpriseSecuritySettings](resp, err)
}

// List returns the accounts that hold Enterprise Manager roles, as
// references (use Get with entity=true for the details).
func (s *AccountsService) List(ctx context.Context) (*vbemapi.EnterpriseAccounts, error) {
	resp, err := s.api.GetAccounts(ctx, s.accept())
	return decodeAs[vbemapi.EnterpriseAccounts](resp, err)
}

// Create adds a user or group account with its roles and, optionally, its
// restore scope (POST /api/security/accounts, XML root
// EnterpriseAccountCreateSpec). A 201 answer gives the account when the
// server sends it (nil otherwise); a 202 answer gives the Task instead.
func (s *AccountsService) Create(ctx context.Context, spec vbemapi.EnterpriseAccountCreateSpec) (*vbemapi.EnterpriseAccount, *vbemapi.Task, error) {
	ct, body, err := s.body("EnterpriseAccountCreateSpec", spec)
	if err != nil {
		return nil, nil, err
	}
	resp, err := s.api.PostAccountsWithBody(ctx, nil, ct, body, s.accept())
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode == http.StatusAccepted {
		task, err := decodeAs[vbemapi.Task](resp, nil)
		return nil, task, err
	}
	account, err := decodeAs[vbemapi.EnterpriseAccount](resp, nil)
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
	ct, body, err := s.body("RebuildScopeJobSpec", spec)
	if err != nil {
		return nil, err
	}
	action := vbemapi.PostAccountsParamsActionRebuildScope
	resp, err := s.api.PostAccountsWithBody(ctx, &vbemapi.PostAccountsParams{Action: &action}, ct, body, s.accept())
	return decodeAs[vbemapi.Task](resp, err)
}

// Get returns an account. Without entity the server sends the reference
// form (Name, UID, Href, Links); with entity (?format=Entity) the account
// with its type, roles and restore settings.
func (s *AccountsService) Get(ctx context.Context, accountID string, entity bool) (*vbemapi.EnterpriseAccount, error) {
	if err := requireIDs(accountID); err != nil {
		return nil, err
	}
	var params vbemapi.GetAccountParams
	if entity {
		format := vbemapi.GetAccountParamsFormatEntity
		params.Format = &format
	}
	resp, err := s.api.GetAccount(ctx, accountID, &params, s.accept())
	return decodeAs[vbemapi.EnterpriseAccount](resp, err)
}

// ToggleRestoreScopes switches the account's "Restore scope: All virtual
// machines" option (AllowRestoreAllVMs) on or off, whichever it is not.
func (s *AccountsService) ToggleRestoreScopes(ctx context.Context, accountID string) error {
	if err := requireIDs(accountID); err != nil {
		return err
	}
	resp, err := s.api.ToggleAccountRestoreScopes(ctx, accountID, s.accept())
	return noContent(resp, err)
}

// Delete removes an account.
func (s *AccountsService) Delete(ctx context.Context, accountID string) error {
	if err := requireIDs(accountID); err != nil {
		return err
	}
	resp, err := s.api.DeleteAccount(ctx, accountID, s.accept())
	return noContent(resp, err)
}

// ListScopes returns the restore scopes of an account; ScopeID gives the id
// of each.
func (s *AccountsService) ListScopes(ctx context.Context, accountID string) (*vbemapi.EnterpriseAccountHierarchyScopes, error) {
	if err := requireIDs(accountID); err != nil {
		return nil, err
	}
	resp, err := s.api.GetAccountScopes(ctx, accountID, s.accept())
	return decodeAs[vbemapi.EnterpriseAccountHierarchyScopes](resp, err)
}

// CreateScopes assigns one or more restore scopes to an account (XML root
// HierarchyScopeCreateSpec). The answer (201, 202 or 204) names no scope:
// list the scopes afterwards. The Task is nil unless the server sent one.
func (s *AccountsService) CreateScopes(ctx context.Context, accountID string, items ...vbemapi.HierarchyScopeItem) (*vbemapi.Task, error) {
	if err := requireIDs(accountID); err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, ErrNoScopeItems
	}
	ct, body, err := s.body("HierarchyScopeCreateSpec", vbemapi.HierarchyScopeCreateSpec{HierarchyScopeItems: items})
	if err != nil {
		return nil, err
	}
	resp, err := s.api.CreateAccountScopesWithBody(ctx, accountID, ct, body, s.accept())
	return decodeAs[vbemapi.Task](resp, err)
}

// GetScope returns one restore scope of an account.
func (s *AccountsService) GetScope(ctx context.Context, accountID, scopeID string) (*vbemapi.EnterpriseAccountHierarchyScope, error) {
	if err := requireIDs(accountID, scopeID); err != nil {
		return nil, err
	}
	resp, err := s.api.GetAccountScope(ctx, accountID, scopeID, s.accept())
	return decodeAs[vbemapi.EnterpriseAccountHierarchyScope](resp, err)
}

// DeleteScope removes a restore scope from an account. The Task is nil
// unless the server answered 202 with one.
func (s *AccountsService) DeleteScope(ctx context.Context, accountID, scopeID string) (*vbemapi.Task, error) {
	if err := requireIDs(accountID, scopeID); err != nil {
		return nil, err
	}
	resp, err := s.api.DeleteAccountScope(ctx, accountID, scopeID, s.accept())
	return decodeAs[vbemapi.Task](resp, err)
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
