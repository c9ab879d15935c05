package vbem

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
)

// PasswordsService covers the encryption passwords of backup servers
// (/api/backupServers/{id}/passwords). The password itself is write-only:
// the server never returns it, and the client never logs it nor puts it in
// an error.
type PasswordsService struct{ service }

// ErrMissingPassword is returned, before any request, by CreatePassword for
// an empty password.
var ErrMissingPassword = errors.New("vbem: empty password")

// List lists the encryption password records of a backup server.
func (s *PasswordsService) List(ctx context.Context, backupServerID string) (*vbemapi.PasswordKeyInfoList, error) {
	if err := requireIDs(backupServerID); err != nil {
		return nil, err
	}
	resp, err := s.api.GetPasswords(ctx, backupServerID, s.accept())
	return decodeAs[vbemapi.PasswordKeyInfoList](resp, err)
}

// Create creates an encryption password with an optional hint on a
// backup server (POST ?action=create, body PasswordKeyInfoSpec: Hint, then
// Password). The server answers 201 or 204 without a body, or 202 with a
// Task; the Task is nil unless there was one (see Client.WaitTask). Find the
// new record with GetPasswords or the query service (by Hint).
func (s *PasswordsService) Create(ctx context.Context, backupServerID, hint, password string) (*vbemapi.Task, error) {
	if err := requireIDs(backupServerID); err != nil {
		return nil, err
	}
	if password == "" {
		return nil, ErrMissingPassword
	}
	spec := vbemapi.PasswordKeyInfoSpec{Password: &password}
	if hint != "" {
		spec.Hint = &hint
	}
	ct, body, err := s.body("PasswordKeyInfoSpec", spec)
	if err != nil {
		return nil, redactSecret(err, password)
	}
	params := &vbemapi.CreatePasswordParams{Action: vbemapi.CreatePasswordParamsActionCreate}
	resp, err := s.api.CreatePasswordWithBody(ctx, backupServerID, params, ct, body, s.accept())
	task, err := decodeAs[vbemapi.Task](resp, err)
	if err != nil {
		return nil, redactSecret(err, password)
	}
	if task != nil && resp.StatusCode != http.StatusAccepted {
		task = nil // a body on 201/204 is not a task
	}
	return task, nil
}

// Get returns an encryption password record (never the password).
func (s *PasswordsService) Get(ctx context.Context, backupServerID, passwordID string) (*vbemapi.PasswordKeyInfo, error) {
	if err := requireIDs(backupServerID, passwordID); err != nil {
		return nil, err
	}
	resp, err := s.api.GetPassword(ctx, backupServerID, passwordID, s.accept())
	return decodeAs[vbemapi.PasswordKeyInfo](resp, err)
}

// EditHint changes the hint of a password; the password itself
// cannot be changed. The server answers 200 with the record (returned), 202
// with a Task (returned) or 204 with nothing (both nil).
func (s *PasswordsService) EditHint(ctx context.Context, backupServerID, passwordID, hint string) (*vbemapi.PasswordKeyInfo, *vbemapi.Task, error) {
	if err := requireIDs(backupServerID, passwordID); err != nil {
		return nil, nil, err
	}
	ct, body, err := s.body("PasswordKeyInfoSpec", vbemapi.PasswordKeyInfoSpec{Hint: &hint})
	if err != nil {
		return nil, nil, err
	}
	resp, err := s.api.EditPasswordHintWithBody(ctx, backupServerID, passwordID, ct, body, s.accept())
	if err == nil && resp.StatusCode == http.StatusAccepted {
		task, err := decodeAs[vbemapi.Task](resp, err)
		return nil, task, err
	}
	info, err := decodeAs[vbemapi.PasswordKeyInfo](resp, err)
	return info, nil, err
}

// Delete deletes an encryption password; it fails while a job uses
// it. The Task is nil unless the server answered 202 with one.
func (s *PasswordsService) Delete(ctx context.Context, backupServerID, passwordID string) (*vbemapi.Task, error) {
	if err := requireIDs(backupServerID, passwordID); err != nil {
		return nil, err
	}
	resp, err := s.api.DeletePassword(ctx, backupServerID, passwordID, s.accept())
	task, err := decodeAs[vbemapi.Task](resp, err)
	if err != nil {
		return nil, err
	}
	if task != nil && resp.StatusCode != http.StatusAccepted {
		task = nil
	}
	return task, nil
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
