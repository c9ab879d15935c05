package vbem

import (
	"context"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
)

// SessionsService covers the logon sessions (/api/logonSessions).
type SessionsService struct{ service }

// List returns the current logon sessions.
func (s *SessionsService) List(ctx context.Context) (*vbemapi.LogonSessions, error) {
	resp, err := s.api.GetLogonSessions(ctx, s.accept())
	return decodeAs[vbemapi.LogonSessions](resp, err)
}

// Get returns a logon session by its SessionId.
func (s *SessionsService) Get(ctx context.Context, sessionID string) (*vbemapi.LogonSession, error) {
	if err := requireIDs(sessionID); err != nil {
		return nil, err
	}
	resp, err := s.api.GetLogonSession(ctx, sessionID, s.accept())
	return decodeAs[vbemapi.LogonSession](resp, err)
}

// Delete deletes a logon session (another client's logout). Use
// Client.Logout for the client's own session.
func (s *SessionsService) Delete(ctx context.Context, sessionID string) error {
	if err := requireIDs(sessionID); err != nil {
		return err
	}
	resp, err := s.api.DeleteLogonSession(ctx, sessionID, s.accept())
	return noContent(resp, err)
}

// TasksService covers the tasks of asynchronous actions (/api/tasks).
type TasksService struct{ service }

// List returns the tasks of the current logon session.
func (s *TasksService) List(ctx context.Context) (*vbemapi.Tasks, error) {
	resp, err := s.api.GetTasks(ctx, s.accept())
	return decodeAs[vbemapi.Tasks](resp, err)
}

// Get returns a task (task-N).
func (s *TasksService) Get(ctx context.Context, taskID string) (*vbemapi.Task, error) {
	if err := requireIDs(taskID); err != nil {
		return nil, err
	}
	resp, err := s.api.GetTask(ctx, taskID, s.accept())
	return decodeAs[vbemapi.Task](resp, err)
}

// Delete removes a finished task.
func (s *TasksService) Delete(ctx context.Context, taskID string) error {
	if err := requireIDs(taskID); err != nil {
		return err
	}
	resp, err := s.api.DeleteTask(ctx, taskID, s.accept())
	return noContent(resp, err)
}
