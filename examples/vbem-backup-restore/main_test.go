package main

import (
	"context"
	"testing"
)

// TestRun keeps the example working in both media types, against the fake.
func TestRun(t *testing.T) {
	t.Setenv("VBEM_URL", "")
	for _, useXML := range []bool{false, true} {
		if err := run(context.Background(), useXML); err != nil {
			t.Fatal(err)
		}
	}
}
