package ibmclient_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/ibmbr/reporting"
	"github.com/backupsdk/backupsdk/pkg/ibmbr/sre"
	"github.com/backupsdk/backupsdk/pkg/option"
)

// Every IBM client refuses to send an API key to an IAM URL over plain
// http, unless option.WithInsecureHTTP allows it: the check sits in the
// shared builder, not in each client.
func TestAPIKeyNeverGoesOverPlainHTTP(t *testing.T) {
	key := func() auth.Credential { return ibmbr.APIKey("secret-key", ibmbr.WithIAMURL("http://iam.plain")) }
	for name, build := range map[string]func(opts ...option.Option) error{
		"ibmbr": func(opts ...option.Option) error {
			_, err := ibmbr.NewClient("https://inst.us-east.backup-recovery.cloud.ibm.com/v2", key(), opts...)
			return err
		},
		"sre": func(opts ...option.Option) error {
			_, err := sre.NewClient("https://helios.cloud.ibm.com/v2", key(), opts...)
			return err
		},
		"reporting": func(opts ...option.Option) error {
			_, err := reporting.NewClient("https://helios.cloud.ibm.com", key(), opts...)
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			err := build()
			require.Error(t, err)
			assert.Contains(t, err.Error(), "token URL")
			assert.NotContains(t, err.Error(), "secret-key")
			assert.NoError(t, build(option.WithInsecureHTTP()))
		})
	}
}
