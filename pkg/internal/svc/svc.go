// Package svc holds the small helpers that the generated service layers of
// the product packages (services.gen.go, written by internal/servicegen)
// call, so that the generated code stays short and the same in every
// product.
package svc

import (
	"context"
	"fmt"
	"math"
	"net/http"
)

// NonZero returns a pointer to v, or nil when v is its type's zero value:
// an option left unset is not sent.
func NonZero[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

// SlicePtr returns a pointer to s, or nil when s is empty.
func SlicePtr[T any](s []T) *[]T {
	if len(s) == 0 {
		return nil
	}
	return &s
}

// Ptr returns a pointer to v.
func Ptr[T any](v T) *T { return &v }

// Value returns *p, or the zero value when p is nil.
func Value[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// Conv converts a page position to the integer type of a paging parameter,
// refusing values the type cannot hold rather than wrapping them.
func Conv[T ~int | ~int32 | ~int64](n int) (T, error) {
	var zero T
	if n < 0 {
		return zero, fmt.Errorf("paging position %d is negative", n)
	}
	if fits32[T]() && n > math.MaxInt32 {
		return zero, fmt.Errorf("paging position %d does not fit the API's 32-bit parameter", n)
	}
	return T(n), nil
}

// fits32 reports whether T is a 32-bit integer type (a named one included).
func fits32[T ~int | ~int32 | ~int64]() bool {
	v := T(math.MaxInt32)
	v++
	return v < 0
}

// Accept returns a request editor that asks for mediaType, where the client
// would otherwise ask for JSON (a download).
func Accept(mediaType string) func(context.Context, *http.Request) error {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Accept", mediaType)
		return nil
	}
}
