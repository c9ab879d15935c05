package tests

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
	"github.com/backupsdk/backupsdk/pkg/vbem"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

// newClients builds each product's client with valid credentials and opts,
// contacting nothing.
var newClients = map[string]func(opts ...option.Option) error{
	"vbaws": func(opts ...option.Option) error {
		_, err := vbaws.NewClient("https://vbaws.example:11005", vbaws.PasswordCredentials("admin", "pw"), opts...)
		return err
	},
	"vbgc": func(opts ...option.Option) error {
		_, err := vbgc.NewClient("https://vbgc.example:13140", vbgc.PasswordCredentials("admin", "pw"), opts...)
		return err
	},
	"vbem": func(opts ...option.Option) error {
		_, err := vbem.NewClient("https://em.example:9398", vbem.BasicCredentials("admin", "pw"), opts...)
		return err
	},
	"ibmbr": func(opts ...option.Option) error {
		_, err := ibmbr.NewClient("https://ibm.example/v2", ibmbr.APIKey("key"), opts...)
		return err
	},
}

// An option meant for another product is refused, naming the option and
// the product, instead of being ignored.
func TestOptionForAnotherProductIsRefused(t *testing.T) {
	productOnly := map[string]struct {
		opt      option.Option
		products []string
	}{
		"ibmbr.WithTenant":      {ibmbr.WithTenant("tenant-a/"), []string{"ibmbr"}},
		"vbem.WithXML":          {vbem.WithXML(), []string{"vbem"}},
		"option.WithAPIVersion": {option.WithAPIVersion("v1_7"), []string{"vbaws", "vbgc", "vbem"}},
	}
	for name, o := range productOnly {
		for product, newClient := range newClients {
			err := newClient(o.opt)
			if slices.Contains(o.products, product) {
				assert.NoError(t, err, "%s on %s", name, product)
				continue
			}
			require.Error(t, err, "%s on %s", name, product)
			assert.Contains(t, err.Error(), name)
			assert.Contains(t, err.Error(), product)
		}
	}
	// Options every product uses are accepted by all.
	for product, newClient := range newClients {
		assert.NoError(t, newClient(option.WithUserAgent("tool/1"), option.WithTimeout(0), option.WithInsecureHTTP()), product)
	}
}
