package ibmfake

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
)

// The legacy (v1) protection source operations, served under LegacyBase,
// read the v2 source registrations of the caller's tenant (sources.go):
// listProtectionSources answers one tree per registration (its root node,
// with the registration's id, name and environment, and its registration
// details), and listProtectionSourcesRegistrationInfo one root node per
// registration with the registration's source info. A registered source is
// protected when a protection group of the tenant names it as an object.

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		return map[string]fake.HandlerFunc{
			"listProtectionSources":                 f.listProtectionSources,
			"listProtectionSourcesRegistrationInfo": f.registrationInfo,
		}
	})
}

// enumAllows reports whether the spec lets property prop of schema hold
// value (the legacy schemas list fewer environments than registrations
// have).
func (f *Fake) enumAllows(schema, prop, value string) bool {
	sc, ok := f.Doc().Components.Schemas[schema]
	if !ok || sc.Value == nil {
		return false
	}
	p, ok := sc.Value.Properties[prop]
	if !ok || p.Value == nil {
		return false
	}
	v := p.Value
	if v.Items != nil && v.Items.Value != nil {
		v = v.Items.Value
	}
	return len(v.Enum) == 0 || slices.Contains(v.Enum, any(value))
}

// legacySource is a registration as the legacy API shows it.
type legacySource struct {
	reg       *ibmbrapi.SourceRegistrationResponseParams
	env       string
	protected bool
}

// legacySources lists the registrations of the caller's tenant, in the
// order they were made; f.mu must be held.
func (f *Fake) legacySources(in *fake.Input) []legacySource {
	src, _ := f.state["sources"].(*sourceStore)
	groups := f.pgStore().tenant(principalTenant(in))
	t := src.tenant(in)
	out := make([]legacySource, 0, len(t.regOrder))
	for _, id := range t.regOrder {
		reg := t.regs[id]
		env := ""
		if reg.Environment != nil {
			env = string(*reg.Environment)
		}
		out = append(out, legacySource{reg: reg, env: env, protected: groups.protects(id)})
	}
	return out
}

// node is the root node of a registered source.
func (f *Fake) node(s legacySource) map[string]any {
	n := map[string]any{"id": *s.reg.ID, "name": *s.reg.Name}
	if f.enumAllows("ProtectionSourceNode", "environment", s.env) {
		n["environment"] = s.env
	}
	if s.reg.ConnectionID != nil {
		n["connectionId"] = *s.reg.ConnectionID
	}
	return n
}

// summary is the protected or unprotected summary of one source.
func (f *Fake) summary(s legacySource) []map[string]any {
	m := map[string]any{"leavesCount": 1, "totalLogicalSize": snapshotLogicalBytes}
	if f.enumAllows("SubtreeInfo", "environment", s.env) {
		m["environment"] = s.env
	}
	return []map[string]any{m}
}

func (f *Fake) listProtectionSources(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	envs := queryList(r, "environments")
	if e := r.URL.Query().Get("environment"); e != "" {
		envs = append(envs, e)
	}
	id, byID := pgInt(r.URL.Query().Get("id"))
	f.mu.Lock()
	defer f.mu.Unlock()
	out := []map[string]any{}
	for _, s := range f.legacySources(in) {
		if (len(envs) > 0 && !slices.Contains(envs, s.env)) || (byID && *s.reg.ID != id) {
			continue
		}
		info := map[string]any{}
		if s.reg.RegistrationTimeMsecs != nil {
			info["registrationTimeUsecs"] = *s.reg.RegistrationTimeMsecs * 1000
		}
		if s.reg.LastRefreshedTimeMsecs != nil {
			info["refreshTimeUsecs"] = *s.reg.LastRefreshedTimeMsecs * 1000
		}
		if s.reg.AuthenticationStatus != nil {
			if st := "k" + string(*s.reg.AuthenticationStatus); f.enumAllows("AgentRegistrationInfo", "authenticationStatus", st) {
				info["authenticationStatus"] = st
			}
		}
		if f.enumAllows("AgentRegistrationInfo", "environments", s.env) {
			info["environments"] = []string{s.env}
		}
		tree := map[string]any{"protectionSource": f.node(s), "registrationInfo": info}
		if s.protected {
			tree["protectedSourcesSummary"] = f.summary(s)
		} else {
			tree["unprotectedSourcesSummary"] = f.summary(s)
		}
		out = append(out, tree)
	}
	WriteJSON(w, http.StatusOK, out)
}

// counts are the protected and unprotected counts and sizes of sources.
type counts struct{ protectedCount, protectedSize, unprotectedCount, unprotectedSize int64 }

func (c *counts) add(s legacySource) {
	if s.protected {
		c.protectedCount++
		c.protectedSize += snapshotLogicalBytes
	} else {
		c.unprotectedCount++
		c.unprotectedSize += snapshotLogicalBytes
	}
}

func (c counts) json() map[string]any {
	return map[string]any{"protectedCount": c.protectedCount, "protectedSize": c.protectedSize,
		"unprotectedCount": c.unprotectedCount, "unprotectedSize": c.unprotectedSize}
}

func (f *Fake) registrationInfo(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	envs := queryList(r, "environments")
	var ids []int64
	for _, v := range queryList(r, "ids") {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "ids must be integers")
			return
		}
		ids = append(ids, id)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	roots := []map[string]any{}
	var total counts
	byEnv := map[string]*counts{}
	var envOrder []string
	for _, s := range f.legacySources(in) {
		if (len(envs) > 0 && !slices.Contains(envs, s.env)) || (len(ids) > 0 && !slices.Contains(ids, *s.reg.ID)) {
			continue
		}
		var one counts
		one.add(s)
		total.add(s)
		root := map[string]any{"rootNode": f.node(s), "stats": one.json(), "logicalSizeBytes": snapshotLogicalBytes}
		if s.reg.SourceInfo != nil {
			root["registrationInfo"] = s.reg.SourceInfo
		}
		roots = append(roots, root)
		if f.enumAllows("ProtectionSummaryByEnv", "environment", s.env) {
			if byEnv[s.env] == nil {
				byEnv[s.env] = &counts{}
				envOrder = append(envOrder, s.env)
			}
			byEnv[s.env].add(s)
		}
	}
	stats := []map[string]any{}
	for _, env := range envOrder {
		m := byEnv[env].json()
		m["environment"] = env
		stats = append(stats, m)
	}
	WriteJSON(w, http.StatusOK, map[string]any{"rootNodes": roots, "stats": total.json(), "statsByEnv": stats})
}
