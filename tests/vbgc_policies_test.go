package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"testing"

	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/vbgcfake"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

// policyAPI is what the three policy families have in common, so one test
// drives all of them.
type policyAPI[M, S any] struct {
	family   string
	svc      func(c *vbgc.Client) policyCalls[M, S]
	spec     func(t *testing.T, name string) S
	id       func(M) uuid.UUID
	name     func(M) string
	enabled  func(M) bool
	priority func(M) int32
	prefixes []string
	// role is the role the family's permissions script grants for snapshots.
	role string
}

// policyCalls are the service methods used, as function values.
type policyCalls[M, S any] struct {
	List                  func(context.Context, *vbgc.ListOptions) (int, int32, error)
	All                   func(context.Context, *vbgc.ListOptions) func(func(M, error) bool)
	Create                func(context.Context, S) (*M, error)
	Get                   func(context.Context, uuid.UUID) (*M, error)
	Update                func(context.Context, uuid.UUID, S) (*M, error)
	Delete                func(context.Context, uuid.UUID) error
	Start                 func(context.Context, uuid.UUID) (*vbgcapi.SessionIDModel, error)
	Stop                  func(context.Context, uuid.UUID) error
	Enable                func(context.Context, uuid.UUID) error
	Disable               func(context.Context, uuid.UUID) error
	SetPriority           func(context.Context, uuid.UUID, int32) error
	CalculateCost         func(context.Context, S) (map[string]any, error)
	CalculateModifiedCost func(context.Context, uuid.UUID, S) (map[string]any, error)
	Status                func(context.Context, uuid.UUID) (vbgcapi.EPolicyRunningState, *uuid.UUID, error)
	Schedule              func(context.Context, uuid.UUID) (map[string]any, error)
	Sessions              func(context.Context, uuid.UUID) (int, error)
	AllSessions           func(context.Context, uuid.UUID) func(func(vbgcapi.SessionInfoItemModel, error) bool)
	Protected             func(context.Context, uuid.UUID) (map[string]any, error)
	AllProtected          func(context.Context, uuid.UUID) ([]map[string]any, error)
	Script                func(context.Context) (io.ReadCloser, error)
	ScriptSpec            map[string]any
}

// policyService is the method set the three generated policy services
// share, each on its own models: M the policy, L its list, S the spec, SS
// the permissions-script spec, St the status, Sc the schedule, C the cost,
// PL the protected resources (R one of them) and P the priority spec.
type policyService[M, L, S, SS, St, Sc, C, PL, R, P any] interface {
	List(context.Context, *vbgc.ListOptions) (*L, error)
	All(context.Context, *vbgc.ListOptions) iter.Seq2[M, error]
	Create(context.Context, S) (*M, error)
	Get(context.Context, uuid.UUID) (*M, error)
	Update(context.Context, uuid.UUID, S) (*M, error)
	Delete(context.Context, uuid.UUID) error
	Start(context.Context, uuid.UUID) (*vbgcapi.SessionIDModel, error)
	Stop(context.Context, uuid.UUID) error
	Enable(context.Context, uuid.UUID) error
	Disable(context.Context, uuid.UUID) error
	SetPriority(context.Context, uuid.UUID, P) error
	CalculateCost(context.Context, S) (*C, error)
	CalculateModifiedCost(context.Context, uuid.UUID, S) (*C, error)
	Status(context.Context, uuid.UUID) (*St, error)
	Schedule(context.Context, uuid.UUID) (*Sc, error)
	Sessions(context.Context, uuid.UUID, *vbgc.ListOptions) (*vbgcapi.SessionsInfoListModel, error)
	AllSessions(context.Context, uuid.UUID, *vbgc.ListOptions) iter.Seq2[vbgcapi.SessionInfoItemModel, error]
	ProtectedResources(context.Context, uuid.UUID, *vbgc.ListOptions) (*PL, error)
	AllProtectedResources(context.Context, uuid.UUID, *vbgc.ListOptions) iter.Seq2[R, error]
	GeneratePermissionsScript(context.Context, SS) (io.ReadCloser, error)
}

func bindPolicies[M, L, S, SS, St, Sc, C, PL, R, P any](s policyService[M, L, S, SS, St, Sc, C, PL, R, P], count func(*L) (int, int32),
	status func(*St) (vbgcapi.EPolicyRunningState, *uuid.UUID), script SS, priority func(int32) P) policyCalls[M, S] {
	return policyCalls[M, S]{
		List: func(ctx context.Context, o *vbgc.ListOptions) (int, int32, error) {
			l, err := s.List(ctx, o)
			if err != nil {
				return 0, 0, err
			}
			n, total := count(l)
			return n, total, nil
		},
		All:    func(ctx context.Context, o *vbgc.ListOptions) func(func(M, error) bool) { return s.All(ctx, o) },
		Create: s.Create, Get: s.Get, Update: s.Update, Delete: s.Delete, Start: s.Start, Stop: s.Stop,
		Enable: s.Enable, Disable: s.Disable,
		SetPriority: func(ctx context.Context, id uuid.UUID, p int32) error {
			return s.SetPriority(ctx, id, priority(p))
		},
		CalculateCost: func(ctx context.Context, spec S) (map[string]any, error) {
			return asMap(s.CalculateCost(ctx, spec))
		},
		CalculateModifiedCost: func(ctx context.Context, id uuid.UUID, spec S) (map[string]any, error) {
			return asMap(s.CalculateModifiedCost(ctx, id, spec))
		},
		Status: func(ctx context.Context, id uuid.UUID) (vbgcapi.EPolicyRunningState, *uuid.UUID, error) {
			st, err := s.Status(ctx, id)
			if err != nil {
				return "", nil, err
			}
			state, cur := status(st)
			return state, cur, nil
		},
		Schedule: func(ctx context.Context, id uuid.UUID) (map[string]any, error) { return asMap(s.Schedule(ctx, id)) },
		Sessions: func(ctx context.Context, id uuid.UUID) (int, error) {
			l, err := s.Sessions(ctx, id, nil)
			if err != nil {
				return 0, err
			}
			return len(l.Data), nil
		},
		AllSessions: func(ctx context.Context, id uuid.UUID) func(func(vbgcapi.SessionInfoItemModel, error) bool) {
			return s.AllSessions(ctx, id, &vbgc.ListOptions{Limit: 1})
		},
		Protected: func(ctx context.Context, id uuid.UUID) (map[string]any, error) {
			return asMap(s.ProtectedResources(ctx, id, nil))
		},
		AllProtected: func(ctx context.Context, id uuid.UUID) ([]map[string]any, error) {
			var out []map[string]any
			for r, err := range s.AllProtectedResources(ctx, id, &vbgc.ListOptions{Limit: 1}) {
				if err != nil {
					return out, err
				}
				m, err := asMap(&r, nil)
				if err != nil {
					return out, err
				}
				out = append(out, m)
			}
			return out, nil
		},
		Script:     func(ctx context.Context) (io.ReadCloser, error) { return s.GeneratePermissionsScript(ctx, script) },
		ScriptSpec: mustMap(script),
	}
}

// asMap gives a result as the JSON object it encodes, so that one test reads
// the models of the three families.
func asMap[T any](v *T, err error) (map[string]any, error) {
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}

func mustMap(v any) map[string]any {
	m, err := asMap(&v, nil)
	if err != nil {
		panic(err)
	}
	return m
}

// respec changes a policy spec through its JSON object.
func respec[S any](t *testing.T, spec S, change func(m map[string]any)) S {
	t.Helper()
	m := mustMap(spec)
	change(m)
	b, err := json.Marshal(m)
	require.NoError(t, err)
	var out S
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

// withInstances selects the instances ids (and nothing else) in a spec.
func withInstances(ids ...string) func(m map[string]any) {
	return func(m map[string]any) {
		items := []any{}
		for _, id := range ids {
			items = append(items, map[string]any{"type": "Instance", "id": id, "name": id, "projectId": "acme-prod", "regionId": "europe-west1"})
		}
		m["sourceOptions"].(map[string]any)["selectedItems"] = items
	}
}

// resourceIDs lists the resourceId of each object of a list.
func resourceIDs(items any) []string {
	var ids []string
	list, _ := items.([]any)
	for _, it := range list {
		id, _ := it.(map[string]any)["resourceId"].(string)
		ids = append(ids, id)
	}
	return ids
}

func runPolicyContract[M, S any](t *testing.T, api policyAPI[M, S]) {
	ctx := context.Background()
	srv, c := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"))
	p := api.svc(c)

	// Create five policies, list them back in pages and sorted.
	var ids []uuid.UUID
	for i := range 5 {
		m, err := p.Create(ctx, api.spec(t, fmt.Sprintf("%s-policy-%d", api.family, i)))
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("%s-policy-%d", api.family, i), api.name(*m))
		assert.True(t, api.enabled(*m))
		ids = append(ids, api.id(*m))
	}
	_, err := p.Create(ctx, api.spec(t, api.family+"-policy-0"))
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "names are unique")

	n, total, err := p.List(ctx, &vbgc.ListOptions{Limit: 2})
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	assert.EqualValues(t, 5, total)
	var names []string
	for m, err := range p.All(ctx, &vbgc.ListOptions{Limit: 2, OrderBy: orderBy(t, vbgc.Order{Property: "name", Descending: true})}) {
		require.NoError(t, err)
		names = append(names, api.name(m))
	}
	require.Len(t, names, 5)
	assert.Equal(t, api.family+"-policy-4", names[0])
	filtered := 0
	for _, err := range p.All(ctx, &vbgc.ListOptions{Filter: filter(t, vbgc.Condition{Property: "name", Operator: vbgc.OpContains, Value: "POLICY-3", IgnoreCase: true})}) {
		require.NoError(t, err)
		filtered++
	}
	assert.Equal(t, 1, filtered)

	// Modify, prioritize, disable and enable.
	id := ids[0]
	m, err := p.Update(ctx, id, api.spec(t, api.family+"-renamed"))
	require.NoError(t, err)
	assert.Equal(t, api.family+"-renamed", api.name(*m))
	require.NoError(t, p.SetPriority(ctx, id, 7))
	require.NoError(t, p.Disable(ctx, id))
	m, err = p.Get(ctx, id)
	require.NoError(t, err)
	assert.False(t, api.enabled(*m))
	assert.EqualValues(t, 7, api.priority(*m))
	_, err = p.Start(ctx, id)
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "a disabled policy does not start")
	require.NoError(t, p.Enable(ctx, id))

	// Start, watch the status, wait for the session, read the sessions.
	sess, err := p.Start(ctx, id)
	require.NoError(t, err)
	state, cur, err := p.Status(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.EPolicyRunningStateRunning, state)
	require.NotNil(t, cur)
	assert.Equal(t, sess.SessionID, *cur)
	done, err := c.Sessions.Wait(ctx, sess.SessionID, fastWait)
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.ESessionResultSuccess, done.Result)
	state, _, err = p.Status(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.EPolicyRunningStateIdle, state)

	// The policy protects the instance its spec selects, which the run
	// backed up.
	protected, err := p.AllProtected(ctx, id)
	require.NoError(t, err)
	require.Len(t, protected, 1, "the example selects one instance (and a label)")
	assert.Equal(t, "Success", protected[0]["lastResult"])
	assert.NotEmpty(t, protected[0]["lastSnapshotTime"])
	assert.EqualValues(t, vbgcfake.ResourceSizeGB, protected[0]["sizeGb"])

	// A second run is stopped before it ends.
	sess2, err := p.Start(ctx, id)
	require.NoError(t, err)
	require.NoError(t, p.Stop(ctx, id))
	_, err = c.Sessions.Wait(ctx, sess2.SessionID, fastWait)
	assert.ErrorIs(t, err, vbgc.ErrSessionFailed, "a stopped run ends Canceled")

	count, err := p.Sessions(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, 2, count)
	seen := 0
	for s, err := range p.AllSessions(ctx, id) {
		require.NoError(t, err)
		assert.Equal(t, id, *s.PolicyID)
		seen++
	}
	assert.Equal(t, 2, seen, "two sessions in pages of one")

	// Modified to three instances and a daily schedule only: the schedule
	// and the protected resources follow the spec; the last run was stopped.
	three := respec(t, api.spec(t, api.family+"-renamed"), func(m map[string]any) {
		withInstances("inst-a", "inst-b", "inst-c")(m)
		sched := m["scheduleOptions"].(map[string]any)
		m["scheduleOptions"] = map[string]any{"dailySchedule": sched["dailySchedule"]}
	})
	_, err = p.Update(ctx, id, three)
	require.NoError(t, err)
	sched, err := p.Schedule(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, mustMap(three)["scheduleOptions"], sched)
	assert.NotContains(t, sched, "weeklySchedule")
	page, err := p.Protected(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, []string{"inst-a", "inst-b", "inst-c"}, resourceIDs(page["data"]))
	assert.EqualValues(t, 3, page["pagination"].(map[string]any)["totalCount"])
	protected, err = p.AllProtected(ctx, id)
	require.NoError(t, err)
	require.Len(t, protected, 3, "three resources in pages of one")
	for _, r := range protected {
		assert.Equal(t, "Canceled", r["lastResult"])
		assert.NotContains(t, r, "lastSnapshotTime")
	}
	_, err = p.Schedule(ctx, uuid.New())
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = p.Protected(ctx, uuid.New())
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	// Estimates: each selected instance is priced by its size; backups
	// only when the spec enables them.
	perSnapshot := vbgcfake.ResourceSizeGB * vbgcfake.SnapshotPricePerGB
	perBackup := vbgcfake.ResourceSizeGB * vbgcfake.BackupPricePerGB
	cost, err := p.CalculateCost(ctx, respec(t, api.spec(t, "cost"), withInstances("one", "two")))
	require.NoError(t, err)
	assert.Equal(t, "USD", cost["currency"])
	assert.Equal(t, []string{"one", "two"}, resourceIDs(cost["resources"]))
	assert.InDelta(t, 2*perSnapshot, cost["snapshotsMonthlyCost"], 0.001)
	assert.InDelta(t, 2*perBackup, cost["backupsMonthlyCost"], 0.001)
	assert.InDelta(t, 2*(perSnapshot+perBackup), cost["totalMonthlyCost"], 0.001)
	noBackups := respec(t, three, func(m map[string]any) { m["backupOptionsEnabled"] = false })
	cost, err = p.CalculateModifiedCost(ctx, id, noBackups)
	require.NoError(t, err)
	assert.Equal(t, []string{"inst-a", "inst-b", "inst-c"}, resourceIDs(cost["resources"]))
	assert.InDelta(t, 0, cost["backupsMonthlyCost"], 0.001)
	assert.InDelta(t, 3*perSnapshot, cost["totalMonthlyCost"], 0.001)
	_, err = p.CalculateModifiedCost(ctx, uuid.New(), noBackups)
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	// The permissions script grants the family's roles to the account in
	// each project of the request.
	rc, err := p.Script(ctx)
	require.NoError(t, err)
	script, err := io.ReadAll(rc)
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	account := p.ScriptSpec["serviceAccountId"].(string)
	for _, project := range p.ScriptSpec["projects"].([]any) {
		assert.Contains(t, string(script), fmt.Sprintf("gcloud projects add-iam-policy-binding %s --member=serviceAccount:%s --role=%s",
			project, account, api.role))
	}
	assert.Contains(t, string(script), "roles/storage.admin", "the request asks for backups")

	// Delete, then the policy is gone.
	require.NoError(t, p.Delete(ctx, id))
	_, err = p.Get(ctx, id)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	assert.ErrorIs(t, p.Delete(ctx, id), apierr.ErrNotFound)
	assert.Equal(t, 4, srv.PolicyCount(api.family))

	assertOperationsCalled(t, srv, api.prefixes...)
}

func TestVBGCVMPoliciesContract(t *testing.T) {
	runPolicyContract(t, policyAPI[vbgcapi.VMPolicyModel, vbgcapi.PolicySpecV2]{
		family: "Vm",
		svc: func(c *vbgc.Client) policyCalls[vbgcapi.VMPolicyModel, vbgcapi.PolicySpecV2] {
			return bindPolicies(c.VMPolicies,
				func(l *vbgcapi.VMPolicyListModel) (int, int32) { return len(l.Data), l.Pagination.TotalCount },
				func(s *vbgcapi.VMPolicyStatusModel) (vbgcapi.EPolicyRunningState, *uuid.UUID) {
					return s.State, s.CurrentSessionID
				},
				example[vbgcapi.VMPolicyPermissionsScriptSpec](t, "VmPolicyPermissionsScriptSpec"),
				func(p int32) vbgcapi.VMPolicyPrioritySpec { return vbgcapi.VMPolicyPrioritySpec{Priority: p} })
		},
		spec: func(t *testing.T, name string) vbgcapi.PolicySpecV2 {
			s := example[vbgcapi.PolicySpecV2](t, "PolicySpecV2")
			s.Name = name
			return s
		},
		id:       func(m vbgcapi.VMPolicyModel) uuid.UUID { return m.ID },
		name:     func(m vbgcapi.VMPolicyModel) string { return m.Name },
		enabled:  func(m vbgcapi.VMPolicyModel) bool { return m.IsEnabled },
		priority: func(m vbgcapi.VMPolicyModel) int32 { return m.Priority },
		prefixes: []string{"VmPolic"},
		role:     "roles/compute.storageAdmin",
	})
}

func TestVBGCSQLPoliciesContract(t *testing.T) {
	runPolicyContract(t, policyAPI[vbgcapi.SQLPolicyModelV2, vbgcapi.SQLPolicySpecV3]{
		family: "Sql",
		svc: func(c *vbgc.Client) policyCalls[vbgcapi.SQLPolicyModelV2, vbgcapi.SQLPolicySpecV3] {
			return bindPolicies(c.SQLPolicies,
				func(l *vbgcapi.SQLPolicyListModel) (int, int32) { return len(l.Data), l.Pagination.TotalCount },
				func(s *vbgcapi.SQLPolicyStatusModel) (vbgcapi.EPolicyRunningState, *uuid.UUID) {
					return s.State, s.CurrentSessionID
				},
				example[vbgcapi.SQLPolicyPermissionsScriptSpec](t, "SqlPolicyPermissionsScriptSpec"),
				func(p int32) vbgcapi.SQLPolicyPrioritySpec { return vbgcapi.SQLPolicyPrioritySpec{Priority: p} })
		},
		spec: func(t *testing.T, name string) vbgcapi.SQLPolicySpecV3 {
			s := example[vbgcapi.SQLPolicySpecV3](t, "SqlPolicySpecV3")
			s.Name = name
			return s
		},
		id:       func(m vbgcapi.SQLPolicyModelV2) uuid.UUID { return m.ID },
		name:     func(m vbgcapi.SQLPolicyModelV2) string { return m.Name },
		enabled:  func(m vbgcapi.SQLPolicyModelV2) bool { return m.IsEnabled },
		priority: func(m vbgcapi.SQLPolicyModelV2) int32 { return m.Priority },
		prefixes: []string{"SqlPolic"},
		role:     "roles/cloudsql.admin",
	})
}

func TestVBGCSpannerPoliciesContract(t *testing.T) {
	runPolicyContract(t, policyAPI[vbgcapi.SpannerPolicyModel, vbgcapi.SpannerPolicySpec]{
		family: "Spanner",
		svc: func(c *vbgc.Client) policyCalls[vbgcapi.SpannerPolicyModel, vbgcapi.SpannerPolicySpec] {
			return bindPolicies(c.SpannerPolicies,
				func(l *vbgcapi.SpannerPolicyListModel) (int, int32) { return len(l.Data), l.Pagination.TotalCount },
				func(s *vbgcapi.SpannerPolicyStatusModel) (vbgcapi.EPolicyRunningState, *uuid.UUID) {
					return s.State, s.CurrentSessionID
				},
				example[vbgcapi.SpannerPolicyPermissionsScriptSpec](t, "SpannerPolicyPermissionsScriptSpec"),
				func(p int32) vbgcapi.SpannerPolicyPrioritySpec { return vbgcapi.SpannerPolicyPrioritySpec{Priority: p} })
		},
		spec: func(t *testing.T, name string) vbgcapi.SpannerPolicySpec {
			s := example[vbgcapi.SpannerPolicySpec](t, "SpannerPolicySpec")
			s.Name = name
			return s
		},
		id:       func(m vbgcapi.SpannerPolicyModel) uuid.UUID { return m.ID },
		name:     func(m vbgcapi.SpannerPolicyModel) string { return m.Name },
		enabled:  func(m vbgcapi.SpannerPolicyModel) bool { return m.IsEnabled },
		priority: func(m vbgcapi.SpannerPolicyModel) int32 { return m.Priority },
		prefixes: []string{"SpannerPolic"},
		role:     "roles/spanner.backupAdmin",
	})
}

// A body that cannot be encoded (an email address the generated Email type
// refuses) fails before anything is sent, with an error that names the
// operation and the field.
func TestVBGCPolicyBodyEncodeErrorNamesOperationAndField(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"))

	spec := example[vbgcapi.PolicySpecV2](t, "PolicySpecV2")
	spec.Name = "bad-recipient"
	spec.NotificationSettings = &vbgcapi.VMPolicyNotificationSettingsModel{IsEnabled: true,
		Recipients: []openapi_types.Email{"backup-admins@example.com", "not an address"}}

	_, err := c.VMPolicies.Create(ctx, spec)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "VmPolicyCreate: encode request body: field notificationSettings.recipients[1]: ")
	assert.ErrorIs(t, err, openapi_types.ErrValidationEmail, "the cause is kept")
	var me *json.MarshalerError
	assert.ErrorAs(t, err, &me)

	m, err := c.VMPolicies.Create(ctx, example[vbgcapi.PolicySpecV2](t, "PolicySpecV2"))
	require.NoError(t, err)
	_, err = c.VMPolicies.Update(ctx, m.ID, spec)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "VmPolicyUpdate: encode request body: field notificationSettings.recipients[1]: ")
	assert.ErrorIs(t, err, openapi_types.ErrValidationEmail)
	assert.Equal(t, 1, srv.PolicyCount("Vm"), "the bad bodies were never sent")

	script := example[vbgcapi.SQLPolicyPermissionsScriptSpec](t, "SqlPolicyPermissionsScriptSpec")
	script.ServiceAccountID = "nobody"
	_, err = c.SQLPolicies.GeneratePermissionsScript(ctx, script)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "SqlPoliciesGeneratePermissionsScript: encode request body: field serviceAccountId: ")
	assert.ErrorIs(t, err, openapi_types.ErrValidationEmail)
}
