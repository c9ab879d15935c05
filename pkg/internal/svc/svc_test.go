package svc

import (
	"context"
	"math"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/apierr"
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

func TestMissingIDAndAccept(t *testing.T) {
	c := &Core{Product: "p"}
	err := c.MissingID("groupID")
	assert.ErrorIs(t, err, apierr.ErrMissingID)
	assert.Equal(t, "p: empty id (groupID)", err.Error())

	req, err := http.NewRequest(http.MethodGet, "https://x/download", nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "application/json")
	require.NoError(t, Accept("application/octet-stream")(context.Background(), req))
	assert.Equal(t, "application/octet-stream", req.Header.Get("Accept"))
}
