package vbem

import (
	"context"
	"iter"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// The typed queries of the Cloud Connect types (GET /query?type=Cloud...
// and type=VlanConfiguration, format=Entities): one page, or every page
// with an iterator, as Jobs and AllJobs do.

var (
	qCloudTenants = entityQuery[vbemapi.CloudTenant]{vbemapi.QueryParamsTypeCloudTenant, func(r *vbemapi.QueryResult) []vbemapi.CloudTenant {
		if entities(r) && r.Entities.CloudTenants != nil {
			return r.Entities.CloudTenants.CloudTenants
		}
		return nil
	}, func(v vbemapi.CloudTenant) string { return to.Value(v.UID) }}
	qCloudSubtenants = entityQuery[vbemapi.CloudSubtenant]{vbemapi.QueryParamsTypeCloudSubtenant, func(r *vbemapi.QueryResult) []vbemapi.CloudSubtenant {
		if r.Resources != nil && r.Resources.CloudSubtenants != nil {
			return r.Resources.CloudSubtenants.CloudSubtenants
		}
		return nil
	}, func(v vbemapi.CloudSubtenant) string { return to.Value(v.ID) }}
	qCloudGateways = entityQuery[vbemapi.CloudGateway]{vbemapi.QueryParamsTypeCloudGateway, func(r *vbemapi.QueryResult) []vbemapi.CloudGateway {
		if entities(r) && r.Entities.CloudGateways != nil {
			return r.Entities.CloudGateways.CloudGateways
		}
		return nil
	}, func(v vbemapi.CloudGateway) string { return to.Value(v.UID) }}
	qCloudGatewayPools = entityQuery[vbemapi.CloudGatewayPool]{vbemapi.QueryParamsTypeCloudGatewayPool, func(r *vbemapi.QueryResult) []vbemapi.CloudGatewayPool {
		if entities(r) && r.Entities.CloudGatewayPools != nil {
			return r.Entities.CloudGatewayPools.CloudGatewayPools
		}
		return nil
	}, func(v vbemapi.CloudGatewayPool) string { return to.Value(v.UID) }}
	qCloudHardwarePlans = entityQuery[vbemapi.CloudHardwarePlan]{vbemapi.QueryParamsTypeCloudHardwarePlan, func(r *vbemapi.QueryResult) []vbemapi.CloudHardwarePlan {
		if entities(r) && r.Entities.CloudHardwarePlans != nil {
			return r.Entities.CloudHardwarePlans.CloudHardwarePlans
		}
		return nil
	}, func(v vbemapi.CloudHardwarePlan) string { return to.Value(v.UID) }}
	qCloudPublicIPAddresses = entityQuery[vbemapi.CloudPublicIpAddress]{vbemapi.QueryParamsTypeCloudPublicIPAddress, func(r *vbemapi.QueryResult) []vbemapi.CloudPublicIpAddress {
		if entities(r) && r.Entities.CloudPublicIps != nil {
			return r.Entities.CloudPublicIps.CloudPublicIps
		}
		return nil
	}, func(v vbemapi.CloudPublicIpAddress) string { return to.Value(v.UID) }}
	qCloudFailoverPlans = entityQuery[vbemapi.CloudFailoverPlan]{vbemapi.QueryParamsTypeCloudFailoverPlan, func(r *vbemapi.QueryResult) []vbemapi.CloudFailoverPlan {
		if entities(r) && r.Entities.CloudFailoverPlans != nil {
			return r.Entities.CloudFailoverPlans.CloudFailoverPlans
		}
		return nil
	}, func(v vbemapi.CloudFailoverPlan) string { return to.Value(v.UID) }}
	qCloudFailoverSessions = entityQuery[vbemapi.CloudFailoverSession]{vbemapi.QueryParamsTypeCloudFailoverSession, func(r *vbemapi.QueryResult) []vbemapi.CloudFailoverSession {
		if entities(r) && r.Entities.CloudFailoverSessions != nil {
			return r.Entities.CloudFailoverSessions.CloudFailoverSessions
		}
		return nil
	}, func(v vbemapi.CloudFailoverSession) string { return to.Value(v.UID) }}
	qCloudReplicas = entityQuery[vbemapi.CloudReplica]{vbemapi.QueryParamsTypeCloudReplica, func(r *vbemapi.QueryResult) []vbemapi.CloudReplica {
		if entities(r) && r.Entities.CloudReplicas != nil {
			return r.Entities.CloudReplicas.CloudReplicas
		}
		return nil
	}, func(v vbemapi.CloudReplica) string { return to.Value(v.UID) }}
	qCloudVMReplicaPoints = entityQuery[vbemapi.CloudVMReplicaPoint]{vbemapi.QueryParamsTypeCloudVMReplicaPoint, func(r *vbemapi.QueryResult) []vbemapi.CloudVMReplicaPoint {
		if entities(r) && r.Entities.CloudVMReplicaPoints != nil {
			return r.Entities.CloudVMReplicaPoints.CloudVMReplicaPoints
		}
		return nil
	}, func(v vbemapi.CloudVMReplicaPoint) string { return to.Value(v.UID) }}
	qVLANConfigurations = entityQuery[vbemapi.VlanConfiguration]{vbemapi.QueryParamsTypeVlanConfiguration, func(r *vbemapi.QueryResult) []vbemapi.VlanConfiguration {
		if entities(r) && r.Entities.VlanConfigurations != nil {
			return r.Entities.VlanConfigurations.VlanConfigurations
		}
		return nil
	}, func(v vbemapi.VlanConfiguration) string { return to.Value(v.UID) }}
)

// CloudTenants returns one page of tenant accounts (type=CloudTenant); filter fields
// include Name, Enabled, Type (Standalone, ActiveDirectory, VCD), BackupServerUid, BackupServerName.
func (s *QueryService) CloudTenants(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.CloudTenant], error) {
	return qCloudTenants.page(ctx, s, opts)
}

// AllCloudTenants iterates over the tenant accounts page by page.
func (s *QueryService) AllCloudTenants(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.CloudTenant, error] {
	return qCloudTenants.all(ctx, s, opts)
}

// CloudSubtenants returns one page of subtenant accounts (type=CloudSubtenant;
// the server answers them in Resources, not Entities); filter fields include Name, CloudTenantUid, CloudTenantName, Disabled, Unlimited, Quota, UsedQuota, BackupResourceId.
func (s *QueryService) CloudSubtenants(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.CloudSubtenant], error) {
	return qCloudSubtenants.page(ctx, s, opts)
}

// AllCloudSubtenants iterates over the subtenant accounts page by page.
func (s *QueryService) AllCloudSubtenants(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.CloudSubtenant, error] {
	return qCloudSubtenants.all(ctx, s, opts)
}

// CloudGateways returns one page of cloud gateways (type=CloudGateway); filter fields
// include Name, Enabled, Description, BackupServerUid, BackupServerName.
func (s *QueryService) CloudGateways(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.CloudGateway], error) {
	return qCloudGateways.page(ctx, s, opts)
}

// AllCloudGateways iterates over the cloud gateways page by page.
func (s *QueryService) AllCloudGateways(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.CloudGateway, error] {
	return qCloudGateways.all(ctx, s, opts)
}

// CloudGatewayPools returns one page of cloud gateway pools (type=CloudGatewayPool); filter fields
// include Name, Description, BackupServerUid, BackupServerName.
func (s *QueryService) CloudGatewayPools(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.CloudGatewayPool], error) {
	return qCloudGatewayPools.page(ctx, s, opts)
}

// AllCloudGatewayPools iterates over the cloud gateway pools page by page.
func (s *QueryService) AllCloudGatewayPools(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.CloudGatewayPool, error] {
	return qCloudGatewayPools.all(ctx, s, opts)
}

// CloudHardwarePlans returns one page of hardware plans (type=CloudHardwarePlan); filter fields
// include Name, Platform, BackupServerUid, BackupServerName.
func (s *QueryService) CloudHardwarePlans(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.CloudHardwarePlan], error) {
	return qCloudHardwarePlans.page(ctx, s, opts)
}

// AllCloudHardwarePlans iterates over the hardware plans page by page.
func (s *QueryService) AllCloudHardwarePlans(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.CloudHardwarePlan, error] {
	return qCloudHardwarePlans.all(ctx, s, opts)
}

// CloudPublicIPAddresses returns one page of public IP addresses (type=CloudPublicIpAddress); filter fields
// include Name, IpAddress, CloudTenantUid, CloudTenantName, BackupServerUid, BackupServerName.
func (s *QueryService) CloudPublicIPAddresses(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.CloudPublicIpAddress], error) {
	return qCloudPublicIPAddresses.page(ctx, s, opts)
}

// AllCloudPublicIPAddresses iterates over the public IP addresses page by page.
func (s *QueryService) AllCloudPublicIPAddresses(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.CloudPublicIpAddress, error] {
	return qCloudPublicIPAddresses.all(ctx, s, opts)
}

// CloudFailoverPlans returns one page of cloud failover plans (type=CloudFailoverPlan); filter fields
// include Name, Description, CloudTenantUid, CloudTenantName, BackupServerUid, BackupServerName.
func (s *QueryService) CloudFailoverPlans(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.CloudFailoverPlan], error) {
	return qCloudFailoverPlans.page(ctx, s, opts)
}

// AllCloudFailoverPlans iterates over the cloud failover plans page by page.
func (s *QueryService) AllCloudFailoverPlans(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.CloudFailoverPlan, error] {
	return qCloudFailoverPlans.all(ctx, s, opts)
}

// CloudFailoverSessions returns one page of cloud failover sessions (type=CloudFailoverSession); filter fields
// include Name, CreationTime, EndTime, State, Result, BackupServerUid, BackupServerName.
func (s *QueryService) CloudFailoverSessions(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.CloudFailoverSession], error) {
	return qCloudFailoverSessions.page(ctx, s, opts)
}

// AllCloudFailoverSessions iterates over the cloud failover sessions page by page.
func (s *QueryService) AllCloudFailoverSessions(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.CloudFailoverSession, error] {
	return qCloudFailoverSessions.all(ctx, s, opts)
}

// CloudReplicas returns one page of cloud replicas (type=CloudReplica); filter fields
// include Name, Platform.
func (s *QueryService) CloudReplicas(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.CloudReplica], error) {
	return qCloudReplicas.page(ctx, s, opts)
}

// AllCloudReplicas iterates over the cloud replicas page by page.
func (s *QueryService) AllCloudReplicas(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.CloudReplica, error] {
	return qCloudReplicas.all(ctx, s, opts)
}

// CloudVMReplicaPoints returns one page of cloud VM replica points (type=CloudVMReplicaPoint); filter fields
// include Name, CreationTime, VmName, Type, ReplicaUid, ReplicaName, State.
func (s *QueryService) CloudVMReplicaPoints(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.CloudVMReplicaPoint], error) {
	return qCloudVMReplicaPoints.page(ctx, s, opts)
}

// AllCloudVMReplicaPoints iterates over the cloud VM replica points page by page.
func (s *QueryService) AllCloudVMReplicaPoints(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.CloudVMReplicaPoint, error] {
	return qCloudVMReplicaPoints.all(ctx, s, opts)
}

// VLANConfigurations returns one page of VLAN configurations
// (type=VlanConfiguration; their UID is the bare id); filter fields include SwitchName, SwitchType, SwitchId, ClusterName, BackupServerUid, BackupServerName.
func (s *QueryService) VLANConfigurations(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.VlanConfiguration], error) {
	return qVLANConfigurations.page(ctx, s, opts)
}

// AllVLANConfigurations iterates over the VLAN configurations page by page.
func (s *QueryService) AllVLANConfigurations(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.VlanConfiguration, error] {
	return qVLANConfigurations.all(ctx, s, opts)
}
