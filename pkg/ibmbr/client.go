package ibmbr

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/internal/ibmclient"
	"github.com/backupsdk/backupsdk/pkg/internal/login"
	"github.com/backupsdk/backupsdk/pkg/internal/settings"
	"github.com/backupsdk/backupsdk/pkg/internal/svc"
	"github.com/backupsdk/backupsdk/pkg/option"
)

// WithTenant sets the tenant every call is made for (the X-IBM-Tenant-Id
// header); ContextWithTenant overrides it per call. Only ibmbr.NewClient
// accepts it.
func WithTenant(id string) option.Option {
	return settings.New("ibmbr.WithTenant", []string{"ibmbr"}, func(s *settings.Settings) error {
		if strings.TrimSpace(id) == "" {
			return errors.New("WithTenant: empty tenant id")
		}
		s.Tenant = id
		return nil
	})
}

// ErrNoTenant is returned, before any request, by a call that has no tenant
// id: none given with WithTenant and none in its context.
var ErrNoTenant = errors.New("ibmbr: no tenant id: use ibmbr.WithTenant or ibmbr.ContextWithTenant")

type tenantKey struct{}

// ContextWithTenant makes the calls made with ctx use tenant instead of the
// client's.
func ContextWithTenant(ctx context.Context, tenant string) context.Context {
	return context.WithValue(ctx, tenantKey{}, tenant)
}

// core is what the services share: the generated client behind the
// pipeline, the IAM session, and what the generated services call
// (svc.Core, which fills in the tenant of every call). The Client type and
// its services are generated (services.gen.go).
type core struct {
	svc.Core
	api ibmbrapi.ClientInterface
	// servers holds a generated client for each server of the generated
	// servers (the legacy /irisservices/api/v1 API of the same instance),
	// in that order: the generated methods of those operations call it.
	servers []ibmbrapi.ClientInterface
	raw     *ibmbrapi.ClientWithResponses
	session *login.Session
}

// tenantOf returns the tenant of a call: its context's, else the client's.
func tenantOf(client string) func(ctx context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		if t, ok := ctx.Value(tenantKey{}).(string); ok && t != "" {
			return t, nil
		}
		if client == "" {
			return "", ErrNoTenant
		}
		return client, nil
	}
}

// NewClient returns a client for the service instance at endpoint (its
// service URL, ending in /v2) that authenticates with cred (APIKey,
// BearerToken, auth.StaticToken or your own auth.Credential). It does not
// contact the service; the first call (or Login) does. It fails at once on
// credentials for another product, empty credentials, an IAM URL over plain
// http without option.WithInsecureHTTP, and options that cannot work or
// belong to another product.
func NewClient(endpoint string, cred auth.Credential, opts ...option.Option) (*Client, error) {
	// IAM tokens live an hour; renew at 80% of that, as IBM's SDKs do (the
	// cache caps this at a fifth of the lifetime).
	c, err := ibmclient.New(ibmclient.Config{Product: "ibmbr", RefreshAhead: 12 * time.Minute}, endpoint, cred, opts)
	if err != nil {
		return nil, err
	}
	u, authed, session := c.Endpoint, c.Authed, c.Session
	api, err := ibmbrapi.NewClient(u.String(), ibmbrapi.WithHTTPClient(authed))
	if err != nil {
		return nil, fmt.Errorf("ibmbr: %w", err)
	}
	alt := make([]ibmbrapi.ClientInterface, 0, len(servers))
	for _, srv := range servers {
		base, err := svc.ServerURL(u, srv)
		if err != nil {
			return nil, fmt.Errorf("ibmbr: %w", err)
		}
		c, err := ibmbrapi.NewClient(base, ibmbrapi.WithHTTPClient(authed))
		if err != nil {
			return nil, fmt.Errorf("ibmbr: %w", err)
		}
		alt = append(alt, c)
	}
	raw, err := ibmbrapi.NewClientWithResponses(u.String(), ibmbrapi.WithHTTPClient(c.Raw))
	if err != nil {
		return nil, fmt.Errorf("ibmbr: %w", err)
	}
	return newServices(&core{
		Core: svc.Core{Product: "ibmbr", Decode: apierr.DecodeIBM,
			Managed: map[string]func(context.Context) (string, error){"tenant": tenantOf(c.Settings.Tenant)}},
		api: api, servers: alt, raw: raw, session: session,
	}), nil
}

// Raw returns the generated client. Its requests go through the same
// pipeline (IAM auth, retry, logging); set the X-IBM-Tenant-Id parameter
// yourself. They add "raw" to the comment of the SDK's User-Agent
// ("backupsdk-go/0.1.0 (ibmbr; raw)"). It sends every operation to the
// service URL: the legacy operations (ListProtectionSources,
// ListProtectionSourcesRegistrationInfo, GetProgressMonitors) live under
// /irisservices/api/v1 instead of /v2, so call them through the services.
func (c *Client) Raw() *ibmbrapi.ClientWithResponses { return c.c.raw }

// Login obtains an IAM token now rather than on the first call, so that a
// wrong API key shows up early. Calls log in by themselves; Login is never
// required.
func (c *Client) Login(ctx context.Context) error {
	_, err := c.c.session.Token(ctx)
	return err
}

// Token returns the current IAM token, exchanging the API key if needed. It
// prints without its secrets.
func (c *Client) Token(ctx context.Context) (auth.Token, error) { return c.c.session.Token(ctx) }

// Logout forgets the IAM token; the next call exchanges the API key again.
// IAM access tokens cannot be revoked one by one, so nothing is sent.
func (c *Client) Logout(context.Context) error {
	c.c.session.Forget()
	return nil
}
