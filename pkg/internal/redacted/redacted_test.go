package redacted_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"

	"github.com/backupsdk/backupsdk/pkg/internal/redacted"
)

type credential struct {
	redacted.Text
	password string
}

func TestEveryPrintedFormIsTheText(t *testing.T) {
	c := &credential{Text: "Credentials{password=[REDACTED]}", password: "hunter2"}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("login", "cred", c, "value", *c)
	for _, out := range []string{
		fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s %q %x", c, c, c, c, c, c),
		fmt.Sprintf("%v %+v %#v", *c, *c, *c), logs.String(),
	} {
		if bytes.Contains([]byte(out), []byte("hunter2")) || !bytes.Contains([]byte(out), []byte("[REDACTED]")) {
			t.Fatalf("printed %q", out)
		}
	}
}
