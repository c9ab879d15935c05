package vbgcfake

import (
	"crypto/sha1" //nolint:gosec // a thumbprint, not a security measure
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// The appliance sections: repositories (in buckets that a rescan found),
// the license (Free until a license file is installed; its used units are
// the instances with a policy restore point), users and their MFA, the
// TLS certificate, settings, and the read-only catalogs (regions, networks,
// service accounts of the projects added, Cloud SQL accounts).
type appliance struct {
	f          *Fake
	buckets    []vbgcapi.BucketModel
	repos      *table[uuid.UUID, vbgcapi.RepositoryModel]
	byol       *vbgcapi.ByolLicenseModel
	users      *table[string, vbgcapi.UserModel]
	cert       vbgcapi.CertificateModel
	retention  vbgcapi.RetentionSettingsModel
	smtp       *vbgcapi.SMTPSettingsModel
	notify     vbgcapi.NotificationSettingsModel
	logs       int
	sqlAccount []vbgcapi.SQLAccountModel
}

// ProductVersion is the version the fake reports.
const ProductVersion = "6.0.0.21"

// freeInstances is how many instances the Free edition protects.
const freeInstances = 10

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		a := &appliance{f: f, repos: newTable[uuid.UUID, vbgcapi.RepositoryModel](), users: newTable[string, vbgcapi.UserModel](),
			retention: vbgcapi.RetentionSettingsModel{SessionsRetentionDays: 30}, notify: vbgcapi.NotificationSettingsModel{Recipients: []string{}}}
		a.cert = newCertificate(time.Now().UTC().AddDate(1, 0, 0))
		secret := "projects/project-backup-252812/secrets/vbgc-sql"
		a.sqlAccount = []vbgcapi.SQLAccountModel{{ID: uuid.NewSHA1(uuid.NameSpaceOID, []byte("backup_user")), Name: "backup_user", SecretName: &secret}}
		f.state["Appliance"] = a
		return map[string]fake.HandlerFunc{
			"RepositoriesGetAll":        listHandler(f, a.repos.list),
			"RepositoriesCreate":        a.addRepo,
			"RepositoriesGet":           getHandler(f, a.repos, a.findRepo()),
			"RepositoriesUpdate":        withItem(f, a.findRepo(), a.updateRepo),
			"RepositoriesDelete":        deleteHandler(f, a.repos, a.findRepo()),
			"BucketsGetAll":             listHandler(f, func() []vbgcapi.BucketModel { return slices.Clone(a.buckets) }),
			"BucketsRescan":             a.rescanBuckets,
			"LicenseGet":                readHandler(f, a.licenseLocked),
			"LicenseInstall":            a.installLicense,
			"LicenseRemove":             a.removeLicense,
			"LicenseGetInstances":       listHandler(f, a.licensedLocked),
			"OverviewGet":               a.overview,
			"VersionGet":                a.version,
			"ServiceGetStatus":          a.serviceStatus,
			"SystemLogsCollect":         a.collectLogs,
			"ServiceAccountsGetAll":     listHandler(f, a.serviceAccountsLocked),
			"UsersGetAll":               a.listUsers,
			"UsersCreate":               a.addUser,
			"UsersGetRoles":             a.roles,
			"UsersUpdate":               a.updateUser,
			"UsersDelete":               a.deleteUser,
			"UsersEnableMfa":            a.enableMFA,
			"SqlAccountsGetAll":         listHandler(f, func() []vbgcapi.SQLAccountModel { return slices.Clone(a.sqlAccount) }),
			"ConfigurationGetRetention": readHandler(f, func() vbgcapi.RetentionSettingsModel { return a.retention }),
			"ConfigurationSetRetention": a.setRetention,
			"SmtpEnable":                a.enableSMTP,
			"NotificationsGet":          readHandler(f, func() vbgcapi.NotificationSettingsModel { return a.notify }),
			"NotificationsUpdate":       a.setNotifications,
			"RegionsGetAll":             a.regions,
			"NetworksGetAll":            a.networks,
			"CertificatesGet":           readHandler(f, a.certificatesLocked),
			"CertificatesRecreate":      a.recreateCertificate,
		}
	})
}

func (f *Fake) appliance() *appliance { return f.state["Appliance"].(*appliance) }

// RepositoryCount returns how many repositories the fake holds.
func (f *Fake) RepositoryCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.appliance().repos.len()
}

// ---- buckets and repositories

// rescanBuckets finds the buckets of a project: <project>-backups (EU,
// Standard) and <project>-archive (US, Archive).
func (a *appliance) rescanBuckets(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	project := in.PathParams["projectId"]
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	kept := a.buckets[:0]
	for _, b := range a.buckets {
		if b.ProjectID != project {
			kept = append(kept, b)
		}
	}
	a.buckets = kept
	for _, b := range [][3]string{{"-backups", "EU", "Standard"}, {"-archive", "US", "Archive"}} {
		loc, class := b[1], b[2]
		a.buckets = append(a.buckets, vbgcapi.BucketModel{Name: project + b[0], ProjectID: project, Location: &loc, StorageClass: &class})
	}
	a.f.answerSession(w, http.StatusAccepted, vbgcapi.ESessionTypeRescan, "Bucket rescan of "+project, nil)
}

func (a *appliance) nameTakenLocked(name string, except uuid.UUID) bool {
	for id, m := range a.repos.items {
		if id != except && strings.EqualFold(m.Name, name) {
			return true
		}
	}
	return false
}

func (a *appliance) addRepo(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := decodeBody[vbgcapi.RepositorySpec](w, r, in)
	if !ok {
		return
	}
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	var bucket *vbgcapi.BucketModel
	for i := range a.buckets {
		if a.buckets[i].Name == spec.BucketName && a.buckets[i].ProjectID == spec.ProjectID {
			bucket = &a.buckets[i]
		}
	}
	switch {
	case bucket == nil:
		badRequest(w, r, "the bucket "+spec.BucketName+" is not known in the project: rescan the buckets first")
		return
	case a.nameTakenLocked(spec.Name, uuid.Nil):
		badRequest(w, r, "a repository named "+spec.Name+" already exists")
		return
	case spec.EncryptionEnabled != nil && *spec.EncryptionEnabled && (spec.Password == nil || *spec.Password == ""):
		badRequest(w, r, "an encrypted repository needs a password")
		return
	}
	for _, m := range a.repos.items {
		if m.BucketName == spec.BucketName && m.FolderName == spec.FolderName {
			badRequest(w, r, "the folder is already a repository")
			return
		}
	}
	enc := spec.EncryptionEnabled != nil && *spec.EncryptionEnabled
	project := spec.ProjectID
	m := vbgcapi.RepositoryModel{ID: uuid.New(), Name: spec.Name, Description: spec.Description, BucketName: spec.BucketName,
		FolderName: spec.FolderName, ProjectID: &project, EncryptionEnabled: &enc, StorageClass: bucket.StorageClass}
	a.repos.put(m.ID, m)
	veeamfake.WriteJSON(w, http.StatusCreated, m)
}

func (a *appliance) findRepo() finder[uuid.UUID] {
	return byUUID(a.repos, "repositoryId", "the repository")
}

func (a *appliance) updateRepo(w http.ResponseWriter, r *http.Request, _ *fake.Input, spec vbgcapi.RepositoryModifySpec, id uuid.UUID) {
	m := a.repos.items[id]
	if spec.Name != nil {
		if a.nameTakenLocked(*spec.Name, m.ID) {
			badRequest(w, r, "a repository named "+*spec.Name+" already exists")
			return
		}
		m.Name = *spec.Name
	}
	if spec.Description != nil {
		m.Description = spec.Description
	}
	a.repos.put(m.ID, m)
	veeamfake.WriteJSON(w, http.StatusOK, m)
}

// ---- licensing

// licensedLocked lists the instances that consume a unit: those with a
// restore point that a policy created.
func (a *appliance) licensedLocked() []vbgcapi.LicensedInstanceModel {
	wl := a.f.state["Workloads"].(*workloads)
	wl.harvestLocked()
	seen := map[string]int{}
	var out []vbgcapi.LicensedInstanceModel
	add := func(id, name string, typ vbgcapi.LicensedInstanceModelInstanceType, at time.Time) {
		if i, ok := seen[id]; ok {
			if at.After(*out[i].LastBackupTime) {
				out[i].LastBackupTime = &at
			}
			return
		}
		seen[id] = len(out)
		t := typ
		out = append(out, vbgcapi.LicensedInstanceModel{InstanceID: id, Name: name, InstanceType: &t, LastBackupTime: &at})
	}
	for _, p := range wl.vmPoints {
		if p.PolicyID != nil {
			add(p.InstanceID, wl.vms.items[p.InstanceID].Name, vbgcapi.LicensedInstanceModelInstanceTypeVMInstance, p.CreationTime)
		}
	}
	if s, ok := a.f.state["SqlInstances"].(*sqlInstances); ok {
		for _, id := range s.items.order {
			for _, p := range s.points[id] {
				if p.PolicyID != nil {
					add(id, s.items.items[id].Name, vbgcapi.LicensedInstanceModelInstanceTypeSQLInstance, p.CreationTime)
				}
			}
		}
	}
	for _, p := range wl.spPoints {
		if p.PolicyID != nil {
			add(p.InstanceID, wl.spanners.items[p.InstanceID].Name, vbgcapi.LicensedInstanceModelInstanceTypeSpannerInstance, p.CreationTime)
		}
	}
	if out == nil {
		out = []vbgcapi.LicensedInstanceModel{}
	}
	return out
}

func (a *appliance) licenseLocked() vbgcapi.LicenseModel {
	used := int32(len(a.licensedLocked())) //nolint:gosec // small
	allowed := true
	m := vbgcapi.LicenseModel{LicenseType: vbgcapi.ELicenseTypeFree, UsedInstancesCount: used, TotalInstancesCount: freeInstances,
		IsLicenseManagementAllowed: &allowed}
	status := vbgcapi.LicenseStatusModelStatusValid
	if a.byol != nil {
		m.LicenseType, m.TotalInstancesCount, m.ByolLicense = vbgcapi.ELicenseTypeBYOL, *a.byol.InstancesCount, a.byol
		if a.byol.ExpirationDate.Before(time.Now()) {
			status = vbgcapi.LicenseStatusModelStatusExpired
		}
	}
	m.LicenseStatus = &vbgcapi.LicenseStatusModel{Status: &status}
	return m
}

// LicenseFile returns the content of a license file the fake accepts: a
// BYOL license for company and instances units, valid until expires.
func LicenseFile(company string, instances int, expires time.Time) []byte {
	return fmt.Appendf(nil, "VBGC-LICENSE\ncompany=%s\ninstances=%d\nexpires=%s\n", company, instances, expires.UTC().Format(time.RFC3339))
}

func parseLicense(content []byte) (*vbgcapi.ByolLicenseModel, error) {
	lines := strings.Split(strings.TrimSpace(string(content)), "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "VBGC-LICENSE" {
		return nil, errors.New("the file is not a Veeam Backup for Google Cloud license")
	}
	kv := map[string]string{}
	for _, l := range lines[1:] {
		if k, v, ok := strings.Cut(strings.TrimSpace(l), "="); ok {
			kv[k] = v
		}
	}
	n, err := strconv.Atoi(kv["instances"])
	if err != nil || n < 1 {
		return nil, errors.New("the license has no instance count")
	}
	exp, err := time.Parse(time.RFC3339, kv["expires"])
	if err != nil {
		return nil, errors.New("the license has no expiration date")
	}
	company, count := kv["company"], int32(n) //nolint:gosec // checked above
	sum := sha1.Sum(content)                  //nolint:gosec // an id, not a security measure
	id := uuid.NewSHA1(uuid.NameSpaceOID, sum[:]).String()
	return &vbgcapi.ByolLicenseModel{LicenseID: &id, Company: &company, InstancesCount: &count, ExpirationDate: &exp}, nil
}

func (a *appliance) installLicense(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	form, err := fake.FormParts(r.Header.Get("Content-Type"), in.Body, "licenseFile")
	if err != nil {
		badRequest(w, r, err.Error())
		return
	}
	lic, err := parseLicense(form["licenseFile"])
	if err != nil {
		badRequest(w, r, err.Error())
		return
	}
	if lic.ExpirationDate.Before(time.Now()) {
		badRequest(w, r, "the license has expired")
		return
	}
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	a.byol = lic
	veeamfake.WriteJSON(w, http.StatusOK, a.licenseLocked())
}

func (a *appliance) removeLicense(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	if a.byol == nil {
		badRequest(w, r, "no license is installed (the appliance runs the Free edition)")
		return
	}
	a.byol = nil
	w.WriteHeader(http.StatusNoContent)
}

// ---- system

func (a *appliance) overview(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	policies := 0
	for _, family := range []string{"Vm", "Sql", "Spanner"} {
		if p, ok := a.f.state[family+"Policies"].(*policyFamily); ok {
			policies += p.items.len()
		}
	}
	locations := 0
	if wk, ok := a.f.state["Workers"].(*workers); ok {
		locations = wk.configs.len()
	}
	veeamfake.WriteJSON(w, http.StatusOK, vbgcapi.OverviewModel{WorkerLocationsCount: int32(locations), //nolint:gosec // small
		PoliciesCount: int32(policies), RepositoryCount: int32(a.repos.len())}) //nolint:gosec // small
}

func (a *appliance) version(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	veeamfake.WriteJSON(w, http.StatusOK, vbgcapi.VersionModel{Version: ProductVersion})
}

func (a *appliance) serviceStatus(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	a.f.mu.Lock()
	smtp := vbgcapi.ServiceStatusModelServicesStateStopped
	if a.smtp != nil {
		smtp = vbgcapi.ServiceStatusModelServicesStateRunning
	}
	a.f.mu.Unlock()
	m := vbgcapi.ServiceStatusModel{}
	for _, s := range []struct {
		name  string
		state vbgcapi.ServiceStatusModelServicesState
	}{{"RestApi", vbgcapi.ServiceStatusModelServicesStateRunning}, {"Scheduler", vbgcapi.ServiceStatusModelServicesStateRunning},
		{"Notifications", smtp}} {
		m.Services = append(m.Services, struct {
			Name  string                                  `json:"name"`
			State vbgcapi.ServiceStatusModelServicesState `json:"state"`
		}{s.name, s.state})
	}
	veeamfake.WriteJSON(w, http.StatusOK, m)
}

func (a *appliance) collectLogs(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := decodeBody[vbgcapi.LogsCollectSpec](w, r, in)
	if !ok {
		return
	}
	if spec.FromTime != nil && spec.ToTime != nil && spec.ToTime.Before(*spec.FromTime) {
		badRequest(w, r, "toTime is before fromTime")
		return
	}
	a.f.mu.Lock()
	a.logs++
	n := a.logs
	a.f.mu.Unlock()
	veeamfake.WriteJSON(w, http.StatusOK, vbgcapi.LogsPackageModel{ID: uuid.New(), FileName: fmt.Sprintf("vbgc-logs-%d.zip", n),
		CreatedTime: time.Now().UTC(), FromTime: spec.FromTime, ToTime: spec.ToTime})
}

// ---- service accounts, regions, networks, Cloud SQL accounts

// applianceAccount is the service account of the appliance itself.
const applianceAccount = "vbgc-sa@project-backup-252812.iam.gserviceaccount.com"

// serviceAccountsLocked lists the appliance's service account and those of
// the projects added.
func (a *appliance) serviceAccountsLocked() []vbgcapi.ServiceAccountModel {
	name, project := "vbgc-sa", "project-backup-252812"
	items := []vbgcapi.ServiceAccountModel{{ID: applianceAccount, Email: applianceAccount, Name: &name, ProjectID: &project}}
	seen := map[string]bool{applianceAccount: true}
	if infra, ok := a.f.state["CloudInfrastructure"].(*infrastructure); ok {
		for _, o := range infra.objects.list() {
			if o.Type != vbgcapi.ECloudInfrastructureItemTypeProject {
				continue
			}
			for _, sa := range infraProjectModel(o).ServiceAccounts {
				if !seen[sa.Email] {
					seen[sa.Email] = true
					p := sa.Project
					items = append(items, vbgcapi.ServiceAccountModel{ID: sa.Email, Email: sa.Email, Name: sa.Name, ProjectID: &p,
						Description: sa.Description})
				}
			}
		}
	}
	return items
}

func (a *appliance) regions(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	items := make([]vbgcapi.GlobalRegionModel, 0, len(Regions))
	for _, rg := range Regions {
		items = append(items, vbgcapi.GlobalRegionModel{ID: rg.ID, Name: rg.ID})
	}
	writeList(w, r, items)
}

// networks answers for projects added to the configuration database: each
// has the default network with a subnet per region of the catalog.
func (a *appliance) networks(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	a.f.mu.Lock()
	infra, _ := a.f.state["CloudInfrastructure"].(*infrastructure)
	_, ok := infra.findLocked(w, r, vbgcapi.ECloudInfrastructureItemTypeProject, in.PathParams["projectId"])
	a.f.mu.Unlock()
	if !ok {
		return
	}
	subnets := make([]string, 0, len(Regions))
	for _, rg := range Regions {
		subnets = append(subnets, "default-"+rg.ID)
	}
	sum := sha1.Sum([]byte(in.PathParams["projectId"])) //nolint:gosec // an id
	id := strconv.FormatUint(uint64(sum[0])<<32|uint64(sum[1])<<24|uint64(sum[2])<<16|uint64(sum[3])<<8|uint64(sum[4]), 10)
	items := []vbgcapi.NetworkModel{{ID: id, Name: "default", Subnets: subnets}}
	writeList(w, r, items)
}

// ---- users

var roleDescriptions = map[vbgcapi.EUserRole]string{
	vbgcapi.EUserRolePortalAdministrator: "Full access to the appliance",
	vbgcapi.EUserRolePortalOperator:      "Runs policies and restores",
	vbgcapi.EUserRoleRestoreOperator:     "Restores only",
}

// usersLocked creates the Default Administrator on first use: the user
// that sent the request (the one the fake was started with).
func (a *appliance) usersLocked(in *fake.Input) {
	if a.users.len() > 0 {
		return
	}
	def, off := true, false
	name, _ := in.Principal.(string)
	a.users.put(name, vbgcapi.UserModel{Name: name, Role: vbgcapi.EUserRolePortalAdministrator, IsDefault: &def, MFAEnabled: &off})
}

func (a *appliance) listUsers(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	a.f.mu.Lock()
	a.usersLocked(in)
	items := a.users.list()
	a.f.mu.Unlock()
	writeList(w, r, items)
}

func (a *appliance) addUser(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := decodeBody[vbgcapi.UserSpec](w, r, in)
	if !ok {
		return
	}
	if len(spec.Password) < 8 {
		badRequest(w, r, "the password must have at least 8 characters")
		return
	}
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	a.usersLocked(in)
	if _, taken := a.users.get(spec.Name); taken {
		badRequest(w, r, "a user named "+spec.Name+" already exists")
		return
	}
	def, off := false, false
	m := vbgcapi.UserModel{Name: spec.Name, Description: spec.Description, Role: spec.Role, IsDefault: &def, MFAEnabled: &off}
	a.users.put(m.Name, m)
	a.f.Tokens.AddUser(spec.Name, spec.Password) // the new user can log in
	veeamfake.WriteJSON(w, http.StatusCreated, m)
}

func (a *appliance) roles(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	out := vbgcapi.UserRoleListModel{}
	for _, role := range []vbgcapi.EUserRole{vbgcapi.EUserRolePortalAdministrator, vbgcapi.EUserRolePortalOperator, vbgcapi.EUserRoleRestoreOperator} {
		d := roleDescriptions[role]
		out.Data = append(out.Data, vbgcapi.UserRoleModel{Role: role, Description: &d})
	}
	veeamfake.WriteJSON(w, http.StatusOK, out)
}

func (a *appliance) findUserLocked(w http.ResponseWriter, r *http.Request, in *fake.Input, name string) (vbgcapi.UserModel, bool) {
	a.usersLocked(in)
	return lookup(w, r, a.users, name, "the user "+name)
}

func (a *appliance) updateUser(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := decodeBody[vbgcapi.UserModifySpec](w, r, in)
	if !ok {
		return
	}
	if spec.Password != nil && len(*spec.Password) < 8 {
		badRequest(w, r, "the password must have at least 8 characters")
		return
	}
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	m, ok := a.findUserLocked(w, r, in, in.PathParams["userName"])
	if !ok {
		return
	}
	if spec.Role != nil {
		if *m.IsDefault && *spec.Role != vbgcapi.EUserRolePortalAdministrator {
			badRequest(w, r, "the Default Administrator keeps its role")
			return
		}
		m.Role = *spec.Role
	}
	if spec.Description != nil {
		m.Description = spec.Description
	}
	a.users.put(m.Name, m)
	veeamfake.WriteJSON(w, http.StatusOK, m)
}

func (a *appliance) deleteUser(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	m, ok := a.findUserLocked(w, r, in, in.PathParams["userName"])
	if !ok {
		return
	}
	if *m.IsDefault {
		badRequest(w, r, "the Default Administrator cannot be removed")
		return
	}
	a.users.remove(m.Name)
	w.WriteHeader(http.StatusNoContent)
}

func (a *appliance) enableMFA(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := decodeBody[vbgcapi.MFAEnableSpec](w, r, in)
	if !ok {
		return
	}
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	m, ok := a.findUserLocked(w, r, in, in.PathParams["name"])
	if !ok {
		return
	}
	recreate := spec.Recreate != nil && *spec.Recreate
	if *m.MFAEnabled && !recreate {
		badRequest(w, r, "multi-factor authentication is already enabled; set recreate to get a new secret")
		return
	}
	on := true
	m.MFAEnabled = &on
	a.users.put(m.Name, m)
	sum := sha1.Sum([]byte(m.Name + uuid.NewString())) //nolint:gosec // a fake secret
	secret := strings.ToUpper(hex.EncodeToString(sum[:10]))
	qr := "otpauth://totp/VBGC:" + m.Name + "?secret=" + secret
	token := uuid.NewString()
	codes := make([]string, 0, 5)
	for i := range 5 {
		codes = append(codes, fmt.Sprintf("%08d", (int(sum[i])<<16|int(sum[i+5])<<8|int(sum[i+10]))%100000000))
	}
	veeamfake.WriteJSON(w, http.StatusOK, vbgcapi.MFAEnableResultModel{Response: vbgcapi.MFASecretModel{QrString: &qr,
		SecretKey: &secret, ScratchCodes: codes, Token: &token}, Issues: []string{}})
}

// ---- settings and certificate

func (a *appliance) setRetention(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := decodeBody[vbgcapi.RetentionSettingsModel](w, r, in)
	if !ok {
		return
	}
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	a.retention = spec
	veeamfake.WriteJSON(w, http.StatusOK, a.retention)
}

func (a *appliance) enableSMTP(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := decodeBody[vbgcapi.SMTPSettingsModel](w, r, in)
	if !ok {
		return
	}
	if !strings.Contains(spec.From, "@") {
		badRequest(w, r, "from is not an email address")
		return
	}
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	on := true
	spec.Password, spec.IsEnabled = nil, &on // the password is kept by the product, never echoed
	a.smtp = &spec
	veeamfake.WriteJSON(w, http.StatusOK, spec)
}

func (a *appliance) setNotifications(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := decodeBody[vbgcapi.NotificationSettingsModel](w, r, in)
	if !ok {
		return
	}
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	if len(spec.Recipients) > 0 && a.smtp == nil {
		badRequest(w, r, "enable an SMTP account before adding recipients")
		return
	}
	for _, rc := range spec.Recipients {
		if !strings.Contains(rc, "@") {
			badRequest(w, r, rc+" is not an email address")
			return
		}
	}
	if spec.Recipients == nil {
		spec.Recipients = []string{}
	}
	a.notify = spec
	veeamfake.WriteJSON(w, http.StatusOK, a.notify)
}

func newCertificate(validBy time.Time) vbgcapi.CertificateModel {
	now := time.Now().UTC().Truncate(time.Second)
	validBy = validBy.UTC().Truncate(time.Second)
	sum := sha1.Sum([]byte(uuid.NewString())) //nolint:gosec // a thumbprint
	subject, self := "CN=vbgc.example.com", true
	return vbgcapi.CertificateModel{Thumbprint: strings.ToUpper(hex.EncodeToString(sum[:])), Subject: &subject, Issuer: &subject,
		ValidFrom: &now, ValidBy: &validBy, IsSelfSigned: &self}
}

func (a *appliance) certificatesLocked() vbgcapi.CertificateListModel {
	return vbgcapi.CertificateListModel{Data: []vbgcapi.CertificateModel{a.cert}}
}

func (a *appliance) recreateCertificate(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := decodeBody[vbgcapi.CertificateRecreateSpec](w, r, in)
	if !ok {
		return
	}
	if !spec.ValidBy.After(time.Now()) {
		badRequest(w, r, "validBy must be in the future")
		return
	}
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	a.cert = newCertificate(spec.ValidBy)
	veeamfake.WriteJSON(w, http.StatusOK, vbgcapi.CertificateListModel{Data: []vbgcapi.CertificateModel{a.cert}})
}
