// Package reporting is the client of the reporting part of IBM Cloud Backup
// and Recovery's management API (the Global Management Console): report
// components, reports, their previews and exports, the resources reports
// are filtered by, and the provider's service instances. It takes the IAM
// credentials of the service (ibmbr.APIKey, ibmbr.BearerToken).
//
// The spec is specs/ibmbr/management-reporting.yaml; the services are
// generated from it (services.gen.go).
package reporting

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/gen/ibmreportingapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/internal/ibmclient"
	"github.com/backupsdk/backupsdk/pkg/internal/login"
	"github.com/backupsdk/backupsdk/pkg/internal/svc"
	"github.com/backupsdk/backupsdk/pkg/option"
)

// Product is the product name of this client (a key of specs.All).
const Product = "ibmbr-reporting"

// DefaultURL is the management console's host; IBM's SDK takes it with
// /heliosreporting/api/v1 appended, which NewClient also accepts.
const DefaultURL = "https://manager.backup-recovery.cloud.ibm.com"

type core struct {
	svc.Core
	api     ibmreportingapi.ClientInterface
	raw     *ibmreportingapi.ClientWithResponses
	session *login.Session
}

// NewClient returns a client for the management reporting API at endpoint
// (DefaultURL, with or without /heliosreporting/api/v1) that authenticates
// with cred. It does not contact the service; the first call (or Login)
// does.
func NewClient(endpoint string, cred auth.Credential, opts ...option.Option) (*Client, error) {
	endpoint = strings.TrimSuffix(strings.TrimRight(strings.TrimSpace(endpoint), "/"), "/heliosreporting/api/v1")
	c, err := ibmclient.New(ibmclient.Config{Product: Product, RefreshAhead: 12 * time.Minute}, endpoint, cred, opts)
	if err != nil {
		return nil, err
	}
	api, err := ibmreportingapi.NewClient(c.Endpoint.String(), ibmreportingapi.WithHTTPClient(c.Authed))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Product, err)
	}
	raw, err := ibmreportingapi.NewClientWithResponses(c.Endpoint.String(), ibmreportingapi.WithHTTPClient(c.Raw))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Product, err)
	}
	return newServices(&core{Core: svc.Core{Product: Product, Decode: apierr.DecodeIBM}, api: api, raw: raw, session: c.Session}), nil
}

// Raw returns the generated client, on the same pipeline. Its requests add
// "raw" to the comment of the SDK's User-Agent.
func (c *Client) Raw() *ibmreportingapi.ClientWithResponses { return c.c.raw }

// Login obtains an IAM token now rather than on the first call.
func (c *Client) Login(ctx context.Context) error {
	_, err := c.c.session.Token(ctx)
	return err
}

// Logout forgets the IAM token; the next call exchanges the API key again.
func (c *Client) Logout(context.Context) error {
	c.c.session.Forget()
	return nil
}
