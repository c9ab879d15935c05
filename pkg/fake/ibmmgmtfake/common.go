// Package ibmmgmtfake serves, statefully, the three IBM Cloud Backup and
// Recovery APIs beside the main one: the local API of a data-source
// connector (Connector), and the management console's SRE (SRE) and
// reporting (Reporting) APIs. Each is a spec-validating fake.Engine over
// its spec in specs/ibmbr; the management fakes also answer IBM Cloud IAM's
// API key grant at /identity/token, so ibmbr.APIKey with ibmbr.WithIAMURL
// of the fake's URL logs in to them.
package ibmmgmtfake

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
	"github.com/backupsdk/backupsdk/pkg/fake/ibmfake"
)

// iam answers the API key grant and checks the tokens it issued.
type iam struct {
	mu     sync.Mutex
	keys   map[string]bool
	tokens map[string]bool
	calls  int
}

func newIAM(keys []string) *iam {
	i := &iam{keys: map[string]bool{}, tokens: map[string]bool{}}
	for _, k := range keys {
		i.keys[k] = true
	}
	return i
}

func (i *iam) token(w http.ResponseWriter, r *http.Request) {
	i.mu.Lock()
	i.calls++
	i.mu.Unlock()
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "urn:ibm:params:oauth:grant-type:apikey" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"errorCode": "BXNIM0109E", "errorMessage": "Property missing or empty."})
		return
	}
	i.mu.Lock()
	ok := i.keys[r.PostForm.Get("apikey")]
	i.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusBadRequest, map[string]any{"errorCode": "BXNIM0415E", "errorMessage": "Provided API key could not be found."})
		return
	}
	tok := randomToken()
	i.mu.Lock()
	i.tokens[tok] = true
	i.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 3600,
		"expiration": time.Now().Add(time.Hour).Unix()})
}

// bearer checks an IAM token on r.
func (i *iam) bearer(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.tokens[tok]
}

// Expire forgets every token issued so far.
func (i *iam) expire() {
	i.mu.Lock()
	i.tokens = map[string]bool{}
	i.mu.Unlock()
}

var errNoToken = errors.New("no valid token")

func newEngine(spec []byte) (*fake.Engine, error) { return fake.New(spec, ibmfake.WriteError) }

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

// list reads a comma-separated query parameter.
func list(r *http.Request, name string) []string {
	v := r.URL.Query().Get(name)
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

func contains(set []string, v string) bool {
	for _, s := range set {
		if s == v {
			return true
		}
	}
	return len(set) == 0
}
