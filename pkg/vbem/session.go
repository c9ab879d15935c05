package vbem

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
	"github.com/backupsdk/backupsdk/pkg/transport"
)

// SessionHeader carries the logon session token on every call.
const SessionHeader = "X-RestSvcSessionId"

// IdleTimeout is how long Enterprise Manager keeps an unused logon session.
const IdleTimeout = 15 * time.Minute

// Credentials log a client on to Enterprise Manager. Build them with
// BasicCredentials. Their String never shows the password.
type Credentials struct {
	username, password string
}

// BasicCredentials logs on with a user (DOMAIN\user or user@domain) that
// holds the Portal Administrator, Portal User or Restore Operator role.
func BasicCredentials(username, password string) Credentials {
	return Credentials{username: username, password: password}
}

// String describes the credentials without the password.
func (c Credentials) String() string {
	return "Credentials{user=" + c.username + " password=[REDACTED]}"
}

// GoString is String, so %#v does not leak.
func (c Credentials) GoString() string { return c.String() }

// Format makes every verb print String.
func (c Credentials) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

func (c Credentials) validate() error {
	if c.username == "" || c.password == "" {
		return errors.New("vbem: credentials need a user name and a password")
	}
	return nil
}

// Session is an Enterprise Manager logon session: the token sent in
// X-RestSvcSessionId and the SessionId that logout needs. Its String never
// shows the token.
type Session struct {
	token     string
	SessionID string
	UserName  string
}

// String describes the session without its token.
func (s Session) String() string {
	return "Session{id=" + s.SessionID + " user=" + s.UserName + " token=[REDACTED]}"
}

// GoString is String, so %#v does not leak the token.
func (s Session) GoString() string { return s.String() }

// Format makes every verb print String.
func (s Session) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// logonBody is the LogonSession answer, in either media type.
type logonBody struct {
	UserName  string `json:"UserName" xml:"UserName"`
	SessionID string `json:"SessionId" xml:"SessionId"`
}

// sessions logs on and off over the bare pipeline.
type sessions struct {
	server  string
	version string
	xml     bool
	hc      *http.Client
}

// logon creates a logon session (POST /api/sessionMngr/?v=...). Basic
// credentials go to this call only.
func (m *sessions) logon(ctx context.Context, c Credentials) (Session, error) {
	u := m.server + "/api/sessionMngr/?v=" + url.QueryEscape(m.version)
	// Sent once, even for a call marked WithRetrySafe: the logon carries the
	// password, and repeated failures can lock the account.
	req, err := http.NewRequestWithContext(transport.WithoutRetry(ctx), http.MethodPost, u, nil)
	if err != nil {
		return Session{}, fmt.Errorf("vbem: logon: %w", err)
	}
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(c.username+":"+c.password)))
	req.Header.Set("Accept", m.accept())
	resp, err := m.hc.Do(req)
	if err != nil {
		return Session{}, fmt.Errorf("vbem: logon: %w", err)
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
		return Session{}, err
	}
	token := resp.Header.Get(SessionHeader)
	if token == "" {
		return Session{}, fmt.Errorf("vbem: logon answered without %s: %w", SessionHeader, apierr.ErrUnexpectedResponse)
	}
	var body logonBody
	if err := decodeBody(resp, &body); err != nil {
		return Session{}, respond.BodyError(resp, err)
	}
	return Session{token: token, SessionID: body.SessionID, UserName: body.UserName}, nil
}

// logoff deletes the logon session (DELETE /api/logonSessions/{SessionId}).
func (m *sessions) logoff(ctx context.Context, s Session) error {
	if s.SessionID == "" {
		return errors.New("vbem: the logon answer carried no SessionId, so the session cannot be deleted")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, m.server+"/api/logonSessions/"+url.PathEscape(s.SessionID), nil)
	if err != nil {
		return fmt.Errorf("vbem: logout: %w", err)
	}
	req.Header.Set(SessionHeader, s.token)
	req.Header.Set("Accept", m.accept())
	resp, err := m.hc.Do(req)
	if err != nil {
		return fmt.Errorf("vbem: logout: %w", err)
	}
	defer drainClose(resp)
	return apierr.CheckResponse(resp, decodeError)
}

func (m *sessions) accept() string {
	if m.xml {
		return "application/xml"
	}
	return "application/json"
}

// newSessionCache keeps one logon session for the client: one logon however
// many goroutines start at once, and a new one after 15 idle minutes or a
// 401.
func newSessionCache(m *sessions, c Credentials, opts auth.CacheOptions) *auth.Cache[Session] {
	if opts.IdleTimeout == 0 {
		// Log on again a little before the server forgets the session.
		opts.IdleTimeout = IdleTimeout - 30*time.Second
	}
	return auth.NewCache(func(ctx context.Context, _ Session, _ bool) (Session, time.Time, error) {
		s, err := m.logon(ctx, c)
		return s, time.Time{}, err
	}, opts)
}

// sessionAuthorizer sends the session token, and only that: never the
// credentials, never a cookie.
func sessionAuthorizer(c *auth.Cache[Session]) *auth.CacheAuthorizer[Session] {
	return &auth.CacheAuthorizer[Session]{Cache: c, Apply: func(req *http.Request, s Session) {
		req.Header.Set(SessionHeader, s.token)
		req.Header.Del("Cookie")
	}}
}

// decodeBody decodes a JSON or XML answer by its Content-Type.
func decodeBody(resp *http.Response, v any) error {
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return err
	}
	return unmarshal(resp.Header.Get("Content-Type"), raw, v)
}

// errorBody is Enterprise Manager's Error element, in either media type.
type errorBody struct {
	Message                     string  `json:"Message" xml:"Message,attr"`
	StatusCode                  int     `json:"StatusCode" xml:"StatusCode,attr"`
	Status                      *string `json:"Status" xml:"Status,attr"`
	FirstChanceExceptionMessage *string `json:"FirstChanceExceptionMessage" xml:"FirstChanceExceptionMessage"`
}

// decodeError decodes the Error element (XML or JSON).
func decodeError(contentType string, body []byte, e *apierr.Error) {
	var b errorBody
	if unmarshal(contentType, body, &b) != nil {
		return
	}
	e.Message = b.Message
	if b.Status != nil {
		e.Code = *b.Status
	}
	if b.FirstChanceExceptionMessage != nil && *b.FirstChanceExceptionMessage != b.Message {
		e.Details = *b.FirstChanceExceptionMessage
	}
}

func drainClose(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}
