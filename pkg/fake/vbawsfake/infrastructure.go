package vbawsfake

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// infra is the appliance's own infrastructure: repositories, workers, IAM
// roles, standard accounts, the configuration backup and the license.
type infra struct {
	repos     *store[vbawsapi.Repository]
	passwords map[uuid.UUID]string // repository -> encryption password
	profiles  *store[vbawsapi.WorkerProfile]
	configs   *store[vbawsapi.WorkerConfiguration]
	roles     *store[vbawsapi.AmazonAccount]
	accounts  *store[vbawsapi.StandardAccount]

	cbSettings vbawsapi.ConfigurationBackupSettings
	cbPoints   *store[vbawsapi.ConfigurationBackupRestorePoint]
	cbPending  map[uuid.UUID]bool // configuration backup sessions not yet settled

	license   *vbawsapi.LicenseInfo
	workloads []vbawsapi.LicensedWorkload
}

func newInfra() *infra {
	in := &infra{
		repos: newStore[vbawsapi.Repository](), passwords: map[uuid.UUID]string{}, profiles: newStore[vbawsapi.WorkerProfile](),
		configs: newStore[vbawsapi.WorkerConfiguration](), roles: newStore[vbawsapi.AmazonAccount](), accounts: newStore[vbawsapi.StandardAccount](),
		cbPoints: newStore[vbawsapi.ConfigurationBackupRestorePoint](), cbPending: map[uuid.UUID]bool{},
	}
	role := uuid.New()
	in.roles.put(role, vbawsapi.AmazonAccount{ID: role, Name: "Default Backup Restore", Description: "IAM role of the backup appliance", Awsid: "111122223333",
		RegionType: to.Ptr(vbawsapi.RegionTypesGlobal), IAMRole: &vbawsapi.AmazonAccountIAMRole{RoleName: "VeeamBackupRestoreRole", IsDefault: true}})
	repo := uuid.New()
	in.repos.put(repo, vbawsapi.Repository{ID: repo, Name: "Default repository", Description: "Image-level backups", AmazonAccountID: role,
		AmazonBucketID: to.Ptr(uuid.New()), AmazonStorageFolder: "veeam", EnableEncryption: true, Hint: to.Ptr("the usual one")})
	in.passwords[repo] = "repo-secret"
	in.cbSettings = vbawsapi.ConfigurationBackupSettings{RepositoryID: repo, IsScheduleEnabled: true, DailyTime: to.Ptr("03:00"), RestorePointsToKeep: 3}
	cp := uuid.New()
	in.cbPoints.put(cp, vbawsapi.ConfigurationBackupRestorePoint{ID: cp, RepositoryID: repo, CreationTimeUtc: time.Now().UTC().Add(-24 * time.Hour), Size: to.Ptr(int64(5 << 20)), ProductVersion: to.Ptr("9.0.0")})
	prof := uuid.New()
	in.profiles.put(prof, vbawsapi.WorkerProfile{ID: prof, RegionID: uuid.New(), SmallProfile: "c5.large", MediumProfile: "c5.2xlarge", LargeProfile: "c5.4xlarge"})
	in.license = &vbawsapi.LicenseInfo{LicenseType: to.Ptr(vbawsapi.LicenseTypeSubscription), LicensedTo: to.Ptr("Example Corp"), LicenseID: to.Ptr("lic-0001"),
		Instances: to.Ptr(int32(50)), InstancesUses: to.Ptr(2.0), LicenseExpires: to.Ptr(time.Now().UTC().AddDate(1, 0, 0))}
	for _, n := range []string{"web-server-01", "db-server-01"} {
		in.workloads = append(in.workloads, vbawsapi.LicensedWorkload{ID: to.Ptr(uuid.New()), Name: to.Ptr(n), LastBackupTime: to.Ptr(time.Now().UTC().Add(-time.Hour))})
	}
	return in
}

func (f *Fake) infraHandlers() map[string]fake.HandlerFunc {
	h := map[string]fake.HandlerFunc{
		"RepositoriesGetAll":          f.repos().list,
		"CreateRepository":            withBody(f, f.createRepo),
		"RepositoriesGetOneById":      f.repos().get,
		"UpdateRepository":            withBody(f, f.updateRepo),
		"DeleteRepository":            f.repos().remove(http.StatusOK, f.repoInUse, func(id uuid.UUID) { delete(f.infra.passwords, id) }),
		"RepositoryValidateSettings":  f.validateRepo,
		"RepositoryPasswordIsCorrect": withBody(f, f.checkRepoPassword),

		"WorkerProfilesGetAll":           f.profiles().list,
		"AddWorkerProfiles":              withBody(f, f.saveProfiles),
		"WorkerProfilesGetOneById":       f.profiles().get,
		"UpdateWorkerProfiles":           withBody(f, f.saveProfiles),
		"DeleteWorkerProfiles":           f.profiles().remove(http.StatusNoContent, nil, nil),
		"WorkerConfigurationsGetAll":     f.configs().list,
		"AddWorkerConfiguration":         withBody(f, f.saveConfig),
		"WorkerConfigurationsGetOneById": f.configs().get,
		"UpdateWorkerConfiguration":      withBody(f, f.saveConfig),
		"DeleteWorkerConfiguration":      f.configs().remove(http.StatusNoContent, nil, nil),

		"AmazonAccountsGetAll":        f.roles().list,
		"AddAmazonAccount":            f.saveRole,
		"AmazonAccountsGetOneById":    f.roles().get,
		"UpdateAmazonAccount":         f.saveRole,
		"DeleteAmazonAccount":         f.roles().remove(http.StatusOK, f.roleInUse, nil),
		"RescanAmazonAccount":         f.rescanRole,
		"ValidateAmazonAccountName":   f.validateRoleName,
		"ValidateDeleteAmazonAccount": f.validateDeleteRole,
		"StandardAccountsGetAll":      f.accounts().list,
		"AddStandardAccount":          withBody(f, f.saveAccount),
		"StandardAccountsGetOneById":  f.accounts().get,
		"UpdateStandardAccount":       withBody(f, f.saveAccount),
		"DeleteStandardAccount":       f.accounts().remove(http.StatusOK, nil, nil),

		"GetConfigurationBackupSettings":             f.getCBSettings,
		"UpdateConfigurationBackupSettings":          withBody(f, f.updateCBSettings),
		"EnableConfigurationBackupSchedule":          f.cbSchedule(true),
		"DisableConfigurationBackupSchedule":         f.cbSchedule(false),
		"ConfigurationBackupRestorePointsGetAll":     f.listCBPoints,
		"ConfigurationBackupRestorePointsGetOneById": f.getCBPoint,
		"DeleteConfigurationBackupRestorePoint":      f.deleteCBPoint,
		"CreateConfigurationBackup":                  f.createCB,

		"GetLicense":              f.getLicense,
		"RemoveLicense":           f.removeLicense,
		"GetLicensedWorkloads":    f.listLicensedWorkloads,
		"GetProductVersion":       f.productVersion,
		"CreateAuthorizationCode": f.authorizationCode,
	}
	return h
}

// ---- repositories

func (f *Fake) repoMessages(spec vbawsapi.RepositoryCreateSpec, except uuid.UUID) []vbawsapi.ValidationMessage {
	msgs := []vbawsapi.ValidationMessage{}
	for _, x := range f.infra.repos.byID {
		if x.ID != except && strings.EqualFold(x.Name, spec.Name) {
			msgs = append(msgs, vbawsapi.ValidationMessage{Severity: vbawsapi.ValidationMessageSeverityError, Message: "A repository with this name already exists."})
		}
	}
	if _, ok := f.infra.roles.get(spec.AmazonAccountID); !ok {
		msgs = append(msgs, vbawsapi.ValidationMessage{Severity: vbawsapi.ValidationMessageSeverityError, Message: "The IAM role was not found."})
	}
	if spec.EnableEncryption && (spec.Password == nil || *spec.Password == "") {
		msgs = append(msgs, vbawsapi.ValidationMessage{Severity: vbawsapi.ValidationMessageSeverityError, Message: "Encryption needs a password."})
	}
	return msgs
}

func (f *Fake) createRepo(w http.ResponseWriter, r *http.Request, in *fake.Input, spec vbawsapi.RepositoryCreateSpec) {
	if msgs := f.repoMessages(spec, uuid.Nil); len(msgs) > 0 {
		badRequest(w, r, msgs[0].Message)
		return
	}
	id := uuid.New()
	d := ""
	if spec.Description != nil {
		d = *spec.Description
	}
	if spec.Password != nil {
		f.infra.passwords[id] = *spec.Password
	}
	repo := f.infra.repos.put(id, vbawsapi.Repository{ID: id, Name: spec.Name, Description: d, AmazonAccountID: spec.AmazonAccountID, AmazonBucketID: &spec.AmazonBucketID,
		AmazonStorageFolder: spec.AmazonStorageFolder, EnableEncryption: spec.EnableEncryption, Hint: spec.Hint})
	veeamfake.WriteJSON(w, http.StatusCreated, f.repoView(*repo))
}

func (f *Fake) updateRepo(w http.ResponseWriter, r *http.Request, in *fake.Input, spec vbawsapi.RepositoryUpdateSpec) {
	x, id, ok := f.repos().byPath(w, r, in)
	if !ok {
		return
	}
	pw := spec.Password
	if pw == nil && f.infra.passwords[id] != "" {
		pw = to.Ptr(f.infra.passwords[id])
	}
	if msgs := f.repoMessages(vbawsapi.RepositoryCreateSpec{Name: spec.Name, AmazonAccountID: spec.AmazonAccountID, EnableEncryption: spec.EnableEncryption, Password: pw}, id); len(msgs) > 0 {
		badRequest(w, r, msgs[0].Message)
		return
	}
	if spec.Password != nil {
		f.infra.passwords[id] = *spec.Password
	}
	x.Name, x.AmazonAccountID, x.EnableEncryption, x.Hint = spec.Name, spec.AmazonAccountID, spec.EnableEncryption, spec.Hint
	if spec.Description != nil {
		x.Description = *spec.Description
	}
	veeamfake.WriteJSON(w, http.StatusOK, f.repoView(*x))
}

// repoInUse says why the repository cannot be removed: the configuration
// backup keeps its points there.
func (f *Fake) repoInUse(id uuid.UUID) string {
	if f.infra.cbSettings.RepositoryID == id {
		return "the repository is used by the configuration backup"
	}
	return ""
}

func (f *Fake) validateRepo(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbawsapi.RepositoryCreateSpec
	if !decodeBody(w, r, in, &spec) {
		return
	}
	f.mu.Lock()
	msgs := f.repoMessages(spec, uuid.Nil)
	f.mu.Unlock()
	veeamfake.WriteJSON(w, http.StatusOK, msgs)
}

func (f *Fake) checkRepoPassword(w http.ResponseWriter, r *http.Request, in *fake.Input, spec vbawsapi.RepositoryPasswordValidationSpec) {
	x, id, ok := f.repos().byPath(w, r, in)
	if !ok {
		return
	}
	if !x.EnableEncryption {
		badRequest(w, r, "the repository is not encrypted")
		return
	}
	veeamfake.WriteJSON(w, http.StatusOK, vbawsapi.RepositoryPasswordValidationResult{IsSuccess: f.infra.passwords[id] == spec.Password})
}

// ---- IAM roles and standard accounts

// roleUsers says what uses an IAM role: repositories and worker
// configurations.
func (f *Fake) roleUsers(id uuid.UUID) []vbawsapi.ValidationMessage {
	msgs := []vbawsapi.ValidationMessage{}
	for _, x := range f.infra.repos.byID {
		if x.AmazonAccountID == id {
			msgs = append(msgs, vbawsapi.ValidationMessage{Severity: vbawsapi.ValidationMessageSeverityError, Message: "The IAM role is used by the repository " + x.Name + ".", ContextID: to.Ptr(x.ID)})
		}
	}
	for _, x := range f.infra.configs.byID {
		if x.AmazonAccountID != nil && *x.AmazonAccountID == id {
			msgs = append(msgs, vbawsapi.ValidationMessage{Severity: vbawsapi.ValidationMessageSeverityError, Message: "The IAM role is used by a worker configuration.", ContextID: to.Ptr(x.ID)})
		}
	}
	return msgs
}

func (f *Fake) rescanRole(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbawsapi.RescanCloudAccountSpec
	if len(in.Body) > 0 && !decodeBody(w, r, in, &spec) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, _, ok := f.roles().byPath(w, r, in); ok {
		veeamfake.WriteJSON(w, http.StatusAccepted, f.log.start("AmazonAccountRescan"))
	}
}

func (f *Fake) validateRoleName(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbawsapi.AmazonAccountNameValidationSpec
	if !decodeBody(w, r, in, &spec) {
		return
	}
	f.mu.Lock()
	taken := f.roles().nameTaken(spec.Name, uuid.Nil)
	f.mu.Unlock()
	msgs := []vbawsapi.ValidationMessage{}
	if taken {
		msgs = append(msgs, vbawsapi.ValidationMessage{Severity: vbawsapi.ValidationMessageSeverityError, Message: "An IAM role with this name already exists."})
	}
	veeamfake.WriteJSON(w, http.StatusOK, msgs)
}

func (f *Fake) validateDeleteRole(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, id, ok := f.roles().byPath(w, r, in); ok {
		veeamfake.WriteJSON(w, http.StatusOK, f.roleUsers(id))
	}
}

// ---- configuration backup

// settleCB adds a restore point for every configuration backup session
// that has ended Succeeded, and drops the oldest points beyond the number
// to keep. The caller holds f.mu.
func (f *Fake) settleCB() {
	f.log.mu.Lock()
	defer f.log.mu.Unlock()
	for sid := range f.infra.cbPending {
		st := f.log.byID[sid]
		if st == nil || st.s.Status == vbawsapi.SessionStatusRunning {
			continue
		}
		delete(f.infra.cbPending, sid)
		if st.s.Status == vbawsapi.SessionStatusSucceeded {
			id := uuid.New()
			f.infra.cbPoints.put(id, vbawsapi.ConfigurationBackupRestorePoint{ID: id, RepositoryID: f.infra.cbSettings.RepositoryID, CreationTimeUtc: *st.s.ExecutionStopTime,
				Size: to.Ptr(int64(5 << 20)), ProductVersion: to.Ptr("9.0.0")})
		}
	}
	for len(f.infra.cbPoints.order) > int(f.infra.cbSettings.RestorePointsToKeep) {
		f.infra.cbPoints.remove(f.infra.cbPoints.order[0])
	}
}

func (f *Fake) getCBSettings(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	f.mu.Lock()
	s := f.infra.cbSettings
	f.mu.Unlock()
	veeamfake.WriteJSON(w, http.StatusOK, s)
}

func (f *Fake) updateCBSettings(w http.ResponseWriter, r *http.Request, in *fake.Input, spec vbawsapi.ConfigurationBackupSettings) {
	if _, ok := f.infra.repos.get(spec.RepositoryID); !ok {
		f.notFound(w, r, "the repository "+spec.RepositoryID.String())
		return
	}
	f.infra.cbSettings = spec
	f.settleCB()
	veeamfake.WriteJSON(w, http.StatusOK, spec)
}

func (f *Fake) cbSchedule(on bool) fake.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
		f.mu.Lock()
		f.infra.cbSettings.IsScheduleEnabled = on
		f.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}
}

func (f *Fake) listCBPoints(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	f.mu.Lock()
	f.settleCB()
	all := f.infra.cbPoints.list(nil)
	f.mu.Unlock()
	writeTypedPage(w, r, all, "Offset", "Limit")
}

func (f *Fake) getCBPoint(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.settleCB()
	if p, _, ok := byPath(f, w, r, in, f.infra.cbPoints, "restorePointId", "the configuration restore point"); ok {
		veeamfake.WriteJSON(w, http.StatusOK, p)
	}
}

func (f *Fake) deleteCBPoint(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.settleCB()
	if _, id, ok := byPath(f, w, r, in, f.infra.cbPoints, "restorePointId", "the configuration restore point"); ok {
		f.infra.cbPoints.remove(id)
		w.WriteHeader(http.StatusNoContent)
	}
}

func (f *Fake) createCB(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	link := f.log.start("SelfBackupActivity")
	f.infra.cbPending[link.SessionID] = true
	veeamfake.WriteJSON(w, http.StatusAccepted, link)
}

// ---- licensing, system, token

func (f *Fake) getLicense(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	f.mu.Lock()
	lic := f.infra.license
	f.mu.Unlock()
	if lic == nil {
		lic = &vbawsapi.LicenseInfo{LicenseType: to.Ptr(vbawsapi.LicenseTypeFree), Instances: to.Ptr(int32(10))}
	}
	veeamfake.WriteJSON(w, http.StatusOK, lic)
}

func (f *Fake) removeLicense(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.infra.license == nil {
		f.notFound(w, r, "an installed license")
		return
	}
	f.infra.license = nil
	w.WriteHeader(http.StatusNoContent)
}

func (f *Fake) listLicensedWorkloads(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	q := r.URL.Query()
	f.mu.Lock()
	var all []vbawsapi.LicensedWorkload
	for _, x := range f.infra.workloads {
		if matches(*x.Name, q.Get("SearchPattern")) {
			all = append(all, x)
		}
	}
	f.mu.Unlock()
	for _, s := range q["Sort"] {
		if strings.HasPrefix(s, "name") {
			sortBy(all, func(x vbawsapi.LicensedWorkload) string { return *x.Name }, s == "nameDesc")
		}
	}
	writeTypedPage(w, r, all, "Offset", "Limit")
}

func (f *Fake) productVersion(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	veeamfake.WriteJSON(w, http.StatusOK, vbawsapi.ProductVersion{About: "Veeam Backup for AWS", Version: "9.0.0.123"})
}

func (f *Fake) authorizationCode(w http.ResponseWriter, _ *http.Request, in *fake.Input) {
	user, _ := in.Principal.(string)
	veeamfake.WriteJSON(w, http.StatusOK, vbawsapi.AuthorizationCode{Code: f.Tokens.IssueAuthorizationCode(user)})
}

func sortBy[T any](all []T, key func(T) string, desc bool) {
	slices.SortStableFunc(all, func(a, b T) int {
		c := strings.Compare(key(a), key(b))
		if desc {
			return -c
		}
		return c
	})
}

// The collections of the appliance's infrastructure.

func (f *Fake) repos() collection[vbawsapi.Repository] {
	return collection[vbawsapi.Repository]{f: f, s: f.infra.repos, param: "repositoryId", what: "the repository",
		name: func(x vbawsapi.Repository) string { return x.Name }, offset: "Offset", limit: "Limit", view: f.repoView}
}

func (f *Fake) profiles() collection[vbawsapi.WorkerProfile] {
	return collection[vbawsapi.WorkerProfile]{f: f, s: f.infra.profiles, param: "profileId", what: "the worker profiles", offset: "offset", limit: "limit"}
}

func (f *Fake) configs() collection[vbawsapi.WorkerConfiguration] {
	return collection[vbawsapi.WorkerConfiguration]{f: f, s: f.infra.configs, param: "configurationId", what: "the worker configuration", offset: "offset", limit: "limit"}
}

func (f *Fake) roles() collection[vbawsapi.AmazonAccount] {
	return collection[vbawsapi.AmazonAccount]{f: f, s: f.infra.roles, param: "amazonAccountId", what: "the IAM role",
		name: func(x vbawsapi.AmazonAccount) string { return x.Name }, offset: "Offset", limit: "Limit"}
}

func (f *Fake) accounts() collection[vbawsapi.StandardAccount] {
	return collection[vbawsapi.StandardAccount]{f: f, s: f.infra.accounts, param: "standardAccountId", what: "the standard account",
		name: func(x vbawsapi.StandardAccount) string { return x.Name }, offset: "Offset", limit: "Limit"}
}

// roleInUse says why the IAM role cannot be removed: what still uses it.
func (f *Fake) roleInUse(id uuid.UUID) string {
	if msgs := f.roleUsers(id); len(msgs) > 0 {
		return msgs[0].Message
	}
	return ""
}

// ---- workers

func (f *Fake) saveProfiles(w http.ResponseWriter, r *http.Request, in *fake.Input, spec vbawsapi.WorkerProfileSpec) {
	_, id, status, ok := f.profiles().target(w, r, in)
	if !ok {
		return
	}
	for _, p := range f.infra.profiles.byID {
		if p.ID != id && p.RegionID == spec.RegionID {
			badRequest(w, r, "the region already has worker profiles")
			return
		}
	}
	p := f.infra.profiles.put(id, vbawsapi.WorkerProfile{ID: id, RegionID: spec.RegionID, SmallProfile: spec.SmallProfile, MediumProfile: spec.MediumProfile, LargeProfile: spec.LargeProfile})
	veeamfake.WriteJSON(w, status, p)
}

func (f *Fake) saveConfig(w http.ResponseWriter, r *http.Request, in *fake.Input, spec vbawsapi.WorkerConfigurationSpec) {
	_, id, status, ok := f.configs().target(w, r, in)
	if !ok {
		return
	}
	if spec.AmazonAccountID != nil {
		if _, ok := f.infra.roles.get(*spec.AmazonAccountID); !ok {
			f.notFound(w, r, "the IAM role "+spec.AmazonAccountID.String())
			return
		}
	}
	c := f.infra.configs.put(id, vbawsapi.WorkerConfiguration{ID: id, RegionID: spec.RegionID, AmazonAccountID: spec.AmazonAccountID, VpcID: spec.VpcID, SubnetID: spec.SubnetID, SecurityGroupID: spec.SecurityGroupID})
	veeamfake.WriteJSON(w, status, c)
}

func (f *Fake) saveRole(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbawsapi.AmazonAccountCreateSpec
	if !decodeBody(w, r, in, &spec) {
		return
	}
	if modes := countTrue(spec.IAMRole != nil, spec.IAMRoleFromAnotherAccount != nil, spec.AccessKeys != nil); modes != 1 {
		badRequest(w, r, "give exactly one of accessKeys, IAMRole and IAMRoleFromAnotherAccount")
		return
	}
	if k := spec.AccessKeys; k != nil && (strings.TrimSpace(k.AccessKey) == "" || k.SecretKey == "") {
		badRequest(w, r, "access keys need an access key ID and a secret key") // never the values
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	_, id, status, ok := f.roles().target(w, r, in)
	if !ok {
		return
	}
	if f.roles().nameTaken(spec.Name, id) {
		badRequest(w, r, "an IAM role with this name already exists")
		return
	}
	a := vbawsapi.AmazonAccount{ID: id, Name: spec.Name, Awsid: "111122223333", RegionType: to.Ptr(vbawsapi.RegionTypesGlobal)}
	if spec.Description != nil {
		a.Description = *spec.Description
	}
	switch {
	case spec.AccessKeys != nil:
		a.Awsid, a.RegionType, a.AccessKeys = accessKeysRole(*spec.AccessKeys)
	case spec.IAMRole != nil:
		a.IAMRole = &vbawsapi.AmazonAccountIAMRole{RoleName: spec.IAMRole.RoleName}
	default:
		a.Awsid = spec.IAMRoleFromAnotherAccount.AccountID
		a.IAMRoleFromAnotherAccount = &vbawsapi.AmazonAccountIAMRoleFromAnotherAccount{AccountID: a.Awsid, RoleName: spec.IAMRoleFromAnotherAccount.RoleName, ParentAmazonAccountID: f.infra.roles.order[0]}
	}
	veeamfake.WriteJSON(w, status, f.infra.roles.put(id, a))
}

func (f *Fake) saveAccount(w http.ResponseWriter, r *http.Request, in *fake.Input, spec vbawsapi.StandardAccountUpdateSpec) {
	old, id, status, ok := f.accounts().target(w, r, in)
	if !ok {
		return
	}
	if f.accounts().nameTaken(spec.Name, id) {
		badRequest(w, r, "an account with this name already exists")
		return
	}
	n := vbawsapi.StandardAccount{ID: id, Name: spec.Name}
	if old != nil {
		n.Username, n.Description = old.Username, old.Description
	}
	if spec.Username != nil {
		n.Username = *spec.Username
	}
	if spec.Description != nil {
		n.Description = *spec.Description
	}
	veeamfake.WriteJSON(w, status, f.infra.accounts.put(id, n))
}
