package to_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/backupsdk/backupsdk/pkg/to"
)

func TestPtr(t *testing.T) {
	p := to.Ptr("prod")
	if assert.NotNil(t, p) {
		assert.Equal(t, "prod", *p)
	}

	v := 42
	q := to.Ptr(v)
	*q = 7
	assert.Equal(t, 42, v, "Ptr points to a copy")
	assert.NotSame(t, to.Ptr(v), to.Ptr(v), "each call is a new variable")

	assert.Equal(t, int32(5), *to.Ptr[int32](5))
	assert.Nil(t, *to.Ptr[*int](nil), "a pointer to a nil pointer")
}

func TestValue(t *testing.T) {
	assert.Equal(t, "", to.Value[string](nil))
	assert.Equal(t, 0, to.Value[int](nil))
	assert.False(t, to.Value[bool](nil))
	assert.True(t, to.Value[time.Time](nil).IsZero())
	assert.Nil(t, to.Value[[]string](nil))

	assert.Equal(t, "prod", to.Value(to.Ptr("prod")))
	assert.Equal(t, 0, to.Value(to.Ptr(0)), "a pointer to zero reads as zero too")

	type member struct{ Name *string }
	assert.Equal(t, member{}, to.Value[member](nil))
	assert.Equal(t, "x", to.Value(to.Value(&member{Name: to.Ptr("x")}).Name))
}
