package vbem

import (
	"context"
	"iter"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// The typed queries of the query types beyond the classic and the Cloud
// Connect ones (GET /query?type=AgentBackupJob, BackupServer, CdpPolicy, ...,
// format=Entities): one page, or every page with an iterator, as Jobs and
// AllJobs do. The sub-resource lists (Credentials, ObjectInJob,
// ObjectInAgentBackupJob, NasObject) come in Resources, as Passwords does,
// and have no UID: their iterators tell items apart by Href.

var (
	qAgentBackupJobs = entityQuery[vbemapi.AgentBackupJob]{vbemapi.QueryParamsTypeAgentBackupJob, func(r *vbemapi.QueryResult) []vbemapi.AgentBackupJob {
		if entities(r) && r.Entities.AgentBackupJobs != nil {
			return r.Entities.AgentBackupJobs.AgentBackupJobs
		}
		return nil
	}, func(v vbemapi.AgentBackupJob) string { return to.Value(v.UID) }}
	qAgentProtectionGroups = entityQuery[vbemapi.AgentProtectionGroup]{vbemapi.QueryParamsTypeAgentProtectionGroup, func(r *vbemapi.QueryResult) []vbemapi.AgentProtectionGroup {
		if entities(r) && r.Entities.AgentProtectionGroups != nil {
			return r.Entities.AgentProtectionGroups.AgentProtectionGroups
		}
		return nil
	}, func(v vbemapi.AgentProtectionGroup) string { return to.Value(v.UID) }}
	qAgentRestorePoints = entityQuery[vbemapi.AgentRestorePoint]{vbemapi.QueryParamsTypeAgentRestorePoint, func(r *vbemapi.QueryResult) []vbemapi.AgentRestorePoint {
		if entities(r) && r.Entities.AgentRestorePoints != nil {
			return r.Entities.AgentRestorePoints.AgentRestorePoints
		}
		return nil
	}, func(v vbemapi.AgentRestorePoint) string { return to.Value(v.UID) }}
	qDiscoveredComputers = entityQuery[vbemapi.DiscoveredComputer]{vbemapi.QueryParamsTypeDiscoveredComputer, func(r *vbemapi.QueryResult) []vbemapi.DiscoveredComputer {
		if entities(r) && r.Entities.DiscoveredComputers != nil {
			return r.Entities.DiscoveredComputers.DiscoveredComputers
		}
		return nil
	}, func(v vbemapi.DiscoveredComputer) string { return to.Value(v.UID) }}
	qObjectsInAgentBackupJobs = entityQuery[vbemapi.ObjectInAgentBackupJob]{vbemapi.QueryParamsTypeObjectInAgentBackupJob, func(r *vbemapi.QueryResult) []vbemapi.ObjectInAgentBackupJob {
		if r.Resources != nil && r.Resources.ObjectsInAgentBackupJob != nil {
			return r.Resources.ObjectsInAgentBackupJob.ObjectInAgentBackupJobs
		}
		return nil
	}, func(v vbemapi.ObjectInAgentBackupJob) string { return to.Value(v.Href) }}
	qBackupServers = entityQuery[vbemapi.BackupServer]{vbemapi.QueryParamsTypeBackupServer, func(r *vbemapi.QueryResult) []vbemapi.BackupServer {
		if entities(r) && r.Entities.BackupServers != nil {
			return r.Entities.BackupServers.BackupServers
		}
		return nil
	}, func(v vbemapi.BackupServer) string { return to.Value(v.UID) }}
	qCredentials = entityQuery[vbemapi.CredentialsInfo]{vbemapi.QueryParamsTypeCredentials, func(r *vbemapi.QueryResult) []vbemapi.CredentialsInfo {
		if r.Resources != nil && r.Resources.CredentialsInfoList != nil {
			return r.Resources.CredentialsInfoList.CredentialsInfos
		}
		return nil
	}, func(v vbemapi.CredentialsInfo) string { return to.Value(v.Href) }}
	qObjectsInJobs = entityQuery[vbemapi.ObjectInJob]{vbemapi.QueryParamsTypeObjectInJob, func(r *vbemapi.QueryResult) []vbemapi.ObjectInJob {
		if r.Resources != nil && r.Resources.ObjectInJobList != nil {
			return r.Resources.ObjectInJobList.ObjectInJobs
		}
		return nil
	}, func(v vbemapi.ObjectInJob) string { return to.Value(v.Href) }}
	qCDPPolicies = entityQuery[vbemapi.CdpPolicy]{vbemapi.QueryParamsTypeCdpPolicy, func(r *vbemapi.QueryResult) []vbemapi.CdpPolicy {
		if entities(r) && r.Entities.CdpPolicies != nil {
			return r.Entities.CdpPolicies.CdpPolicies
		}
		return nil
	}, func(v vbemapi.CdpPolicy) string { return to.Value(v.UID) }}
	qCDPReplicas = entityQuery[vbemapi.CdpReplica]{vbemapi.QueryParamsTypeCdpReplica, func(r *vbemapi.QueryResult) []vbemapi.CdpReplica {
		if entities(r) && r.Entities.CdpReplicas != nil {
			return r.Entities.CdpReplicas.CdpReplicas
		}
		return nil
	}, func(v vbemapi.CdpReplica) string { return to.Value(v.UID) }}
	qCDPReplicaSessions = entityQuery[vbemapi.CdpReplicaSession]{vbemapi.QueryParamsTypeCdpReplicaSession, func(r *vbemapi.QueryResult) []vbemapi.CdpReplicaSession {
		if entities(r) && r.Entities.CdpReplicaSessions != nil {
			return r.Entities.CdpReplicaSessions.CdpReplicaSessions
		}
		return nil
	}, func(v vbemapi.CdpReplicaSession) string { return to.Value(v.UID) }}
	qCDPReplicaTaskSessions = entityQuery[vbemapi.CdpReplicaTaskSession]{vbemapi.QueryParamsTypeCdpReplicaTaskSession, func(r *vbemapi.QueryResult) []vbemapi.CdpReplicaTaskSession {
		if entities(r) && r.Entities.CdpReplicaTaskSessions != nil {
			return r.Entities.CdpReplicaTaskSessions.CdpReplicaTaskSessions
		}
		return nil
	}, func(v vbemapi.CdpReplicaTaskSession) string { return to.Value(v.UID) }}
	qFailoverPlans = entityQuery[vbemapi.FailoverPlan]{vbemapi.QueryParamsTypeFailoverPlan, func(r *vbemapi.QueryResult) []vbemapi.FailoverPlan {
		if entities(r) && r.Entities.FailoverPlans != nil {
			return r.Entities.FailoverPlans.FailoverPlans
		}
		return nil
	}, func(v vbemapi.FailoverPlan) string { return to.Value(v.UID) }}
	qReplicas = entityQuery[vbemapi.Replica]{vbemapi.QueryParamsTypeReplica, func(r *vbemapi.QueryResult) []vbemapi.Replica {
		if entities(r) && r.Entities.Replicas != nil {
			return r.Entities.Replicas.Replicas
		}
		return nil
	}, func(v vbemapi.Replica) string { return to.Value(v.UID) }}
	qReplicaJobSessions = entityQuery[vbemapi.ReplicaJobSession]{vbemapi.QueryParamsTypeReplicaJobSession, func(r *vbemapi.QueryResult) []vbemapi.ReplicaJobSession {
		if entities(r) && r.Entities.ReplicaJobSessions != nil {
			return r.Entities.ReplicaJobSessions.ReplicaJobSessions
		}
		return nil
	}, func(v vbemapi.ReplicaJobSession) string { return to.Value(v.UID) }}
	qReplicaTaskSessions = entityQuery[vbemapi.ReplicaTaskSession]{vbemapi.QueryParamsTypeReplicaTaskSession, func(r *vbemapi.QueryResult) []vbemapi.ReplicaTaskSession {
		if entities(r) && r.Entities.ReplicaTaskSessions != nil {
			return r.Entities.ReplicaTaskSessions.ReplicaTaskSessions
		}
		return nil
	}, func(v vbemapi.ReplicaTaskSession) string { return to.Value(v.UID) }}
	qVMReplicaPoints = entityQuery[vbemapi.VMReplicaPoint]{vbemapi.QueryParamsTypeVMReplicaPoint, func(r *vbemapi.QueryResult) []vbemapi.VMReplicaPoint {
		if entities(r) && r.Entities.VMReplicaPoints != nil {
			return r.Entities.VMReplicaPoints.VMReplicaPoints
		}
		return nil
	}, func(v vbemapi.VMReplicaPoint) string { return to.Value(v.UID) }}
	qVAppReplicaPoints = entityQuery[vbemapi.VAppReplicaPoint]{vbemapi.QueryParamsTypeVAppReplicaPoint, func(r *vbemapi.QueryResult) []vbemapi.VAppReplicaPoint {
		if entities(r) && r.Entities.VAppReplicaPoints != nil {
			return r.Entities.VAppReplicaPoints.VAppReplicaPoints
		}
		return nil
	}, func(v vbemapi.VAppReplicaPoint) string { return to.Value(v.UID) }}
	qVAppRestorePoints = entityQuery[vbemapi.VAppRestorePoint]{vbemapi.QueryParamsTypeVAppRestorePoint, func(r *vbemapi.QueryResult) []vbemapi.VAppRestorePoint {
		if entities(r) && r.Entities.VAppRestorePoints != nil {
			return r.Entities.VAppRestorePoints.VAppRestorePoints
		}
		return nil
	}, func(v vbemapi.VAppRestorePoint) string { return to.Value(v.UID) }}
	qFileServers = entityQuery[vbemapi.FileServer]{vbemapi.QueryParamsTypeFileServer, func(r *vbemapi.QueryResult) []vbemapi.FileServer {
		if entities(r) && r.Entities.FileServers != nil {
			return r.Entities.FileServers.FileServers
		}
		return nil
	}, func(v vbemapi.FileServer) string { return to.Value(v.UID) }}
	qNASJobs = entityQuery[vbemapi.NASJob]{vbemapi.QueryParamsTypeNasJob, func(r *vbemapi.QueryResult) []vbemapi.NASJob {
		if entities(r) && r.Entities.NasJobs != nil {
			return r.Entities.NasJobs.NasJobs
		}
		return nil
	}, func(v vbemapi.NASJob) string { return to.Value(v.UID) }}
	qNASObjects = entityQuery[vbemapi.NASObject]{vbemapi.QueryParamsTypeNasObject, func(r *vbemapi.QueryResult) []vbemapi.NASObject {
		if r.Resources != nil && r.Resources.NASObjects != nil {
			return r.Resources.NASObjects.NASObjects
		}
		return nil
	}, func(v vbemapi.NASObject) string { return to.Value(v.Href) }}
	qVCloudOrganizationConfigs = entityQuery[vbemapi.VCloudOrganizationConfig]{vbemapi.QueryParamsTypeVCloudOrganizationConfig, func(r *vbemapi.QueryResult) []vbemapi.VCloudOrganizationConfig {
		if entities(r) && r.Entities.VCloudOrganizationConfigs != nil {
			return r.Entities.VCloudOrganizationConfigs.VCloudOrganizationConfigs
		}
		return nil
	}, func(v vbemapi.VCloudOrganizationConfig) string { return to.Value(v.UID) }}
	qVSphereSelfServiceConfigs = entityQuery[vbemapi.VSphereSelfServiceConfig]{vbemapi.QueryParamsTypeVsphereSelfServiceConfig, func(r *vbemapi.QueryResult) []vbemapi.VSphereSelfServiceConfig {
		if entities(r) && r.Entities.VSphereSelfServiceConfigs != nil {
			return r.Entities.VSphereSelfServiceConfigs.VSphereSelfServiceConfigs
		}
		return nil
	}, func(v vbemapi.VSphereSelfServiceConfig) string { return to.Value(v.UID) }}
	qWANAccelerators = entityQuery[vbemapi.WanAccelerator]{vbemapi.QueryParamsTypeWanAccelerator, func(r *vbemapi.QueryResult) []vbemapi.WanAccelerator {
		if entities(r) && r.Entities.WanAccelerators != nil {
			return r.Entities.WanAccelerators.WanAccelerators
		}
		return nil
	}, func(v vbemapi.WanAccelerator) string { return to.Value(v.UID) }}
)

// AgentBackupJobs returns one page of the Veeam Agent backup jobs (type=AgentBackupJob); filter fields
// include Name, Description, JobType, Platform, ScheduleConfigured, ScheduleEnabled, BackupServerUid, BackupServerName.
func (s *QueryService) AgentBackupJobs(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.AgentBackupJob], error) {
	return qAgentBackupJobs.page(ctx, s, opts)
}

// AllAgentBackupJobs iterates over the Veeam Agent backup jobs page by page.
func (s *QueryService) AllAgentBackupJobs(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.AgentBackupJob, error] {
	return qAgentBackupJobs.all(ctx, s, opts)
}

// AgentProtectionGroups returns one page of the Veeam Agent protection groups (type=AgentProtectionGroup); filter fields
// include Name, BackupServerUid, BackupServerName.
func (s *QueryService) AgentProtectionGroups(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.AgentProtectionGroup], error) {
	return qAgentProtectionGroups.page(ctx, s, opts)
}

// AllAgentProtectionGroups iterates over the Veeam Agent protection groups page by page.
func (s *QueryService) AllAgentProtectionGroups(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.AgentProtectionGroup, error] {
	return qAgentProtectionGroups.all(ctx, s, opts)
}

// AgentRestorePoints returns one page of the restore points of machines in Veeam Agent backups (type=AgentRestorePoint); filter fields
// include Name, CreationTime, ComputerName, Type, Algorithm, RestorePointId, BackupFileUid, BackupServerUid, BackupServerName.
func (s *QueryService) AgentRestorePoints(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.AgentRestorePoint], error) {
	return qAgentRestorePoints.page(ctx, s, opts)
}

// AllAgentRestorePoints iterates over the restore points of machines in Veeam Agent backups page by page.
func (s *QueryService) AllAgentRestorePoints(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.AgentRestorePoint, error] {
	return qAgentRestorePoints.all(ctx, s, opts)
}

// DiscoveredComputers returns one page of the computers discovered in protection groups (type=DiscoveredComputer); filter fields
// include Name, AgentVersion, AgentStatus, OsVersion, IpAddress, ProtectionGroupUid, ProtectionGroupName, BackupServerUid, BackupServerName.
func (s *QueryService) DiscoveredComputers(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.DiscoveredComputer], error) {
	return qDiscoveredComputers.page(ctx, s, opts)
}

// AllDiscoveredComputers iterates over the computers discovered in protection groups page by page.
func (s *QueryService) AllDiscoveredComputers(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.DiscoveredComputer, error] {
	return qDiscoveredComputers.all(ctx, s, opts)
}

// ObjectsInAgentBackupJobs returns one page of the objects of every Veeam Agent backup job (answered in Resources) (type=ObjectInAgentBackupJob); filter fields
// include UID, DisplayName, JobUid, JobName, BackupServerUid, BackupServerName.
func (s *QueryService) ObjectsInAgentBackupJobs(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.ObjectInAgentBackupJob], error) {
	return qObjectsInAgentBackupJobs.page(ctx, s, opts)
}

// AllObjectsInAgentBackupJobs iterates over the objects of every Veeam Agent backup job page by page.
func (s *QueryService) AllObjectsInAgentBackupJobs(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.ObjectInAgentBackupJob, error] {
	return qObjectsInAgentBackupJobs.all(ctx, s, opts)
}

// BackupServers returns one page of the backup servers connected to Enterprise Manager (type=BackupServer); filter fields
// include Name, Description, Port, Version.
func (s *QueryService) BackupServers(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.BackupServer], error) {
	return qBackupServers.page(ctx, s, opts)
}

// AllBackupServers iterates over the backup servers connected to Enterprise Manager page by page.
func (s *QueryService) AllBackupServers(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.BackupServer, error] {
	return qBackupServers.all(ctx, s, opts)
}

// Credentials returns one page of the credentials records of every backup server (answered in Resources; passwords are never answered) (type=Credentials); filter fields
// include Username, Description, BackupServerUid, CredentialsId.
func (s *QueryService) Credentials(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.CredentialsInfo], error) {
	return qCredentials.page(ctx, s, opts)
}

// AllCredentials iterates over the credentials records of every backup server page by page.
func (s *QueryService) AllCredentials(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.CredentialsInfo, error] {
	return qCredentials.all(ctx, s, opts)
}

// ObjectsInJobs returns one page of the objects of every job (answered in Resources) (type=ObjectInJob); filter fields
// include UID, Name, JobUid, JobName, BackupServerUid, BackupServerName.
func (s *QueryService) ObjectsInJobs(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.ObjectInJob], error) {
	return qObjectsInJobs.page(ctx, s, opts)
}

// AllObjectsInJobs iterates over the objects of every job page by page.
func (s *QueryService) AllObjectsInJobs(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.ObjectInJob, error] {
	return qObjectsInJobs.all(ctx, s, opts)
}

// CDPPolicies returns one page of the CDP policies (type=CdpPolicy); filter fields
// include Name, Description, ScheduleConfigured, ScheduleEnabled, BackupServerUid, BackupServerName.
func (s *QueryService) CDPPolicies(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.CdpPolicy], error) {
	return qCDPPolicies.page(ctx, s, opts)
}

// AllCDPPolicies iterates over the CDP policies page by page.
func (s *QueryService) AllCDPPolicies(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.CdpPolicy, error] {
	return qCDPPolicies.all(ctx, s, opts)
}

// CDPReplicas returns one page of the CDP replicas (type=CdpReplica); filter fields
// include Name, PolicyId, PolicyName, BackupServerUid, BackupServerName.
func (s *QueryService) CDPReplicas(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.CdpReplica], error) {
	return qCDPReplicas.page(ctx, s, opts)
}

// AllCDPReplicas iterates over the CDP replicas page by page.
func (s *QueryService) AllCDPReplicas(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.CdpReplica, error] {
	return qCDPReplicas.all(ctx, s, opts)
}

// CDPReplicaSessions returns one page of the CDP replication sessions (type=CdpReplicaSession); filter fields
// include Id, Name, PolicyUid, PolicyName, CreationTimeUTC, EndTimeUTC, State, Result, FailureMessage.
func (s *QueryService) CDPReplicaSessions(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.CdpReplicaSession], error) {
	return qCDPReplicaSessions.page(ctx, s, opts)
}

// AllCDPReplicaSessions iterates over the CDP replication sessions page by page.
func (s *QueryService) AllCDPReplicaSessions(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.CdpReplicaSession, error] {
	return qCDPReplicaSessions.all(ctx, s, opts)
}

// CDPReplicaTaskSessions returns one page of the CDP replication task sessions (type=CdpReplicaTaskSession); filter fields
// include Id, Name, PolicySessionUid, CreationTimeUTC, EndTimeUTC, State, TotalSize, VmDisplayName.
func (s *QueryService) CDPReplicaTaskSessions(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.CdpReplicaTaskSession], error) {
	return qCDPReplicaTaskSessions.page(ctx, s, opts)
}

// AllCDPReplicaTaskSessions iterates over the CDP replication task sessions page by page.
func (s *QueryService) AllCDPReplicaTaskSessions(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.CdpReplicaTaskSession, error] {
	return qCDPReplicaTaskSessions.all(ctx, s, opts)
}

// FailoverPlans returns one page of the failover plans (type=FailoverPlan); filter fields
// include Name, Description, BackupServerUid, BackupServerName.
func (s *QueryService) FailoverPlans(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.FailoverPlan], error) {
	return qFailoverPlans.page(ctx, s, opts)
}

// AllFailoverPlans iterates over the failover plans page by page.
func (s *QueryService) AllFailoverPlans(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.FailoverPlan, error] {
	return qFailoverPlans.all(ctx, s, opts)
}

// Replicas returns one page of the VM replicas (type=Replica); filter fields
// include UID, Name.
func (s *QueryService) Replicas(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.Replica], error) {
	return qReplicas.page(ctx, s, opts)
}

// AllReplicas iterates over the VM replicas page by page.
func (s *QueryService) AllReplicas(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.Replica, error] {
	return qReplicas.all(ctx, s, opts)
}

// ReplicaJobSessions returns one page of the replication job sessions (type=ReplicaJobSession); filter fields
// include Name, JobType, JobUid, JobName, CreationTime, EndTime, State, Result, IsRetry, BackupServerUid, BackupServerName.
func (s *QueryService) ReplicaJobSessions(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.ReplicaJobSession], error) {
	return qReplicaJobSessions.page(ctx, s, opts)
}

// AllReplicaJobSessions iterates over the replication job sessions page by page.
func (s *QueryService) AllReplicaJobSessions(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.ReplicaJobSession, error] {
	return qReplicaJobSessions.all(ctx, s, opts)
}

// ReplicaTaskSessions returns one page of the replication task sessions (type=ReplicaTaskSession); filter fields
// include Name, CreationTime, EndTime, State, Result, Reason, TotalSize, JobSessionUid, VmDisplayName.
func (s *QueryService) ReplicaTaskSessions(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.ReplicaTaskSession], error) {
	return qReplicaTaskSessions.page(ctx, s, opts)
}

// AllReplicaTaskSessions iterates over the replication task sessions page by page.
func (s *QueryService) AllReplicaTaskSessions(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.ReplicaTaskSession, error] {
	return qReplicaTaskSessions.all(ctx, s, opts)
}

// VMReplicaPoints returns one page of the VM replica points (type=VmReplicaPoint); filter fields
// include Name, CreationTime, Type, Algorithm, ReplicaUid, ReplicaName, VmDisplayName, BackupServerUid, BackupServerName.
func (s *QueryService) VMReplicaPoints(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.VMReplicaPoint], error) {
	return qVMReplicaPoints.page(ctx, s, opts)
}

// AllVMReplicaPoints iterates over the VM replica points page by page.
func (s *QueryService) AllVMReplicaPoints(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.VMReplicaPoint, error] {
	return qVMReplicaPoints.all(ctx, s, opts)
}

// VAppReplicaPoints returns one page of the vApp replica points (type=vAppReplicaPoint); filter fields
// include Name, vAppDisplayName, CreationTime, vAppName, Type, Algorithm, ReplicaUid, BackupServerUid, BackupServerName.
func (s *QueryService) VAppReplicaPoints(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.VAppReplicaPoint], error) {
	return qVAppReplicaPoints.page(ctx, s, opts)
}

// AllVAppReplicaPoints iterates over the vApp replica points page by page.
func (s *QueryService) AllVAppReplicaPoints(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.VAppReplicaPoint, error] {
	return qVAppReplicaPoints.all(ctx, s, opts)
}

// VAppRestorePoints returns one page of the vApp restore points (type=vAppRestorePoint); filter fields
// include Name, CreationTime, Type, Algorithm, RestorePointId, VAppDisplayName, BackupServerUid, BackupServerName.
func (s *QueryService) VAppRestorePoints(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.VAppRestorePoint], error) {
	return qVAppRestorePoints.page(ctx, s, opts)
}

// AllVAppRestorePoints iterates over the vApp restore points page by page.
func (s *QueryService) AllVAppRestorePoints(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.VAppRestorePoint, error] {
	return qVAppRestorePoints.all(ctx, s, opts)
}

// FileServers returns one page of the file shares (type=FileServer); filter fields
// include Name, BackupServerUid, BackupServerName.
func (s *QueryService) FileServers(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.FileServer], error) {
	return qFileServers.page(ctx, s, opts)
}

// AllFileServers iterates over the file shares page by page.
func (s *QueryService) AllFileServers(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.FileServer, error] {
	return qFileServers.all(ctx, s, opts)
}

// NASJobs returns one page of the file share backup jobs (type=NasJob); filter fields
// include Name, Description, ScheduleConfigured, ScheduleEnabled, BackupServerUid, BackupServerName.
func (s *QueryService) NASJobs(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.NASJob], error) {
	return qNASJobs.page(ctx, s, opts)
}

// AllNASJobs iterates over the file share backup jobs page by page.
func (s *QueryService) AllNASJobs(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.NASJob, error] {
	return qNASJobs.all(ctx, s, opts)
}

// NASObjects returns one page of the objects of every file share backup job (answered in Resources) (type=NasObject); filter fields
// include UID, JobUid, JobName, FileServerUid, FileServerName, BackupServerUid, BackupServerName.
func (s *QueryService) NASObjects(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.NASObject], error) {
	return qNASObjects.page(ctx, s, opts)
}

// AllNASObjects iterates over the objects of every file share backup job page by page.
func (s *QueryService) AllNASObjects(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.NASObject, error] {
	return qNASObjects.all(ctx, s, opts)
}

// VCloudOrganizationConfigs returns one page of the VMware Cloud Director organization configurations (type=VCloudOrganizationConfig); filter fields
// include Name, RepositoryUid, QuotaGb, Disabled, JobSchedulerType, UsedQuota, HostUid, RepositoryFriendlyName, BackupServerUid, BackupServerName.
func (s *QueryService) VCloudOrganizationConfigs(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.VCloudOrganizationConfig], error) {
	return qVCloudOrganizationConfigs.page(ctx, s, opts)
}

// AllVCloudOrganizationConfigs iterates over the VMware Cloud Director organization configurations page by page.
func (s *QueryService) AllVCloudOrganizationConfigs(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.VCloudOrganizationConfig, error] {
	return qVCloudOrganizationConfigs.all(ctx, s, opts)
}

// VSphereSelfServiceConfigs returns one page of the tenant access configurations of the vSphere Self-Service Backup Portal (type=VsphereSelfServiceConfig); filter fields
// include Name, JobSchedulerType, AccountType, PerUser, QuotaGb, RepositoryUid, UsedQuota, BackupServerUid, BackupServerName.
func (s *QueryService) VSphereSelfServiceConfigs(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.VSphereSelfServiceConfig], error) {
	return qVSphereSelfServiceConfigs.page(ctx, s, opts)
}

// AllVSphereSelfServiceConfigs iterates over the tenant access configurations of the vSphere Self-Service Backup Portal page by page.
func (s *QueryService) AllVSphereSelfServiceConfigs(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.VSphereSelfServiceConfig, error] {
	return qVSphereSelfServiceConfigs.all(ctx, s, opts)
}

// WANAccelerators returns one page of the WAN accelerators (type=WanAccelerator); filter fields
// include Name, Capacity, ConnectionsCount, HighBandwidthModeEnabled, BackupServerUid, BackupServerName.
func (s *QueryService) WANAccelerators(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.WanAccelerator], error) {
	return qWANAccelerators.page(ctx, s, opts)
}

// AllWANAccelerators iterates over the WAN accelerators page by page.
func (s *QueryService) AllWANAccelerators(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.WanAccelerator, error] {
	return qWANAccelerators.all(ctx, s, opts)
}
