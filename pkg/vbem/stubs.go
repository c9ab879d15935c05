package vbem

import "errors"

// ErrMissingID is returned, before any request, for an empty id.
var ErrMissingID = errors.New("vbem: empty id")

func requireIDs(ids ...string) error {
	for _, id := range ids {
		if id == "" {
			return ErrMissingID
		}
	}
	return nil
}
