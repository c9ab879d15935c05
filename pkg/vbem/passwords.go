package vbem

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/internal/svc"
)

// The calls of this file are written by hand: Create carries a secret that
// must stay out of every error, and EditHint is answered with either the
// record or a Task.

// ErrMissingPassword is returned, before any request, by Create for an
// empty password.
var ErrMissingPassword = errors.New("vbem: empty password")

// Create creates an encryption password with an optional hint on a
// backup server (POST ?action=create, body PasswordKeyInfoSpec: Hint, then
// Password). The server answers 201 or 204 without a body, or 202 with a
// Task; the Task is nil unless there was one (see Client.WaitTask). Find the
// new record with List or the query service (by Hint). The password never
// appears in an error, even one whose server echoed it.
func (s *PasswordsService) Create(ctx context.Context, backupServerID, hint, password string) (*vbemapi.Task, error) {
	if backupServerID == "" {
		return nil, s.c.MissingID("backup server ID")
	}
	if password == "" {
		return nil, ErrMissingPassword
	}
	spec := vbemapi.PasswordKeyInfoSpec{Password: &password}
	if hint != "" {
		spec.Hint = &hint
	}
	ct, body, err := s.c.Encode("CreatePassword", spec)
	if err != nil {
		return nil, redactSecret(err, password)
	}
	params := &vbemapi.CreatePasswordParams{Action: vbemapi.CreatePasswordParamsActionCreate}
	resp, err := s.c.api.CreatePasswordWithBody(ctx, backupServerID, params, ct, body)
	// A body on 201 or 204 is not a task.
	task, err := svc.Optional[vbemapi.Task](&s.c.Core, resp, err, http.StatusAccepted)
	return task, redactSecret(err, password)
}

// EditHint changes the hint of a password; the password itself
// cannot be changed. The server answers 200 with the record (returned), 202
// with a Task (returned) or 204 with nothing (both nil).
func (s *PasswordsService) EditHint(ctx context.Context, backupServerID, passwordID, hint string) (*vbemapi.PasswordKeyInfo, *vbemapi.Task, error) {
	if backupServerID == "" {
		return nil, nil, s.c.MissingID("backup server ID")
	}
	if passwordID == "" {
		return nil, nil, s.c.MissingID("password ID")
	}
	ct, body, err := s.c.Encode("EditPasswordHint", vbemapi.PasswordKeyInfoSpec{Hint: &hint})
	if err != nil {
		return nil, nil, err
	}
	resp, err := s.c.api.EditPasswordHintWithBody(ctx, backupServerID, passwordID, ct, body)
	if err == nil && resp.StatusCode == http.StatusAccepted {
		task, err := svc.Optional[vbemapi.Task](&s.c.Core, resp, nil)
		return nil, task, err
	}
	info, err := svc.Optional[vbemapi.PasswordKeyInfo](&s.c.Core, resp, err, http.StatusOK)
	return info, nil, err
}

// redactSecret removes secret from err, should a server echo it back.
func redactSecret(err error, secret string) error {
	if err == nil || secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	var ae *apierr.Error
	if errors.As(err, &ae) {
		c := *ae
		for _, f := range []*string{&c.Message, &c.Details, &c.Title, &c.Body, &c.Instance, &c.Code, &c.Type} {
			*f = strings.ReplaceAll(*f, secret, apierr.Redacted)
		}
		c.Data = nil
		if !strings.Contains(c.Error(), secret) {
			return &c
		}
	}
	return errors.New(strings.ReplaceAll(err.Error(), secret, apierr.Redacted))
}
