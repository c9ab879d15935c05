package vbgcfake

import (
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
)

// Cloud SQL instances: a set of discovered instances (the spec's example
// instance to begin with; add more with AddSQLInstance), their restore
// points (manual snapshots add one each) and the sessions that processed
// them.
type sqlInstances struct {
	f        *Fake
	items    *table[string, vbgcapi.SQLInstanceModel]
	points   map[string][]vbgcapi.SQLInstanceRestorePointModel
	sessions map[string][]uuid.UUID
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		s := &sqlInstances{f: f, items: newTable[string, vbgcapi.SQLInstanceModel](),
			points: map[string][]vbgcapi.SQLInstanceRestorePointModel{}, sessions: map[string][]uuid.UUID{}}
		projectName, region, zone, version, tier, state := "Backup project", "europe-west1", "europe-west1-b", "POSTGRES_15", "db-custom-2-7680", "Runnable"
		size, protected, account := int32(100), true, "vbgc-sa"
		s.addLocked(vbgcapi.SQLInstanceModel{ID: "7812324356541239876", Name: "orders-db", ProjectID: "project-backup-252812",
			ProjectName: &projectName, RegionID: &region, ZoneID: &zone, DatabaseEngineType: vbgcapi.ESQLInstanceDatabaseEngineTypePostgreSQL,
			DatabaseVersion: &version, InstanceType: &tier, StorageSizeGB: &size, State: &state, IsProtected: &protected,
			Accounts: []vbgcapi.SQLInstanceAccountModel{{ServiceAccountID: "vbgc-sa@project-backup-252812.iam.gserviceaccount.com", Name: &account}},
			Labels:   []vbgcapi.TagModel{{Key: "env", Value: "prod"}}})
		f.state["SqlInstances"] = s
		return map[string]fake.HandlerFunc{
			"SqlInstancesGetAll":              listHandler(f, s.items.list),
			"SqlInstancesGet":                 getHandler(f, s.items, s.find),
			"SqlInstancesGetRestorePoints":    subListHandler(f, s.find, func(id string) []vbgcapi.SQLInstanceRestorePointModel { return slices.Clone(s.points[id]) }),
			"SqlInstancesDeleteRestorePoints": s.deleteRestorePoints,
			"SqlInstancesGetSessions":         subListHandler(f, s.find, s.sessionsLocked),
			"SqlInstancesTakeSnapshot":        withItem(f, s.find, s.takeSnapshot),
			"SqlInstancesGetDatabases":        subListHandler(f, s.find, s.databasesLocked),
			"SqlInstancesRescan":              f.rescan("Cloud SQL instances rescan"),
		}
	})
}

// AddSQLInstance adds (or replaces, by id) a discovered Cloud SQL instance;
// an empty engine type means PostgreSql.
func (f *Fake) AddSQLInstance(m vbgcapi.SQLInstanceModel) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s, ok := f.state["SqlInstances"].(*sqlInstances); ok {
		s.addLocked(m)
	}
}

func (s *sqlInstances) addLocked(m vbgcapi.SQLInstanceModel) {
	if m.Accounts == nil {
		m.Accounts = []vbgcapi.SQLInstanceAccountModel{}
	}
	if m.DatabaseEngineType == "" {
		m.DatabaseEngineType = vbgcapi.ESQLInstanceDatabaseEngineTypePostgreSQL
	}
	s.items.put(m.ID, m)
}

// find resolves the projectId and instanceName path parameters to the id
// of an instance: the product addresses a Cloud SQL instance by its
// project and name.
func (s *sqlInstances) find(w http.ResponseWriter, r *http.Request, in *fake.Input) (string, bool) {
	project, name := in.PathParams["projectId"], in.PathParams["instanceName"]
	for _, m := range s.items.list() {
		if m.ProjectID == project && m.Name == name {
			return m.ID, true
		}
	}
	notFound(w, r, "the Cloud SQL instance")
	return "", false
}

func (s *sqlInstances) deleteRestorePoints(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	if id, ok := s.find(w, r, in); ok {
		delete(s.points, id)
		w.WriteHeader(http.StatusNoContent)
	}
}

// sessionsLocked lists the sessions that processed the instance id.
func (s *sqlInstances) sessionsLocked(id string) []vbgcapi.SessionInfoItemModel {
	return s.f.sessionsLocked(func(ss *session) bool { return slices.Contains(s.sessions[id], ss.model.ID) })
}

func (s *sqlInstances) takeSnapshot(w http.ResponseWriter, _ *http.Request, _ *fake.Input, spec vbgcapi.SQLInstanceSnapshotSpec, id string) {
	m := s.items.items[id]
	sid := s.f.answerSession(w, http.StatusAccepted, vbgcapi.ESessionTypeManualSnapshot, "Snapshot of "+m.Name, nil)
	s.sessions[m.ID] = append(s.sessions[m.ID], sid)
	location := spec.Location
	if location == nil {
		location = m.RegionID
	}
	engine, manual, name, project := m.DatabaseEngineType, true, m.Name, m.ProjectID
	s.points[m.ID] = append(s.points[m.ID], vbgcapi.SQLInstanceRestorePointModel{ID: uuid.New(), InstanceName: &name,
		ProjectID: &project, CreationTime: time.Now().UTC(), Type: vbgcapi.ESQLInstanceRestorePointTypeSnapshot,
		DatabaseEngineType: &engine, DatabaseVersion: m.DatabaseVersion, Location: location, IsManual: &manual})
}

// databasesLocked lists the system database of the engine and one of the
// instance's own.
func (s *sqlInstances) databasesLocked(id string) []vbgcapi.SQLInstanceDatabaseModel {
	m := s.items.items[id]
	system := map[vbgcapi.ESQLInstanceDatabaseEngineType]string{
		vbgcapi.ESQLInstanceDatabaseEngineTypePostgreSQL: "postgres",
		vbgcapi.ESQLInstanceDatabaseEngineTypeMySQL:      "mysql",
		vbgcapi.ESQLInstanceDatabaseEngineTypeSQLServer:  "master",
	}[m.DatabaseEngineType]
	name := m.Name
	return []vbgcapi.SQLInstanceDatabaseModel{{Name: system, InstanceName: &name}, {Name: m.Name + "-data", InstanceName: &name}}
}
