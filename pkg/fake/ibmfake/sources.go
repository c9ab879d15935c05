package ibmfake

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
)

// Source registrations, data-source connections and their connectors keep
// state per tenant: a registration is listed and read until it is deleted,
// PUT replaces and PATCH changes it, refresh answers for the source of a
// known registration; a connection starts with two connected connectors and
// a registration token, which generateDataSourceConnectionRegistrationToken
// replaces; connectors are listed, renamed and deleted. New connectors run
// the fake's release (SetRelease), which connector metadata offers as VSI
// and VMware images and as a Helm chart.
type sourceStore struct {
	f      *Fake
	nextID int64
	byTen  map[string]*tenantSources
}

// tenantSources is what one tenant sees.
type tenantSources struct {
	regs       map[int64]*ibmbrapi.SourceRegistrationResponseParams
	regOrder   []int64
	conns      map[string]*ibmbrapi.DataSourceConnection
	connOrder  []string
	ctors      map[string]*ibmbrapi.DataSourceConnector
	ctorsOrder []string
}

// connectorsPerConnection is how many connectors a new connection starts
// with, as if they had registered with its token.
const connectorsPerConnection = 2

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		s := &sourceStore{f: f, nextID: 5128356219792000, byTen: map[string]*tenantSources{}}
		f.state["sources"] = s
		return map[string]fake.HandlerFunc{
			"getSourceRegistrations":                        s.listRegistrations,
			"registerProtectionSource":                      s.register,
			"getProtectionSourceRegistration":               s.getRegistration,
			"updateProtectionSourceRegistration":            s.updateRegistration,
			"patchProtectionSourceRegistration":             s.patchRegistration,
			"deleteProtectionSourceRegistration":            s.deleteRegistration,
			"refreshProtectionSourceByID":                   s.refresh,
			"getDataSourceConnections":                      s.listConnections,
			"createDataSourceConnection":                    s.createConnection,
			"patchDataSourceConnection":                     s.patchConnection,
			"deleteDataSourceConnection":                    s.deleteConnection,
			"generateDataSourceConnectionRegistrationToken": s.generateToken,
			"getDataSourceConnectors":                       s.listConnectors,
			"patchDataSourceConnector":                      s.patchConnector,
			"deleteDataSourceConnector":                     s.deleteConnector,
			"getConnectorMetadata":                          s.connectorMetadata,
		}
	})
}

// tenant returns the store of the caller's tenant; f.mu must be held.
func (s *sourceStore) tenant(in *fake.Input) *tenantSources {
	name, _ := in.Principal.(string)
	t, ok := s.byTen[name]
	if !ok {
		t = &tenantSources{regs: map[int64]*ibmbrapi.SourceRegistrationResponseParams{},
			conns: map[string]*ibmbrapi.DataSourceConnection{}, ctors: map[string]*ibmbrapi.DataSourceConnector{}}
		s.byTen[name] = t
	}
	return t
}

// newID returns an id unique across tenants; f.mu must be held.
func (s *sourceStore) newID() int64 {
	s.nextID++
	return s.nextID
}

// queryList returns the values of a form, explode=false array parameter.
func queryList(r *http.Request, name string) []string {
	var out []string
	for _, v := range r.URL.Query()[name] {
		for _, p := range strings.Split(v, ",") {
			if p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func badBody(w http.ResponseWriter, r *http.Request) {
	WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "malformed JSON body")
}

// ---- source registrations ----

func (s *sourceStore) listRegistrations(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var ids []int64
	for _, v := range queryList(r, "ids") {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "ids must be integers")
			return
		}
		ids = append(ids, id)
	}
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	t := s.tenant(in)
	regs := []ibmbrapi.SourceRegistrationResponseParams{}
	for _, id := range t.regOrder {
		if len(ids) == 0 || slices.Contains(ids, id) {
			regs = append(regs, *t.regs[id])
		}
	}
	WriteJSON(w, http.StatusOK, ibmbrapi.SourceRegistrations{Registrations: regs})
}

// registrationID parses the id path parameter and finds the registration,
// answering 404 when the tenant has none with that id; f.mu must be held.
func (s *sourceStore) registrationID(w http.ResponseWriter, r *http.Request, in *fake.Input) (int64, *ibmbrapi.SourceRegistrationResponseParams, bool) {
	id, err := strconv.ParseInt(in.PathParams["id"], 10, 64)
	if err != nil {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "id must be an integer")
		return 0, nil, false
	}
	reg, ok := s.tenant(in).regs[id]
	if !ok {
		WriteError(w, r, http.StatusNotFound, "NotFound", "no Protection Source registration with id "+strconv.FormatInt(id, 10))
		return id, nil, false
	}
	return id, reg, true
}

// knownConnection reports whether the connection a registration names, if
// any, belongs to the tenant; f.mu must be held.
func (t *tenantSources) knownConnection(connectionID *int64, dataSourceConnectionID *string) bool {
	if connectionID != nil {
		if _, ok := t.conns[strconv.FormatInt(*connectionID, 10)]; !ok {
			return false
		}
	}
	if dataSourceConnectionID != nil {
		if _, ok := t.conns[*dataSourceConnectionID]; !ok {
			return false
		}
	}
	return true
}

// applyRegistration copies what a register or update request sets into reg.
func applyRegistration(reg *ibmbrapi.SourceRegistrationResponseParams, req ibmbrapi.SourceRegistrationRequestParams) {
	env := ibmbrapi.SourceRegistrationResponseParamsEnvironment(req.Environment)
	reg.Environment = &env
	name := req.Name
	if name == nil || *name == "" {
		n := "source-" + strconv.FormatInt(*reg.ID, 10)
		if req.PhysicalParams != nil {
			n = req.PhysicalParams.Endpoint
		}
		name = &n
	}
	reg.Name = name
	reg.ConnectionID, reg.Connections, reg.ConnectorGroupID = req.ConnectionID, req.Connections, req.ConnectorGroupID
	reg.DataSourceConnectionID, reg.AdvancedConfigs = req.DataSourceConnectionID, req.AdvancedConfigs
	reg.PhysicalParams, reg.KubernetesParams = req.PhysicalParams, req.KubernetesParams
	info := ibmbrapi.RegisteredSourceInfo{ID: reg.SourceID, SourceID: reg.SourceID, Name: name, SourceName: name}
	switch req.Environment {
	case ibmbrapi.SourceRegistrationRequestParamsEnvironmentKPhysical, ibmbrapi.SourceRegistrationRequestParamsEnvironmentKSQL:
		e := ibmbrapi.RegisteredSourceInfoEnvironment(req.Environment)
		info.Environment = &e
	}
	reg.SourceInfo = &info
}

func (s *sourceStore) register(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var req ibmbrapi.SourceRegistrationRequestParams
	if err := json.Unmarshal(in.Body, &req); err != nil {
		badBody(w, r)
		return
	}
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	t := s.tenant(in)
	if !t.knownConnection(req.ConnectionID, req.DataSourceConnectionID) {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "the data-source connection of the source does not exist")
		return
	}
	id := s.newID()
	now := time.Now().UnixMilli()
	status := ibmbrapi.SourceRegistrationResponseParamsAuthenticationStatusFinished
	reg := &ibmbrapi.SourceRegistrationResponseParams{ID: &id, SourceID: &id, AuthenticationStatus: &status,
		RegistrationTimeMsecs: &now, LastRefreshedTimeMsecs: &now}
	applyRegistration(reg, req)
	t.regs[id] = reg
	t.regOrder = append(t.regOrder, id)
	WriteJSON(w, http.StatusCreated, reg)
}

func (s *sourceStore) getRegistration(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	if _, reg, ok := s.registrationID(w, r, in); ok {
		WriteJSON(w, http.StatusOK, reg)
	}
}

func (s *sourceStore) updateRegistration(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var req ibmbrapi.SourceRegistrationUpdateRequestParams
	if err := json.Unmarshal(in.Body, &req); err != nil {
		badBody(w, r)
		return
	}
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	_, reg, ok := s.registrationID(w, r, in)
	if !ok {
		return
	}
	if !s.tenant(in).knownConnection(req.ConnectionID, req.DataSourceConnectionID) {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "the data-source connection of the source does not exist")
		return
	}
	applyRegistration(reg, ibmbrapi.SourceRegistrationRequestParams{
		Environment: ibmbrapi.SourceRegistrationRequestParamsEnvironment(req.Environment), Name: req.Name,
		ConnectionID: req.ConnectionID, Connections: req.Connections, ConnectorGroupID: req.ConnectorGroupID,
		DataSourceConnectionID: req.DataSourceConnectionID, AdvancedConfigs: req.AdvancedConfigs,
		PhysicalParams: req.PhysicalParams, KubernetesParams: req.KubernetesParams,
	})
	WriteJSON(w, http.StatusOK, reg)
}

func (s *sourceStore) patchRegistration(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var req ibmbrapi.SourceRegistrationPatchRequestParams
	if err := json.Unmarshal(in.Body, &req); err != nil {
		badBody(w, r)
		return
	}
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	_, reg, ok := s.registrationID(w, r, in)
	if !ok {
		return
	}
	env := ibmbrapi.SourceRegistrationResponseParamsEnvironment(req.Environment)
	reg.Environment = &env
	if reg.SourceInfo != nil {
		reg.SourceInfo.Environment = nil
		if req.Environment != ibmbrapi.SourceRegistrationPatchRequestParamsEnvironmentKKubernetes {
			e := ibmbrapi.RegisteredSourceInfoEnvironment(req.Environment)
			reg.SourceInfo.Environment = &e
		}
	}
	WriteJSON(w, http.StatusOK, reg)
}

func (s *sourceStore) deleteRegistration(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	id, _, ok := s.registrationID(w, r, in)
	if !ok {
		return
	}
	t := s.tenant(in)
	delete(t.regs, id)
	t.regOrder = slices.DeleteFunc(t.regOrder, func(v int64) bool { return v == id })
	w.WriteHeader(http.StatusNoContent)
}

// refresh refreshes the source of a registration: its id is the sourceId of
// the registration (which the fake makes equal to the registration id).
func (s *sourceStore) refresh(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	id, err := strconv.ParseInt(in.PathParams["id"], 10, 64)
	if err != nil {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "id must be an integer")
		return
	}
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	for _, reg := range s.tenant(in).regs {
		if reg.SourceID != nil && *reg.SourceID == id {
			now := time.Now().UnixMilli()
			reg.LastRefreshedTimeMsecs = &now
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	WriteError(w, r, http.StatusNotFound, "NotFound", "no Protection Source with id "+strconv.FormatInt(id, 10))
}

// ---- data-source connections ----

func (s *sourceStore) listConnections(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	ids, names := queryList(r, "connectionIds"), queryList(r, "connectionNames")
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	t := s.tenant(in)
	conns := []ibmbrapi.DataSourceConnection{}
	for _, id := range t.connOrder {
		c := t.conns[id]
		if (len(ids) == 0 || slices.Contains(ids, id)) && (len(names) == 0 || slices.Contains(names, c.ConnectionName)) {
			conns = append(conns, *c)
		}
	}
	WriteJSON(w, http.StatusOK, ibmbrapi.DataSourceConnectionList{Connections: conns})
}

// nameTaken reports whether another connection of the tenant has name.
func (t *tenantSources) nameTaken(name, except string) bool {
	for id, c := range t.conns {
		if id != except && c.ConnectionName == name {
			return true
		}
	}
	return false
}

func registrationToken() *string {
	tok := "eyJhbGciOiJSUzI1NiJ9." + randomToken()
	return &tok
}

func (s *sourceStore) createConnection(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var req ibmbrapi.DataSourceConnectionCreateParams
	if err := json.Unmarshal(in.Body, &req); err != nil {
		badBody(w, r)
		return
	}
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	t := s.tenant(in)
	if req.ConnectionName == "" {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "connectionName is empty")
		return
	}
	if t.nameTaken(req.ConnectionName, "") {
		WriteError(w, r, http.StatusConflict, "AlreadyExists", "a connection named "+req.ConnectionName+" already exists")
		return
	}
	id := strconv.FormatInt(s.newID(), 10)
	tenant, _ := in.Principal.(string)
	c := &ibmbrapi.DataSourceConnection{ConnectionID: &id, ConnectionName: req.ConnectionName, TenantID: &tenant,
		RegistrationToken: registrationToken()}
	if req.ConnectionEnvType != nil {
		env := ibmbrapi.DataSourceConnectionConnectionEnvType(*req.ConnectionEnvType)
		c.ConnectionEnvType = &env
	}
	ctorIDs := []string{}
	for i := 1; i <= connectorsPerConnection; i++ {
		cid := strconv.FormatInt(s.newID(), 10)
		name := req.ConnectionName + "-connector-" + strconv.Itoa(i)
		typ := ibmbrapi.DataSourceConnectorConnectorTypeKRigelContainer
		version := s.f.release
		clusterIP, tenantIP := "10.0.0."+strconv.Itoa(10+i), "192.168.0."+strconv.Itoa(10+i)
		seen := time.Now().Unix()
		t.ctors[cid] = &ibmbrapi.DataSourceConnector{ConnectorID: &cid, ConnectorName: &name, ConnectionID: &id,
			ConnectorType: &typ, SoftwareVersion: &version, ClusterSideIP: &clusterIP, TenantSideIP: &tenantIP,
			ConnectivityStatus: &ibmbrapi.ConnectorConnectivityStatus{IsConnected: true, LastConnectedTimestampSecs: &seen}}
		t.ctorsOrder = append(t.ctorsOrder, cid)
		ctorIDs = append(ctorIDs, cid)
	}
	c.ConnectorIDs = ctorIDs
	t.conns[id] = c
	t.connOrder = append(t.connOrder, id)
	WriteJSON(w, http.StatusCreated, c)
}

// connection finds the connection of the path, answering 404 when the tenant
// has none; f.mu must be held.
func (s *sourceStore) connection(w http.ResponseWriter, r *http.Request, in *fake.Input) (*ibmbrapi.DataSourceConnection, bool) {
	id := in.PathParams["connectionId"]
	c, ok := s.tenant(in).conns[id]
	if !ok {
		WriteError(w, r, http.StatusNotFound, "NotFound", "no data-source connection with id "+id)
	}
	return c, ok
}

func (s *sourceStore) patchConnection(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var req ibmbrapi.DataSourceConnectionPatchParams
	if err := json.Unmarshal(in.Body, &req); err != nil {
		badBody(w, r)
		return
	}
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	c, ok := s.connection(w, r, in)
	if !ok {
		return
	}
	if req.ConnectionName == "" {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "connectionName is empty")
		return
	}
	if s.tenant(in).nameTaken(req.ConnectionName, *c.ConnectionID) {
		WriteError(w, r, http.StatusConflict, "AlreadyExists", "a connection named "+req.ConnectionName+" already exists")
		return
	}
	c.ConnectionName = req.ConnectionName
	WriteJSON(w, http.StatusOK, c)
}

// deleteConnection deletes a connection and the connectors in it.
func (s *sourceStore) deleteConnection(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	c, ok := s.connection(w, r, in)
	if !ok {
		return
	}
	t := s.tenant(in)
	id := *c.ConnectionID
	delete(t.conns, id)
	t.connOrder = slices.DeleteFunc(t.connOrder, func(v string) bool { return v == id })
	t.ctorsOrder = slices.DeleteFunc(t.ctorsOrder, func(cid string) bool {
		if ct := t.ctors[cid]; ct.ConnectionID != nil && *ct.ConnectionID == id {
			delete(t.ctors, cid)
			return true
		}
		return false
	})
	w.WriteHeader(http.StatusNoContent)
}

// generateToken replaces the registration token of a connection.
func (s *sourceStore) generateToken(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	c, ok := s.connection(w, r, in)
	if !ok {
		return
	}
	c.RegistrationToken = registrationToken()
	WriteJSON(w, http.StatusOK, *c.RegistrationToken)
}

// ---- data-source connectors ----

func (s *sourceStore) listConnectors(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	ids, names := queryList(r, "connectorIds"), queryList(r, "connectorNames")
	conn := r.URL.Query().Get("connectionId")
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	t := s.tenant(in)
	out := []ibmbrapi.DataSourceConnector{}
	for _, id := range t.ctorsOrder {
		c := t.ctors[id]
		switch {
		case len(ids) > 0 && !slices.Contains(ids, id):
		case len(names) > 0 && (c.ConnectorName == nil || !slices.Contains(names, *c.ConnectorName)):
		case conn != "" && (c.ConnectionID == nil || *c.ConnectionID != conn):
		default:
			out = append(out, *c)
		}
	}
	WriteJSON(w, http.StatusOK, ibmbrapi.DataSourceConnectorList{Connectors: out})
}

// connector finds the connector of the path, answering 404 when the tenant
// has none; f.mu must be held.
func (s *sourceStore) connector(w http.ResponseWriter, r *http.Request, in *fake.Input) (*ibmbrapi.DataSourceConnector, bool) {
	id := in.PathParams["connectorId"]
	c, ok := s.tenant(in).ctors[id]
	if !ok {
		WriteError(w, r, http.StatusNotFound, "NotFound", "no data-source connector with id "+id)
	}
	return c, ok
}

func (s *sourceStore) patchConnector(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var req ibmbrapi.DataSourceConnectorPatchParams
	if err := json.Unmarshal(in.Body, &req); err != nil {
		badBody(w, r)
		return
	}
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	c, ok := s.connector(w, r, in)
	if !ok {
		return
	}
	if req.ConnectorName != nil {
		name := *req.ConnectorName
		c.ConnectorName = &name
	}
	WriteJSON(w, http.StatusOK, c)
}

// deleteConnector deletes a connector and takes it out of its connection.
func (s *sourceStore) deleteConnector(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	c, ok := s.connector(w, r, in)
	if !ok {
		return
	}
	t := s.tenant(in)
	id := *c.ConnectorID
	delete(t.ctors, id)
	t.ctorsOrder = slices.DeleteFunc(t.ctorsOrder, func(v string) bool { return v == id })
	if c.ConnectionID != nil {
		if conn, ok := t.conns[*c.ConnectionID]; ok && conn.ConnectorIDs != nil {
			conn.ConnectorIDs = slices.DeleteFunc(slices.Clone(conn.ConnectorIDs), func(v string) bool { return v == id })
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// connectorMetadata offers the release of the service: its connector
// images and the Helm chart of the Kubernetes connector.
func (s *sourceStore) connectorMetadata(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	s.f.mu.Lock()
	release := s.f.release
	s.f.mu.Unlock()
	base := "https://connectors.example.cloud.ibm.com/" + release + "/"
	digest := sha256.Sum256([]byte("connector-chart:" + release))
	ns := "ibm-backup-recovery"
	cmd := "helm install connector oci://icr.io/" + ns + "/connector-chart --version " + release
	WriteJSON(w, http.StatusOK, ibmbrapi.ConnectorMetadata{
		ConnectorImageMetadata: &ibmbrapi.ConnectorImageMetadata{ConnectorImageFileList: []ibmbrapi.ConnectorImageFile{
			{ImageType: ibmbrapi.ConnectorImageFileImageTypeVSI, URL: base + "connector-vsi.qcow2"},
			{ImageType: ibmbrapi.ConnectorImageFileImageTypeVMware, URL: base + "connector-vmware.ova"},
		}},
		K8SConnectorInfoList: []ibmbrapi.K8SConnectorInfo{{K8SPlatformType: "kRoksVpc", HelmInstallCmd: &cmd,
			HelmChartOciRef: &ibmbrapi.OciArtifactReference{RegistryHost: "icr.io", Namespace: &ns, Repository: "connector-chart",
				Tag: release, Digest: "sha256:" + hex.EncodeToString(digest[:])}}},
	})
}
