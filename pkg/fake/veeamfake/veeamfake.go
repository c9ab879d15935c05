package veeamfake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/backupsdk/backupsdk/pkg/fake"
)

// Tokens issues and checks tokens. The zero value is not usable; use
// NewTokens.
type Tokens struct {
	// TTL is the access token lifetime; RefreshTTL the refresh token's.
	TTL, RefreshTTL time.Duration
	// Now replaces time.Now.
	Now func() time.Time
	// WriteError writes errors; WriteError (problem+json) by default.
	WriteError fake.ErrorWriter

	mu       sync.Mutex
	users    map[string]string
	mfaCode  string
	mfa      map[string]string // mfa_token -> user
	access   map[string]grant
	refresh  map[string]grant
	codes    map[string]string // authorization code -> user
	requests map[string]int    // grant_type -> count
}

type grant struct {
	user    string
	expires time.Time
}

// NewTokens returns a token issuer knowing one user.
func NewTokens(user, password string) *Tokens {
	return &Tokens{
		TTL: time.Hour, RefreshTTL: 2 * time.Hour, Now: time.Now, WriteError: WriteError,
		users: map[string]string{user: password}, mfa: map[string]string{},
		access: map[string]grant{}, refresh: map[string]grant{}, codes: map[string]string{},
		requests: map[string]int{},
	}
}

// AddUser adds a user.
func (t *Tokens) AddUser(user, password string) {
	t.mu.Lock()
	t.users[user] = password
	t.mu.Unlock()
}

// RequireMFA makes password logins answer 202 and expect code.
func (t *Tokens) RequireMFA(code string) {
	t.mu.Lock()
	t.mfaCode = code
	t.mu.Unlock()
}

// IssueAuthorizationCode returns a one-time code for user.
func (t *Tokens) IssueAuthorizationCode(user string) string {
	c := randomToken()
	t.mu.Lock()
	t.codes[c] = user
	t.mu.Unlock()
	return c
}

// ExpireAll makes every access token issued so far expire now (refresh
// tokens stay valid).
func (t *Tokens) ExpireAll() {
	t.mu.Lock()
	for k, g := range t.access {
		g.expires = t.Now().Add(-time.Second)
		t.access[k] = g
	}
	t.mu.Unlock()
}

// RevokeRefreshTokens makes every refresh token invalid.
func (t *Tokens) RevokeRefreshTokens() {
	t.mu.Lock()
	t.refresh = map[string]grant{}
	t.mu.Unlock()
}

// Requests returns how many token requests each grant type received.
func (t *Tokens) Requests() map[string]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := map[string]int{}
	for k, v := range t.requests {
		out[k] = v
	}
	return out
}

// Authenticate is a fake.Authenticator for "Authorization: Bearer".
func (t *Tokens) Authenticate(r *http.Request) (any, error) {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || tok == "" {
		return nil, fake.ErrUnauthenticated
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	g, ok := t.access[tok]
	if !ok || !t.Now().Before(g.expires) {
		return nil, errors.New("the access token is invalid or expired")
	}
	return g.user, nil
}

// HandleToken serves POST /api/v1/token.
func (t *Tokens) HandleToken(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	if err := r.ParseForm(); err != nil {
		t.WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "malformed form")
		return
	}
	f := r.PostForm
	t.mu.Lock()
	defer t.mu.Unlock()
	gt := f.Get("grant_type")
	t.requests[gt]++
	now := t.Now()
	var user string
	switch gt {
	case "password":
		pw, ok := t.users[f.Get("username")]
		if !ok || pw != f.Get("password") {
			t.WriteError(w, r, http.StatusUnauthorized, "AccessDenied", "invalid user name or password")
			return
		}
		user = f.Get("username")
		if t.mfaCode != "" {
			mt := randomToken()
			t.mfa[mt] = user
			writeJSON(w, http.StatusAccepted, map[string]any{"mfa_token": mt, "mfa_enabled": true, "username": user})
			return
		}
	case "mfa":
		u, ok := t.mfa[f.Get("mfa_token")]
		if !ok || f.Get("mfa_code") != t.mfaCode {
			t.WriteError(w, r, http.StatusUnauthorized, "AccessDenied", "invalid MFA token or code")
			return
		}
		delete(t.mfa, f.Get("mfa_token"))
		user = u
	case "refresh_token":
		g, ok := t.refresh[f.Get("refresh_token")]
		if !ok || !now.Before(g.expires) {
			t.WriteError(w, r, http.StatusBadRequest, "InvalidToken", "the refresh token is invalid or expired")
			return
		}
		delete(t.refresh, f.Get("refresh_token"))
		user = g.user
	case "authorization_code":
		u, ok := t.codes[f.Get("code")]
		if !ok {
			t.WriteError(w, r, http.StatusBadRequest, "InvalidToken", "invalid authorization code")
			return
		}
		delete(t.codes, f.Get("code"))
		user = u
	default:
		t.WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "unsupported grant_type")
		return
	}
	access, refresh := randomToken(), randomToken()
	t.access[access] = grant{user: user, expires: now.Add(t.TTL)}
	t.refresh[refresh] = grant{user: user, expires: now.Add(t.RefreshTTL)}
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": access, "token_type": "bearer", "refresh_token": refresh,
		"expires_in": int(t.TTL / time.Second), ".issued": now.UTC().Format(time.RFC3339),
		".expires": now.Add(t.TTL).UTC().Format(time.RFC3339), "username": user,
		"roleName": "Portal Administrator", "mfa_enabled": t.mfaCode != "",
	})
}

// HandleLogout serves DELETE /api/v1/token: it revokes the bearer token.
func (t *Tokens) HandleLogout(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	t.mu.Lock()
	delete(t.access, tok)
	t.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// WriteError writes the Veeam problem body as application/problem+json
// (Veeam Backup for AWS). It is a fake.ErrorWriter.
func WriteError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	writeProblem(w, r, "application/problem+json", status, code, message)
}

// WriteJSONError writes the same body as application/json (Veeam Backup for
// Google Cloud).
func WriteJSONError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	writeProblem(w, r, "application/json", status, code, message)
}

func writeProblem(w http.ResponseWriter, _ *http.Request, contentType string, status int, code, message string) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"type": "https://helpcenter.veeam.com/docs/errors/" + code, "title": http.StatusText(status),
		"status": status, "errorCode": code, "details": message,
	})
}

// WriteJSON writes v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) { writeJSON(w, status, v) }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
