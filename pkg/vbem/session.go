package vbem

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
	"github.com/backupsdk/backupsdk/pkg/transport"

	"github.com/backupsdk/backupsdk/pkg/internal/redacted"
)

// SessionHeader carries the logon session token on every call.
const SessionHeader = "X-RestSvcSessionId"

// IdleTimeout is how long Enterprise Manager keeps an unused logon session.
const IdleTimeout = 15 * time.Minute

// BasicCredentials logs on with a user (DOMAIN\user or user@domain) that
// holds the Portal Administrator, Portal User or Restore Operator role. The
// user name and password go, as Basic authentication, to the logon request
// only; the token it obtains is the X-RestSvcSessionId of the logon session,
// with the session's SessionId as its ID. It works with vbem.NewClient only.
func BasicCredentials(username, password string) auth.Credential {
	return &basicCredentials{username: username, password: password,
		Text: redacted.Text("Credentials{user=" + username + " password=[REDACTED]}")}
}

type basicCredentials struct {
	redacted.Text
	username, password string
}

// GetToken creates a logon session at req.Endpoint with req.APIVersion.
func (c *basicCredentials) GetToken(ctx context.Context, req auth.TokenRequest) (auth.Token, error) {
	if err := c.Validate(); err != nil {
		return auth.Token{}, err
	}
	m := &sessions{server: strings.TrimRight(req.Endpoint, "/"), version: req.APIVersion, hc: req.HTTPClient}
	if m.hc == nil {
		m.hc = http.DefaultClient
	}
	if m.version == "" {
		m.version = DefaultVersion
	}
	return m.logon(ctx, c)
}

// ValidFor accepts Enterprise Manager only: no other product has its logon.
func (c *basicCredentials) ValidFor(product string) error {
	if product == "vbem" {
		return nil
	}
	return fmt.Errorf("vbem.BasicCredentials work with vbem only, not with %s", product)
}

// Validate refuses an empty user name or password before any request.
func (c *basicCredentials) Validate() error {
	if c.username == "" || c.password == "" {
		return errors.New("vbem.BasicCredentials need a user name and a password")
	}
	return nil
}

// logonBody is the LogonSession answer, in either media type.
type logonBody struct {
	UserName  string `json:"UserName" xml:"UserName"`
	SessionID string `json:"SessionId" xml:"SessionId"`
}

// sessions logs on and off over the bare pipeline.
type sessions struct {
	server  string
	version string
	// accept is the client's media type, for the logoff.
	accept string
	hc     *http.Client
}

// logon creates a logon session (POST /api/sessionMngr/?v=...). Basic
// credentials go to this call only. The client's pipeline sets Accept to
// its media type.
func (m *sessions) logon(ctx context.Context, c *basicCredentials) (auth.Token, error) {
	u := m.server + "/api/sessionMngr/?v=" + url.QueryEscape(m.version)
	// Sent once, even for a call marked WithRetrySafe: the logon carries the
	// password, and repeated failures can lock the account.
	req, err := http.NewRequestWithContext(transport.WithoutRetry(ctx), http.MethodPost, u, nil)
	if err != nil {
		return auth.Token{}, fmt.Errorf("vbem: logon: %w", err)
	}
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(c.username+":"+c.password)))
	resp, err := m.hc.Do(req)
	if err != nil {
		return auth.Token{}, fmt.Errorf("vbem: logon: %w", err)
	}
	defer drainClose(resp)
	if err := apierr.CheckResponse(resp, decodeError); err != nil {
		var ae *apierr.Error
		// Only Enterprise Manager's own Error element refuses the
		// credentials; a 401 page from a proxy in front of it has not
		// judged them.
		if errors.As(err, &ae) && ae.StatusCode == http.StatusUnauthorized && (ae.Message != "" || ae.Code != "") {
			ae.Err = apierr.ErrInvalidCredentials
		}
		return auth.Token{}, err
	}
	token := resp.Header.Get(SessionHeader)
	if token == "" {
		return auth.Token{}, fmt.Errorf("vbem: logon answered without %s: %w", SessionHeader, apierr.ErrUnexpectedResponse)
	}
	var body logonBody
	if err := decodeBody(resp, &body); err != nil {
		return auth.Token{}, respond.BodyError(resp, err)
	}
	return auth.Token{AccessToken: token, TokenType: SessionHeader, ID: body.SessionID}, nil
}

// logoff deletes the logon session (DELETE /api/logonSessions/{SessionId}).
func (m *sessions) logoff(ctx context.Context, t auth.Token) error {
	if t.ID == "" {
		return errors.New("vbem: the token carries no logon SessionId (Token.ID), so the session cannot be deleted")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, m.server+"/api/logonSessions/"+url.PathEscape(t.ID), nil)
	if err != nil {
		return fmt.Errorf("vbem: logout: %w", err)
	}
	req.Header.Set(SessionHeader, t.AccessToken)
	if m.accept != "" {
		req.Header.Set("Accept", m.accept)
	}
	resp, err := m.hc.Do(req)
	if err != nil {
		return fmt.Errorf("vbem: logout: %w", err)
	}
	defer drainClose(resp)
	return apierr.CheckResponse(resp, decodeError)
}

// cacheOptions keep one logon session for the client: one logon however
// many goroutines start at once, and a new one after 15 idle minutes or a
// 401.
func cacheOptions(opts auth.CacheOptions) auth.CacheOptions {
	if opts.IdleTimeout == 0 {
		// Log on again a little before the server forgets the session.
		opts.IdleTimeout = IdleTimeout - 30*time.Second
	}
	return opts
}

// sendSession sends the session token, and only that: never the
// credentials, never a cookie.
func sendSession(req *http.Request, t auth.Token) {
	req.Header.Set(SessionHeader, t.AccessToken)
	req.Header.Del("Cookie")
}

// decodeBody decodes a JSON or XML answer by its Content-Type.
func decodeBody(resp *http.Response, v any) error {
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return err
	}
	return unmarshal(resp.Header.Get("Content-Type"), raw, v)
}
