package auth

import (
	"fmt"
	"log/slog"
	"time"
)

// Token is what a Credential obtains and a client sends: an OAuth-style
// access token as the Veeam /token endpoint and the IBM IAM endpoint issue
// it, or an Enterprise Manager logon session. Its String, GoString, Format
// and LogValue never show the secrets.
type Token struct {
	AccessToken  string
	TokenType    string
	RefreshToken string
	// Expiry is when the access token lapses; zero means unknown.
	Expiry time.Time
	// ID is the server's id of the session the token stands for, where
	// ending the session needs it (Enterprise Manager's logon SessionId,
	// which Logout deletes); empty otherwise.
	ID string
}

// expiryDelta is how early a token counts as expired, as in x/oauth2.
const expiryDelta = 10 * time.Second

// Valid reports whether the token has an access token that is not about to
// expire.
func (t Token) Valid() bool {
	return t.AccessToken != "" && (t.Expiry.IsZero() || time.Now().Add(expiryDelta).Before(t.Expiry))
}

// String describes the token without its secrets.
func (t Token) String() string {
	return fmt.Sprintf("Token{type=%s expiry=%s access=%s refresh=%t id=%s}", t.TokenType,
		t.Expiry.Format(time.RFC3339), redactedIf(t.AccessToken), t.RefreshToken != "", redactedIf(t.ID))
}

// GoString is String, so %#v does not leak either.
func (t Token) GoString() string { return t.String() }

// Format makes every verb print String.
func (t Token) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(t.String())) }

// LogValue keeps secrets out of slog output.
func (t Token) LogValue() slog.Value { return slog.StringValue(t.String()) }

func redactedIf(s string) string {
	if s == "" {
		return "none"
	}
	return "[REDACTED]"
}
