package vbgcfake

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// Cloud SQL instances: a set of discovered instances (the spec's example
// instance to begin with; add more with AddSQLInstance), their restore
// points (manual snapshots add one each) and the sessions that processed
// them.
type sqlInstances struct {
	f        *Fake
	items    map[string]vbgcapi.SQLInstanceModel
	order    []string
	points   map[string][]vbgcapi.SQLInstanceRestorePointModel
	sessions map[string][]uuid.UUID
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		s := &sqlInstances{f: f, items: map[string]vbgcapi.SQLInstanceModel{},
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
			"SqlInstancesGetAll":              s.list,
			"SqlInstancesGet":                 s.get,
			"SqlInstancesGetRestorePoints":    s.restorePoints,
			"SqlInstancesDeleteRestorePoints": s.deleteRestorePoints,
			"SqlInstancesGetSessions":         s.instanceSessions,
			"SqlInstancesTakeSnapshot":        s.takeSnapshot,
			"SqlInstancesGetDatabases":        s.databases,
			"SqlInstancesRescan":              s.rescan,
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
	if _, ok := s.items[m.ID]; !ok {
		s.order = append(s.order, m.ID)
	}
	s.items[m.ID] = m
}

func sqlPage[T any](w http.ResponseWriter, r *http.Request, items []T, wrap func([]T, vbgcapi.PaginationModel) any) {
	if data, pg, ok := writePage(w, r, items); ok {
		veeamfake.WriteJSON(w, http.StatusOK, wrap(data, pg))
	}
}

func (s *sqlInstances) list(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	s.f.mu.Lock()
	items := make([]vbgcapi.SQLInstanceModel, 0, len(s.order))
	for _, id := range s.order {
		items = append(items, s.items[id])
	}
	s.f.mu.Unlock()
	sqlPage(w, r, items, func(d []vbgcapi.SQLInstanceModel, pg vbgcapi.PaginationModel) any {
		return vbgcapi.SQLInstanceListModel{Data: d, Pagination: pg}
	})
}

// findLocked resolves the projectId and instanceName path parameters: the
// product addresses a Cloud SQL instance by its project and name.
func (s *sqlInstances) findLocked(w http.ResponseWriter, r *http.Request, in *fake.Input) (vbgcapi.SQLInstanceModel, bool) {
	project, name := in.PathParams["projectId"], in.PathParams["instanceName"]
	for _, id := range s.order {
		if m := s.items[id]; m.ProjectID == project && m.Name == name {
			return m, true
		}
	}
	veeamfake.WriteJSONError(w, r, http.StatusNotFound, "NotFound", "the Cloud SQL instance was not found")
	return vbgcapi.SQLInstanceModel{}, false
}

func (s *sqlInstances) get(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	if m, ok := s.findLocked(w, r, in); ok {
		veeamfake.WriteJSON(w, http.StatusOK, m)
	}
}

func (s *sqlInstances) restorePoints(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	s.f.mu.Lock()
	m, ok := s.findLocked(w, r, in)
	items := append([]vbgcapi.SQLInstanceRestorePointModel{}, s.points[m.ID]...)
	s.f.mu.Unlock()
	if !ok {
		return
	}
	sqlPage(w, r, items, func(d []vbgcapi.SQLInstanceRestorePointModel, pg vbgcapi.PaginationModel) any {
		return vbgcapi.SQLInstanceRestorePointListModel{Data: d, Pagination: pg}
	})
}

func (s *sqlInstances) deleteRestorePoints(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	if m, ok := s.findLocked(w, r, in); ok {
		delete(s.points, m.ID)
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *sqlInstances) instanceSessions(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	s.f.mu.Lock()
	m, ok := s.findLocked(w, r, in)
	items := []vbgcapi.SessionInfoItemModel{}
	if ok {
		for _, sid := range s.sessions[m.ID] {
			items = append(items, s.f.sessions[sid].model)
		}
	}
	s.f.mu.Unlock()
	if !ok {
		return
	}
	sqlPage(w, r, items, func(d []vbgcapi.SessionInfoItemModel, pg vbgcapi.PaginationModel) any {
		return vbgcapi.SessionsInfoListModel{Data: d, Pagination: pg}
	})
}

func (s *sqlInstances) takeSnapshot(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbgcapi.SQLInstanceSnapshotSpec
	if err := json.Unmarshal(in.Body, &spec); err != nil {
		veeamfake.WriteJSONError(w, r, http.StatusBadRequest, "UnexpectedContent", "malformed JSON body")
		return
	}
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	m, ok := s.findLocked(w, r, in)
	if !ok {
		return
	}
	sid := s.f.startSessionLocked(vbgcapi.ESessionTypeManualSnapshot, "Snapshot of "+m.Name, nil)
	s.sessions[m.ID] = append(s.sessions[m.ID], sid)
	location := spec.Location
	if location == nil {
		location = m.RegionID
	}
	engine, manual, name, project := m.DatabaseEngineType, true, m.Name, m.ProjectID
	s.points[m.ID] = append(s.points[m.ID], vbgcapi.SQLInstanceRestorePointModel{ID: uuid.New(), InstanceName: &name,
		ProjectID: &project, CreationTime: time.Now().UTC(), Type: vbgcapi.ESQLInstanceRestorePointTypeSnapshot,
		DatabaseEngineType: &engine, DatabaseVersion: m.DatabaseVersion, Location: location, IsManual: &manual})
	veeamfake.WriteJSON(w, http.StatusAccepted, vbgcapi.SessionIDModel{SessionID: sid})
}

func (s *sqlInstances) databases(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	s.f.mu.Lock()
	m, ok := s.findLocked(w, r, in)
	s.f.mu.Unlock()
	if !ok {
		return
	}
	system := map[vbgcapi.ESQLInstanceDatabaseEngineType]string{
		vbgcapi.ESQLInstanceDatabaseEngineTypePostgreSQL: "postgres",
		vbgcapi.ESQLInstanceDatabaseEngineTypeMySQL:      "mysql",
		vbgcapi.ESQLInstanceDatabaseEngineTypeSQLServer:  "master",
	}[m.DatabaseEngineType]
	name := m.Name
	items := []vbgcapi.SQLInstanceDatabaseModel{{Name: system, InstanceName: &name}, {Name: m.Name + "-data", InstanceName: &name}}
	sqlPage(w, r, items, func(d []vbgcapi.SQLInstanceDatabaseModel, pg vbgcapi.PaginationModel) any {
		return vbgcapi.SQLInstanceDatabaseListModel{Data: d, Pagination: pg}
	})
}

func (s *sqlInstances) rescan(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	sid := s.f.startSessionLocked(vbgcapi.ESessionTypeRescan, "Cloud SQL instances rescan", nil)
	veeamfake.WriteJSON(w, http.StatusAccepted, vbgcapi.SessionIDModel{SessionID: sid})
}
