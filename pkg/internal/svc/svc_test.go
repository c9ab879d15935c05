package svc

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type offset int32

func TestNonZeroAndSlicePtr(t *testing.T) {
	assert.Nil(t, NonZero(""))
	assert.Equal(t, "x", *NonZero("x"))
	assert.Nil(t, NonZero(offset(0)))
	assert.Nil(t, SlicePtr([]string(nil)))
	assert.Equal(t, []int{1}, *SlicePtr([]int{1}))
	assert.Equal(t, 0, Value[int](nil))
	assert.Equal(t, 3, Value(Ptr(3)))
}

func TestConvRefusesWhatDoesNotFit(t *testing.T) {
	v, err := Conv[offset](42)
	require.NoError(t, err)
	assert.Equal(t, offset(42), v)
	_, err = Conv[offset](math.MaxInt32 + 1)
	assert.ErrorContains(t, err, "32-bit")
	_, err = Conv[int32](-1)
	assert.ErrorContains(t, err, "negative")
	w, err := Conv[int64](math.MaxInt32 + 1)
	require.NoError(t, err)
	assert.Equal(t, int64(math.MaxInt32+1), w)
}

func TestAcceptSetsTheHeader(t *testing.T) {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, "https://example.com", nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "application/json")
	require.NoError(t, Accept("application/octet-stream, text/plain")(context.Background(), req))
	assert.Equal(t, "application/octet-stream, text/plain", req.Header.Get("Accept"))
}

func TestServerURL(t *testing.T) {
	s := Server{From: "/v2", To: "/irisservices/api/v1"}
	for in, want := range map[string]string{
		"https://i.example.com/v2":         "https://i.example.com/irisservices/api/v1",
		"https://i.example.com/v2/":        "https://i.example.com/irisservices/api/v1",
		"https://i.example.com:8443/x/v2":  "https://i.example.com:8443/x/irisservices/api/v1",
		"https://i.example.com":            "https://i.example.com/irisservices/api/v1",
		"https://i.example.com/v2?debug=1": "https://i.example.com/irisservices/api/v1",
	} {
		u, err := url.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ServerURL(u, s)
		if err != nil || got != want {
			t.Errorf("ServerURL(%s) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ServerURL(&url.URL{Path: "/v2"}, s); err == nil {
		t.Error("ServerURL of an endpoint without host: no error")
	}
}
