package vbgc

import (
	"context"
	"net/http"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
)

// The bindings of the three policy families to their generated calls.

func newVMPoliciesService(s service) *VMPoliciesService {
	return &VMPoliciesService{service: s, b: policyBinding[vbgcapi.VmPolicyModel, vbgcapi.VmPolicyListModel, vbgcapi.PolicySpecV2, vbgcapi.VmPolicyPermissionsScriptSpec, vbgcapi.VmPolicyStatusModel, vbgcapi.VmPolicyScheduleModel, vbgcapi.VmPolicyEstimatedCostModel, vbgcapi.VmPolicyProtectedResourceListModel]{
		family: "Vm",
		list: func(ctx context.Context, api vbgcapi.ClientInterface, q query) (*http.Response, error) {
			p := vbgcapi.VmPoliciesGetAllParams(q)
			return api.VmPoliciesGetAll(ctx, &p)
		},
		items: func(l *vbgcapi.VmPolicyListModel) ([]vbgcapi.VmPolicyModel, vbgcapi.PaginationModel) {
			return l.Data, l.Pagination
		},
		create: func(ctx context.Context, api vbgcapi.ClientInterface, v string, spec vbgcapi.PolicySpecV2) (*http.Response, error) {
			return api.VmPolicyCreate(ctx, &vbgcapi.VmPolicyCreateParams{XApiVersion: v}, spec)
		},
		script: func(ctx context.Context, api vbgcapi.ClientInterface, v string, spec vbgcapi.VmPolicyPermissionsScriptSpec, ed ...vbgcapi.RequestEditorFn) (*http.Response, error) {
			return api.VmPoliciesGeneratePermissionsScript(ctx, &vbgcapi.VmPoliciesGeneratePermissionsScriptParams{XApiVersion: v}, spec, ed...)
		},
		get: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.VmPolicyGet(ctx, id, &vbgcapi.VmPolicyGetParams{XApiVersion: v})
		},
		remove: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.VmPolicyDelete(ctx, id, &vbgcapi.VmPolicyDeleteParams{XApiVersion: v})
		},
		update: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, spec vbgcapi.PolicySpecV2) (*http.Response, error) {
			return api.VmPolicyUpdate(ctx, id, &vbgcapi.VmPolicyUpdateParams{XApiVersion: v}, spec)
		},
		start: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.VmPolicyStart(ctx, id, &vbgcapi.VmPolicyStartParams{XApiVersion: v})
		},
		stop: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.VmPolicyStop(ctx, id, &vbgcapi.VmPolicyStopParams{XApiVersion: v})
		},
		enable: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.VmPolicyEnable(ctx, id, &vbgcapi.VmPolicyEnableParams{XApiVersion: v})
		},
		disable: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.VmPolicyDisable(ctx, id, &vbgcapi.VmPolicyDisableParams{XApiVersion: v})
		},
		priority: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, p int32) (*http.Response, error) {
			return api.VmPolicySetPriority(ctx, id, &vbgcapi.VmPolicySetPriorityParams{XApiVersion: v}, vbgcapi.VmPolicyPrioritySpec{Priority: p})
		},
		cost: func(ctx context.Context, api vbgcapi.ClientInterface, v string, spec vbgcapi.PolicySpecV2) (*http.Response, error) {
			return api.VmPoliciesCalculateCost(ctx, &vbgcapi.VmPoliciesCalculateCostParams{XApiVersion: v}, spec)
		},
		costModified: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, spec vbgcapi.PolicySpecV2) (*http.Response, error) {
			return api.VmPolicyCalculateCost(ctx, id, &vbgcapi.VmPolicyCalculateCostParams{XApiVersion: v}, spec)
		},
		status: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.VmPolicyGetStatus(ctx, id, &vbgcapi.VmPolicyGetStatusParams{XApiVersion: v})
		},
		schedule: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.VmPolicyGetSchedule(ctx, id, &vbgcapi.VmPolicyGetScheduleParams{XApiVersion: v})
		},
		sessions: func(ctx context.Context, api vbgcapi.ClientInterface, id uuid.UUID, q query) (*http.Response, error) {
			p := vbgcapi.VmPolicyGetSessionsParams(q)
			return api.VmPolicyGetSessions(ctx, id, &p)
		},
		protected: func(ctx context.Context, api vbgcapi.ClientInterface, id uuid.UUID, q query) (*http.Response, error) {
			p := vbgcapi.VmPolicyGetProtectedResourcesParams(q)
			return api.VmPolicyGetProtectedResources(ctx, id, &p)
		},
	}}
}

func newSQLPoliciesService(s service) *SQLPoliciesService {
	return &SQLPoliciesService{service: s, b: policyBinding[vbgcapi.SqlPolicyModelV2, vbgcapi.SqlPolicyListModel, vbgcapi.SqlPolicySpecV3, vbgcapi.SqlPolicyPermissionsScriptSpec, vbgcapi.SqlPolicyStatusModel, vbgcapi.SqlPolicyScheduleModel, vbgcapi.SqlPolicyEstimatedCostModel, vbgcapi.SqlPolicyProtectedResourceListModel]{
		family: "Sql",
		list: func(ctx context.Context, api vbgcapi.ClientInterface, q query) (*http.Response, error) {
			p := vbgcapi.SqlPoliciesGetAllParams(q)
			return api.SqlPoliciesGetAll(ctx, &p)
		},
		items: func(l *vbgcapi.SqlPolicyListModel) ([]vbgcapi.SqlPolicyModelV2, vbgcapi.PaginationModel) {
			return l.Data, l.Pagination
		},
		create: func(ctx context.Context, api vbgcapi.ClientInterface, v string, spec vbgcapi.SqlPolicySpecV3) (*http.Response, error) {
			return api.SqlPolicyCreate(ctx, &vbgcapi.SqlPolicyCreateParams{XApiVersion: v}, spec)
		},
		script: func(ctx context.Context, api vbgcapi.ClientInterface, v string, spec vbgcapi.SqlPolicyPermissionsScriptSpec, ed ...vbgcapi.RequestEditorFn) (*http.Response, error) {
			return api.SqlPoliciesGeneratePermissionsScript(ctx, &vbgcapi.SqlPoliciesGeneratePermissionsScriptParams{XApiVersion: v}, spec, ed...)
		},
		get: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SqlPolicyGet(ctx, id, &vbgcapi.SqlPolicyGetParams{XApiVersion: v})
		},
		remove: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SqlPolicyDelete(ctx, id, &vbgcapi.SqlPolicyDeleteParams{XApiVersion: v})
		},
		update: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, spec vbgcapi.SqlPolicySpecV3) (*http.Response, error) {
			return api.SqlPolicyUpdate(ctx, id, &vbgcapi.SqlPolicyUpdateParams{XApiVersion: v}, spec)
		},
		start: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SqlPolicyStart(ctx, id, &vbgcapi.SqlPolicyStartParams{XApiVersion: v})
		},
		stop: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SqlPolicyStop(ctx, id, &vbgcapi.SqlPolicyStopParams{XApiVersion: v})
		},
		enable: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SqlPolicyEnable(ctx, id, &vbgcapi.SqlPolicyEnableParams{XApiVersion: v})
		},
		disable: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SqlPolicyDisable(ctx, id, &vbgcapi.SqlPolicyDisableParams{XApiVersion: v})
		},
		priority: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, p int32) (*http.Response, error) {
			return api.SqlPolicySetPriority(ctx, id, &vbgcapi.SqlPolicySetPriorityParams{XApiVersion: v}, vbgcapi.SqlPolicyPrioritySpec{Priority: p})
		},
		cost: func(ctx context.Context, api vbgcapi.ClientInterface, v string, spec vbgcapi.SqlPolicySpecV3) (*http.Response, error) {
			return api.SqlPoliciesCalculateCost(ctx, &vbgcapi.SqlPoliciesCalculateCostParams{XApiVersion: v}, spec)
		},
		costModified: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, spec vbgcapi.SqlPolicySpecV3) (*http.Response, error) {
			return api.SqlPolicyCalculateCost(ctx, id, &vbgcapi.SqlPolicyCalculateCostParams{XApiVersion: v}, spec)
		},
		status: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SqlPolicyGetStatus(ctx, id, &vbgcapi.SqlPolicyGetStatusParams{XApiVersion: v})
		},
		schedule: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SqlPolicyGetSchedule(ctx, id, &vbgcapi.SqlPolicyGetScheduleParams{XApiVersion: v})
		},
		sessions: func(ctx context.Context, api vbgcapi.ClientInterface, id uuid.UUID, q query) (*http.Response, error) {
			p := vbgcapi.SqlPolicyGetSessionsParams(q)
			return api.SqlPolicyGetSessions(ctx, id, &p)
		},
		protected: func(ctx context.Context, api vbgcapi.ClientInterface, id uuid.UUID, q query) (*http.Response, error) {
			p := vbgcapi.SqlPolicyGetProtectedResourcesParams(q)
			return api.SqlPolicyGetProtectedResources(ctx, id, &p)
		},
	}}
}

func newSpannerPoliciesService(s service) *SpannerPoliciesService {
	return &SpannerPoliciesService{service: s, b: policyBinding[vbgcapi.SpannerPolicyModel, vbgcapi.SpannerPolicyListModel, vbgcapi.SpannerPolicySpec, vbgcapi.SpannerPolicyPermissionsScriptSpec, vbgcapi.SpannerPolicyStatusModel, vbgcapi.SpannerPolicyScheduleModel, vbgcapi.SpannerPolicyEstimatedCostModel, vbgcapi.SpannerPolicyProtectedResourceListModel]{
		family: "Spanner",
		list: func(ctx context.Context, api vbgcapi.ClientInterface, q query) (*http.Response, error) {
			p := vbgcapi.SpannerPoliciesGetAllParams(q)
			return api.SpannerPoliciesGetAll(ctx, &p)
		},
		items: func(l *vbgcapi.SpannerPolicyListModel) ([]vbgcapi.SpannerPolicyModel, vbgcapi.PaginationModel) {
			return l.Data, l.Pagination
		},
		create: func(ctx context.Context, api vbgcapi.ClientInterface, v string, spec vbgcapi.SpannerPolicySpec) (*http.Response, error) {
			return api.SpannerPolicyCreate(ctx, &vbgcapi.SpannerPolicyCreateParams{XApiVersion: v}, spec)
		},
		script: func(ctx context.Context, api vbgcapi.ClientInterface, v string, spec vbgcapi.SpannerPolicyPermissionsScriptSpec, ed ...vbgcapi.RequestEditorFn) (*http.Response, error) {
			return api.SpannerPoliciesGeneratePermissionsScript(ctx, &vbgcapi.SpannerPoliciesGeneratePermissionsScriptParams{XApiVersion: v}, spec, ed...)
		},
		get: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SpannerPolicyGet(ctx, id, &vbgcapi.SpannerPolicyGetParams{XApiVersion: v})
		},
		remove: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SpannerPolicyDelete(ctx, id, &vbgcapi.SpannerPolicyDeleteParams{XApiVersion: v})
		},
		update: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, spec vbgcapi.SpannerPolicySpec) (*http.Response, error) {
			return api.SpannerPolicyUpdate(ctx, id, &vbgcapi.SpannerPolicyUpdateParams{XApiVersion: v}, spec)
		},
		start: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SpannerPolicyStart(ctx, id, &vbgcapi.SpannerPolicyStartParams{XApiVersion: v})
		},
		stop: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SpannerPolicyStop(ctx, id, &vbgcapi.SpannerPolicyStopParams{XApiVersion: v})
		},
		enable: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SpannerPolicyEnable(ctx, id, &vbgcapi.SpannerPolicyEnableParams{XApiVersion: v})
		},
		disable: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SpannerPolicyDisable(ctx, id, &vbgcapi.SpannerPolicyDisableParams{XApiVersion: v})
		},
		priority: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, p int32) (*http.Response, error) {
			return api.SpannerPolicySetPriority(ctx, id, &vbgcapi.SpannerPolicySetPriorityParams{XApiVersion: v}, vbgcapi.SpannerPolicyPrioritySpec{Priority: p})
		},
		cost: func(ctx context.Context, api vbgcapi.ClientInterface, v string, spec vbgcapi.SpannerPolicySpec) (*http.Response, error) {
			return api.SpannerPoliciesCalculateCost(ctx, &vbgcapi.SpannerPoliciesCalculateCostParams{XApiVersion: v}, spec)
		},
		costModified: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, spec vbgcapi.SpannerPolicySpec) (*http.Response, error) {
			return api.SpannerPolicyCalculateCost(ctx, id, &vbgcapi.SpannerPolicyCalculateCostParams{XApiVersion: v}, spec)
		},
		status: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SpannerPolicyGetStatus(ctx, id, &vbgcapi.SpannerPolicyGetStatusParams{XApiVersion: v})
		},
		schedule: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SpannerPolicyGetSchedule(ctx, id, &vbgcapi.SpannerPolicyGetScheduleParams{XApiVersion: v})
		},
		sessions: func(ctx context.Context, api vbgcapi.ClientInterface, id uuid.UUID, q query) (*http.Response, error) {
			p := vbgcapi.SpannerPolicyGetSessionsParams(q)
			return api.SpannerPolicyGetSessions(ctx, id, &p)
		},
		protected: func(ctx context.Context, api vbgcapi.ClientInterface, id uuid.UUID, q query) (*http.Response, error) {
			p := vbgcapi.SpannerPolicyGetProtectedResourcesParams(q)
			return api.SpannerPolicyGetProtectedResources(ctx, id, &p)
		},
	}}
}
