package vbem

import (
	"fmt"

	"github.com/backupsdk/backupsdk/pkg/apierr"
)

func requireIDs(ids ...string) error {
	for _, id := range ids {
		if id == "" {
			return fmt.Errorf("vbem: %w", apierr.ErrMissingID)
		}
	}
	return nil
}
