package vbem

import (
	"context"
	"net/http"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/internal/svc"
)

// The calls of this file are written by hand: a VM or a vApp of a CDP
// replica has one POST whose two actions answer different bodies
// (failover: 202 with a Task; intervals: 200 with the intervals), which a
// generated method cannot return.

// FailoverVM fails a VM of a CDP replica over (POST
// /cdpReplicas/{id}/vms/{vmId}?action=failover, body CdpFailoverStartSpec)
// and returns the Task (Operation StartFailover); see Client.WaitTask.
func (s *CDPService) FailoverVM(ctx context.Context, cdpReplicaID, cdpReplicaVMID string, spec vbemapi.CdpFailoverStartSpec) (*vbemapi.Task, error) {
	if err := s.vmIDs(cdpReplicaID, cdpReplicaVMID); err != nil {
		return nil, err
	}
	ct, body, err := s.c.Encode("CdpReplicaVmAction", spec)
	if err != nil {
		return nil, err
	}
	params := &vbemapi.CdpReplicaVMActionParams{Action: vbemapi.CdpReplicaVMActionParamsActionFailover}
	resp, err := s.c.api.CdpReplicaVMActionWithBody(ctx, cdpReplicaID, cdpReplicaVMID, params, ct, body)
	return answer[vbemapi.Task](&s.c.Core, resp, err, http.StatusAccepted)
}

// VMIntervals returns the restore intervals and long-term restore points
// of a VM of a CDP replica in a time range (POST
// /cdpReplicas/{id}/vms/{vmId}?action=intervals).
func (s *CDPService) VMIntervals(ctx context.Context, cdpReplicaID, cdpReplicaVMID string, spec vbemapi.CdpReplicaIntervalsSpec) (*vbemapi.CdpReplicaIntervals, error) {
	if err := s.vmIDs(cdpReplicaID, cdpReplicaVMID); err != nil {
		return nil, err
	}
	ct, body, err := s.c.Encode("CdpReplicaVmAction", spec)
	if err != nil {
		return nil, err
	}
	params := &vbemapi.CdpReplicaVMActionParams{Action: vbemapi.CdpReplicaVMActionParamsActionIntervals}
	resp, err := s.c.api.CdpReplicaVMActionWithBody(ctx, cdpReplicaID, cdpReplicaVMID, params, ct, body)
	return answer[vbemapi.CdpReplicaIntervals](&s.c.Core, resp, err, http.StatusOK)
}

// FailoverVApp fails a vApp of a CDP replica over (POST
// /cdpReplica/vApps/{id}?action=failover, body CdpFailoverStartSpec) and
// returns the Task (Operation StartFailover).
func (s *CDPService) FailoverVApp(ctx context.Context, vAppCdpReplicaID string, spec vbemapi.CdpFailoverStartSpec) (*vbemapi.Task, error) {
	if vAppCdpReplicaID == "" {
		return nil, s.c.MissingID("vApp CDP replica ID")
	}
	ct, body, err := s.c.Encode("VAppCdpReplicaAction", spec)
	if err != nil {
		return nil, err
	}
	params := &vbemapi.VAppCdpReplicaActionParams{Action: vbemapi.VAppCdpReplicaActionParamsActionFailover}
	resp, err := s.c.api.VAppCdpReplicaActionWithBody(ctx, vAppCdpReplicaID, params, ct, body)
	return answer[vbemapi.Task](&s.c.Core, resp, err, http.StatusAccepted)
}

// VAppIntervals returns the restore intervals and long-term restore points
// of a vApp of a CDP replica in a time range (POST
// /cdpReplica/vApps/{id}?action=intervals).
func (s *CDPService) VAppIntervals(ctx context.Context, vAppCdpReplicaID string, spec vbemapi.CdpReplicaIntervalsSpec) (*vbemapi.CdpReplicaIntervals, error) {
	if vAppCdpReplicaID == "" {
		return nil, s.c.MissingID("vApp CDP replica ID")
	}
	ct, body, err := s.c.Encode("VAppCdpReplicaAction", spec)
	if err != nil {
		return nil, err
	}
	params := &vbemapi.VAppCdpReplicaActionParams{Action: vbemapi.VAppCdpReplicaActionParamsActionIntervals}
	resp, err := s.c.api.VAppCdpReplicaActionWithBody(ctx, vAppCdpReplicaID, params, ct, body)
	return answer[vbemapi.CdpReplicaIntervals](&s.c.Core, resp, err, http.StatusOK)
}

func (s *CDPService) vmIDs(cdpReplicaID, cdpReplicaVMID string) error {
	if cdpReplicaID == "" {
		return s.c.MissingID("CDP replica ID")
	}
	if cdpReplicaVMID == "" {
		return s.c.MissingID("CDP replica VM ID")
	}
	return nil
}

// answer decodes a success answer of the one status that carries T; any
// other success status is an error, since the body would be another type.
func answer[T any](c *svc.Core, resp *http.Response, err error, status int) (*T, error) {
	if err == nil && resp.StatusCode >= 200 && resp.StatusCode <= 299 && resp.StatusCode != status {
		defer drainClose(resp)
		return nil, &unexpectedStatus{got: resp.StatusCode, want: status}
	}
	return svc.Result[T](c, resp, err)
}

// unexpectedStatus is a success answer of another status than the call's.
type unexpectedStatus struct{ got, want int }

func (e *unexpectedStatus) Error() string {
	return "vbem: the server answered " + http.StatusText(e.got) + " where " + http.StatusText(e.want) + " was expected"
}
