package ibmbr

import (
	"context"
	"errors"
	"io"
	"iter"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
)

// AgentsService covers Agents (/data-protect/agents): agent upgrade tasks and the streamed agent download.
type AgentsService struct{ service }

// ListUpgradeTasksOptions filter the agent upgrade tasks (by IDs). The zero
// value lists all.
type ListUpgradeTasksOptions = ibmbrapi.GetUpgradeTasksParams

// UpgradeTasks returns the agent upgrade tasks matching opts (nil for all);
// the service answers them in one response.
func (s *AgentsService) UpgradeTasks(ctx context.Context, opts *ListUpgradeTasksOptions) (*ibmbrapi.AgentUpgradeTaskStates, error) {
	p := ListUpgradeTasksOptions{}
	if opts != nil {
		p = *opts
	}
	var err error
	if p.XIBMTenantID, err = s.tenantFor(ctx); err != nil {
		return nil, err
	}
	resp, err := s.api.GetUpgradeTasks(ctx, &p)
	return respond.JSON[ibmbrapi.AgentUpgradeTaskStates](resp, err, decode)
}

// AllUpgradeTasks iterates over the agent upgrade tasks matching opts.
func (s *AgentsService) AllUpgradeTasks(ctx context.Context, opts *ListUpgradeTasksOptions) iter.Seq2[ibmbrapi.AgentUpgradeTaskState, error] {
	return each(func() ([]ibmbrapi.AgentUpgradeTaskState, error) {
		r, err := s.UpgradeTasks(ctx, opts)
		if err != nil {
			return nil, err
		}
		return r.Tasks, nil
	})
}

// CreateUpgradeTask schedules an upgrade of agents (req.AgentIDs), or the
// retry of a failed task (req.RetryTaskID).
func (s *AgentsService) CreateUpgradeTask(ctx context.Context, req ibmbrapi.CreateUpgradeTaskRequest) (*ibmbrapi.AgentUpgradeTaskState, error) {
	if len(req.AgentIDs) == 0 && req.RetryTaskID == nil {
		return nil, errors.New("ibmbr: an upgrade task needs agent ids or a task to retry")
	}
	tenant, err := s.tenantFor(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.CreateUpgradeTask(ctx, &ibmbrapi.CreateUpgradeTaskParams{XIBMTenantID: tenant}, req)
	return respond.JSON[ibmbrapi.AgentUpgradeTaskState](resp, err, decode)
}

// Download streams the installer of the agent for req.Platform. The caller
// must close the stream; nothing is buffered.
func (s *AgentsService) Download(ctx context.Context, req ibmbrapi.DownloadAgentRequest) (io.ReadCloser, error) {
	if req.Platform == "" {
		return nil, errors.New("ibmbr: an agent download needs a platform")
	}
	tenant, err := s.tenantFor(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.DownloadAgent(ctx, &ibmbrapi.DownloadAgentParams{XIBMTenantID: tenant}, req, acceptOctetStream)
	return respond.Stream(resp, err, decode)
}
