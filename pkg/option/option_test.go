package option_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/internal/settings"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/transport"
)

func TestOptionsSetTheirSettings(t *testing.T) {
	s, err := settings.Apply("vbgc", "1.4-rev0", []option.Option{
		option.WithUserAgent("  my-tool/1.0 "),
		option.WithRetry(transport.RetryPolicy{MaxRetries: 7}),
		option.WithInsecureHTTP(),
		option.WithAPIVersion("1.5-rev0"),
		option.WithCredentialCache(auth.CacheOptions{RefreshAhead: 42}),
		{}, // the zero Option does nothing
	})
	require.NoError(t, err)
	assert.Equal(t, "vbgc", s.Product)
	assert.Equal(t, "my-tool/1.0", s.UserAgent)
	assert.Equal(t, 7, s.Retry.MaxRetries)
	assert.True(t, s.AllowHTTP)
	assert.Equal(t, "1.5-rev0", s.APIVersion)
	assert.EqualValues(t, 42, s.Cache.RefreshAhead)
}

func TestOptionsThatCannotWork(t *testing.T) {
	for name, o := range map[string]option.Option{
		"nil client":     option.WithHTTPClient(nil),
		"negative retry": option.WithRetry(transport.RetryPolicy{MaxRetries: -1}),
		"empty PEM":      option.WithCACert(nil),
		"missing file":   option.WithCACertFile("testdata/no-such-ca.pem"),
		"empty version":  option.WithAPIVersion(" "),
	} {
		_, err := settings.Apply("vbaws", "1.7-rev0", []option.Option{o})
		assert.Error(t, err, name)
	}
}

// An option a product would ignore is an error that names the option and
// the product, not a silent no-op.
func TestOptionForAnotherProduct(t *testing.T) {
	_, err := settings.Apply("ibmbr", "", []option.Option{option.WithAPIVersion("v1")})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "option.WithAPIVersion")
	assert.Contains(t, err.Error(), "ibmbr")
	for _, p := range []string{"vbaws", "vbgc", "vbem"} {
		_, err := settings.Apply(p, "x", []option.Option{option.WithAPIVersion("v1")})
		assert.NoError(t, err, p)
	}
}
