package vbgc

import (
	"context"
	"net/http"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
)

// The bindings of the three policy families to their generated calls.

func newVMPoliciesService(s service) *VMPoliciesService {
	return &VMPoliciesService{service: s, b: policyBinding[vbgcapi.VMPolicyModel, vbgcapi.VMPolicyListModel, vbgcapi.PolicySpecV2, vbgcapi.VMPolicyPermissionsScriptSpec, vbgcapi.VMPolicyStatusModel, vbgcapi.VMPolicyScheduleModel, vbgcapi.VMPolicyEstimatedCostModel, vbgcapi.VMPolicyProtectedResourceListModel]{
		family: "Vm",
		list: func(ctx context.Context, api vbgcapi.ClientInterface, q query) (*http.Response, error) {
			p := vbgcapi.VMPoliciesGetAllParams(q)
			return api.VMPoliciesGetAll(ctx, &p)
		},
		items: func(l *vbgcapi.VMPolicyListModel) ([]vbgcapi.VMPolicyModel, vbgcapi.PaginationModel) {
			return l.Data, l.Pagination
		},
		create: func(ctx context.Context, api vbgcapi.ClientInterface, v string, spec vbgcapi.PolicySpecV2) (*http.Response, error) {
			return api.VMPolicyCreate(ctx, &vbgcapi.VMPolicyCreateParams{XAPIVersion: v}, spec)
		},
		script: func(ctx context.Context, api vbgcapi.ClientInterface, v string, spec vbgcapi.VMPolicyPermissionsScriptSpec, ed ...vbgcapi.RequestEditorFn) (*http.Response, error) {
			return api.VMPoliciesGeneratePermissionsScript(ctx, &vbgcapi.VMPoliciesGeneratePermissionsScriptParams{XAPIVersion: v}, spec, ed...)
		},
		get: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.VMPolicyGet(ctx, id, &vbgcapi.VMPolicyGetParams{XAPIVersion: v})
		},
		remove: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.VMPolicyDelete(ctx, id, &vbgcapi.VMPolicyDeleteParams{XAPIVersion: v})
		},
		update: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, spec vbgcapi.PolicySpecV2) (*http.Response, error) {
			return api.VMPolicyUpdate(ctx, id, &vbgcapi.VMPolicyUpdateParams{XAPIVersion: v}, spec)
		},
		start: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.VMPolicyStart(ctx, id, &vbgcapi.VMPolicyStartParams{XAPIVersion: v})
		},
		stop: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.VMPolicyStop(ctx, id, &vbgcapi.VMPolicyStopParams{XAPIVersion: v})
		},
		enable: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.VMPolicyEnable(ctx, id, &vbgcapi.VMPolicyEnableParams{XAPIVersion: v})
		},
		disable: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.VMPolicyDisable(ctx, id, &vbgcapi.VMPolicyDisableParams{XAPIVersion: v})
		},
		priority: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, p int32) (*http.Response, error) {
			return api.VMPolicySetPriority(ctx, id, &vbgcapi.VMPolicySetPriorityParams{XAPIVersion: v}, vbgcapi.VMPolicyPrioritySpec{Priority: p})
		},
		cost: func(ctx context.Context, api vbgcapi.ClientInterface, v string, spec vbgcapi.PolicySpecV2) (*http.Response, error) {
			return api.VMPoliciesCalculateCost(ctx, &vbgcapi.VMPoliciesCalculateCostParams{XAPIVersion: v}, spec)
		},
		costModified: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, spec vbgcapi.PolicySpecV2) (*http.Response, error) {
			return api.VMPolicyCalculateCost(ctx, id, &vbgcapi.VMPolicyCalculateCostParams{XAPIVersion: v}, spec)
		},
		status: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.VMPolicyGetStatus(ctx, id, &vbgcapi.VMPolicyGetStatusParams{XAPIVersion: v})
		},
		schedule: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.VMPolicyGetSchedule(ctx, id, &vbgcapi.VMPolicyGetScheduleParams{XAPIVersion: v})
		},
		sessions: func(ctx context.Context, api vbgcapi.ClientInterface, id uuid.UUID, q query) (*http.Response, error) {
			p := vbgcapi.VMPolicyGetSessionsParams(q)
			return api.VMPolicyGetSessions(ctx, id, &p)
		},
		protected: func(ctx context.Context, api vbgcapi.ClientInterface, id uuid.UUID, q query) (*http.Response, error) {
			p := vbgcapi.VMPolicyGetProtectedResourcesParams(q)
			return api.VMPolicyGetProtectedResources(ctx, id, &p)
		},
	}}
}

func newSQLPoliciesService(s service) *SQLPoliciesService {
	return &SQLPoliciesService{service: s, b: policyBinding[vbgcapi.SQLPolicyModelV2, vbgcapi.SQLPolicyListModel, vbgcapi.SQLPolicySpecV3, vbgcapi.SQLPolicyPermissionsScriptSpec, vbgcapi.SQLPolicyStatusModel, vbgcapi.SQLPolicyScheduleModel, vbgcapi.SQLPolicyEstimatedCostModel, vbgcapi.SQLPolicyProtectedResourceListModel]{
		family: "Sql",
		list: func(ctx context.Context, api vbgcapi.ClientInterface, q query) (*http.Response, error) {
			p := vbgcapi.SQLPoliciesGetAllParams(q)
			return api.SQLPoliciesGetAll(ctx, &p)
		},
		items: func(l *vbgcapi.SQLPolicyListModel) ([]vbgcapi.SQLPolicyModelV2, vbgcapi.PaginationModel) {
			return l.Data, l.Pagination
		},
		create: func(ctx context.Context, api vbgcapi.ClientInterface, v string, spec vbgcapi.SQLPolicySpecV3) (*http.Response, error) {
			return api.SQLPolicyCreate(ctx, &vbgcapi.SQLPolicyCreateParams{XAPIVersion: v}, spec)
		},
		script: func(ctx context.Context, api vbgcapi.ClientInterface, v string, spec vbgcapi.SQLPolicyPermissionsScriptSpec, ed ...vbgcapi.RequestEditorFn) (*http.Response, error) {
			return api.SQLPoliciesGeneratePermissionsScript(ctx, &vbgcapi.SQLPoliciesGeneratePermissionsScriptParams{XAPIVersion: v}, spec, ed...)
		},
		get: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SQLPolicyGet(ctx, id, &vbgcapi.SQLPolicyGetParams{XAPIVersion: v})
		},
		remove: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SQLPolicyDelete(ctx, id, &vbgcapi.SQLPolicyDeleteParams{XAPIVersion: v})
		},
		update: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, spec vbgcapi.SQLPolicySpecV3) (*http.Response, error) {
			return api.SQLPolicyUpdate(ctx, id, &vbgcapi.SQLPolicyUpdateParams{XAPIVersion: v}, spec)
		},
		start: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SQLPolicyStart(ctx, id, &vbgcapi.SQLPolicyStartParams{XAPIVersion: v})
		},
		stop: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SQLPolicyStop(ctx, id, &vbgcapi.SQLPolicyStopParams{XAPIVersion: v})
		},
		enable: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SQLPolicyEnable(ctx, id, &vbgcapi.SQLPolicyEnableParams{XAPIVersion: v})
		},
		disable: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SQLPolicyDisable(ctx, id, &vbgcapi.SQLPolicyDisableParams{XAPIVersion: v})
		},
		priority: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, p int32) (*http.Response, error) {
			return api.SQLPolicySetPriority(ctx, id, &vbgcapi.SQLPolicySetPriorityParams{XAPIVersion: v}, vbgcapi.SQLPolicyPrioritySpec{Priority: p})
		},
		cost: func(ctx context.Context, api vbgcapi.ClientInterface, v string, spec vbgcapi.SQLPolicySpecV3) (*http.Response, error) {
			return api.SQLPoliciesCalculateCost(ctx, &vbgcapi.SQLPoliciesCalculateCostParams{XAPIVersion: v}, spec)
		},
		costModified: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, spec vbgcapi.SQLPolicySpecV3) (*http.Response, error) {
			return api.SQLPolicyCalculateCost(ctx, id, &vbgcapi.SQLPolicyCalculateCostParams{XAPIVersion: v}, spec)
		},
		status: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SQLPolicyGetStatus(ctx, id, &vbgcapi.SQLPolicyGetStatusParams{XAPIVersion: v})
		},
		schedule: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SQLPolicyGetSchedule(ctx, id, &vbgcapi.SQLPolicyGetScheduleParams{XAPIVersion: v})
		},
		sessions: func(ctx context.Context, api vbgcapi.ClientInterface, id uuid.UUID, q query) (*http.Response, error) {
			p := vbgcapi.SQLPolicyGetSessionsParams(q)
			return api.SQLPolicyGetSessions(ctx, id, &p)
		},
		protected: func(ctx context.Context, api vbgcapi.ClientInterface, id uuid.UUID, q query) (*http.Response, error) {
			p := vbgcapi.SQLPolicyGetProtectedResourcesParams(q)
			return api.SQLPolicyGetProtectedResources(ctx, id, &p)
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
			return api.SpannerPolicyCreate(ctx, &vbgcapi.SpannerPolicyCreateParams{XAPIVersion: v}, spec)
		},
		script: func(ctx context.Context, api vbgcapi.ClientInterface, v string, spec vbgcapi.SpannerPolicyPermissionsScriptSpec, ed ...vbgcapi.RequestEditorFn) (*http.Response, error) {
			return api.SpannerPoliciesGeneratePermissionsScript(ctx, &vbgcapi.SpannerPoliciesGeneratePermissionsScriptParams{XAPIVersion: v}, spec, ed...)
		},
		get: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SpannerPolicyGet(ctx, id, &vbgcapi.SpannerPolicyGetParams{XAPIVersion: v})
		},
		remove: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SpannerPolicyDelete(ctx, id, &vbgcapi.SpannerPolicyDeleteParams{XAPIVersion: v})
		},
		update: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, spec vbgcapi.SpannerPolicySpec) (*http.Response, error) {
			return api.SpannerPolicyUpdate(ctx, id, &vbgcapi.SpannerPolicyUpdateParams{XAPIVersion: v}, spec)
		},
		start: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SpannerPolicyStart(ctx, id, &vbgcapi.SpannerPolicyStartParams{XAPIVersion: v})
		},
		stop: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SpannerPolicyStop(ctx, id, &vbgcapi.SpannerPolicyStopParams{XAPIVersion: v})
		},
		enable: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SpannerPolicyEnable(ctx, id, &vbgcapi.SpannerPolicyEnableParams{XAPIVersion: v})
		},
		disable: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SpannerPolicyDisable(ctx, id, &vbgcapi.SpannerPolicyDisableParams{XAPIVersion: v})
		},
		priority: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, p int32) (*http.Response, error) {
			return api.SpannerPolicySetPriority(ctx, id, &vbgcapi.SpannerPolicySetPriorityParams{XAPIVersion: v}, vbgcapi.SpannerPolicyPrioritySpec{Priority: p})
		},
		cost: func(ctx context.Context, api vbgcapi.ClientInterface, v string, spec vbgcapi.SpannerPolicySpec) (*http.Response, error) {
			return api.SpannerPoliciesCalculateCost(ctx, &vbgcapi.SpannerPoliciesCalculateCostParams{XAPIVersion: v}, spec)
		},
		costModified: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, spec vbgcapi.SpannerPolicySpec) (*http.Response, error) {
			return api.SpannerPolicyCalculateCost(ctx, id, &vbgcapi.SpannerPolicyCalculateCostParams{XAPIVersion: v}, spec)
		},
		status: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SpannerPolicyGetStatus(ctx, id, &vbgcapi.SpannerPolicyGetStatusParams{XAPIVersion: v})
		},
		schedule: func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error) {
			return api.SpannerPolicyGetSchedule(ctx, id, &vbgcapi.SpannerPolicyGetScheduleParams{XAPIVersion: v})
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
