package vbawsfake

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// The license beyond reading and removing it: installing a license file,
// exporting the license information, and the license notifications.
//
// A license file of the fake is text: a first line VBAWS-LICENSE, then
// key=value lines: type (a LicenseType, Subscription by default),
// licensedTo, licenseId, supportId, instances (at least 1) and expires
// (RFC 3339). LicenseFile builds one.
//
// The notifications follow the license: Expiration (Warning, or Error once
// expired) when it expires within 30 days, Exceed (Error) when more
// instances use it than it covers. Resolving a notification hides it until
// its cause changes (another license, another expiry, another count).

const licenseMagic = "VBAWS-LICENSE"

// expiryWarning is how long before its expiry a license raises a notification.
const expiryWarning = 30 * 24 * time.Hour

// LicenseFile returns the content of a license file that the fake accepts.
func LicenseFile(licensedTo, licenseID, supportID string, instances int, expires time.Time) []byte {
	return fmt.Appendf(nil, "%s\ntype=Subscription\nlicensedTo=%s\nlicenseId=%s\nsupportId=%s\ninstances=%d\nexpires=%s\n",
		licenseMagic, licensedTo, licenseID, supportID, instances, expires.UTC().Format(time.RFC3339))
}

// licenseAlerts is the state of the license notifications: the cause each
// resolved notification type was resolved for.
type licenseAlerts struct {
	resolved map[vbawsapi.LicenseNotificationTypes]string
}

func parseLicenseFile(content []byte) (*vbawsapi.LicenseInfo, error) {
	lines := strings.Split(strings.TrimSpace(string(content)), "\n")
	if strings.TrimSpace(lines[0]) != licenseMagic {
		return nil, errors.New("the file is not a Veeam Backup for AWS license")
	}
	kv := map[string]string{"type": string(vbawsapi.LicenseTypeSubscription)}
	for _, l := range lines[1:] {
		if k, v, ok := strings.Cut(strings.TrimSpace(l), "="); ok {
			kv[k] = v
		}
	}
	n, err := strconv.Atoi(kv["instances"])
	if err != nil || n < 1 || n > 1<<20 {
		return nil, errors.New("the license has no instance count")
	}
	exp, err := time.Parse(time.RFC3339, kv["expires"])
	if err != nil {
		return nil, errors.New("the license has no expiration date")
	}
	typ := vbawsapi.LicenseType(kv["type"])
	if !slices.Contains([]vbawsapi.LicenseType{vbawsapi.LicenseTypeSubscription, vbawsapi.LicenseTypeMarketplace, vbawsapi.LicenseTypeManaged}, typ) {
		return nil, errors.New("the license type is not one a license file installs")
	}
	lic := &vbawsapi.LicenseInfo{LicenseType: &typ, Instances: to.Ptr(int32(n)), LicenseExpires: &exp} //nolint:gosec // bounded above
	for key, field := range map[string]**string{"licensedTo": &lic.LicensedTo, "licenseId": &lic.LicenseID, "supportId": &lic.SupportID} {
		if v := kv[key]; v != "" {
			*field = to.Ptr(v)
		}
	}
	return lic, nil
}

func (f *Fake) installLicense(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	form, err := fake.FormParts(r.Header.Get("Content-Type"), in.Body, "licenseFile")
	if err != nil {
		badRequest(w, r, err.Error())
		return
	}
	lic, err := parseLicenseFile(form["licenseFile"])
	if err != nil {
		badRequest(w, r, err.Error())
		return
	}
	if lic.LicenseExpires.Before(time.Now()) {
		badRequest(w, r, "the license has expired")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	lic.InstancesUses = to.Ptr(float64(len(f.infra.workloads)))
	f.infra.license = lic
	veeamfake.WriteJSON(w, http.StatusOK, lic)
}

// licenseLocked is the license as the appliance shows it: the Free edition
// when none is installed. The caller holds f.mu.
func (f *Fake) licenseLocked() vbawsapi.LicenseInfo {
	if f.infra.license == nil {
		return vbawsapi.LicenseInfo{LicenseType: to.Ptr(vbawsapi.LicenseTypeFree), Instances: to.Ptr(int32(10)), InstancesUses: to.Ptr(float64(len(f.infra.workloads)))}
	}
	return *f.infra.license
}

func (f *Fake) exportLicense(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	f.mu.Lock()
	lic := f.licenseLocked()
	f.mu.Unlock()
	expires := ""
	if lic.LicenseExpires != nil {
		expires = lic.LicenseExpires.UTC().Format(time.RFC3339)
	}
	writeExport(w, r, exportTable{root: "Licenses", row: "License",
		columns: []string{"License Type", "Licensed To", "License ID", "Support ID", "Instances", "Instances Used", "Expires"},
		rows: [][]string{{string(valueOf(lic.LicenseType)), valueOf(lic.LicensedTo), valueOf(lic.LicenseID), valueOf(lic.SupportID),
			strconv.Itoa(int(valueOf(lic.Instances))), strconv.FormatFloat(valueOf(lic.InstancesUses), 'f', -1, 64), expires}}})
}

// reply is a reply of a notification type; its ID is the same every time.
func reply(typ vbawsapi.LicenseNotificationTypes, text string) vbawsapi.LicenseNotificationReply {
	return vbawsapi.LicenseNotificationReply{ReplyID: uuid.NewSHA1(uuid.NameSpaceOID, []byte("vbawsfake/license/"+string(typ)+"/"+text)), NotificationType: typ, ReplyText: text}
}

// activeAlertsLocked returns the notifications the license raises that are
// not resolved, with the causes they are raised for. The caller holds f.mu.
func (f *Fake) activeAlertsLocked() ([]vbawsapi.LicenseNotification, map[vbawsapi.LicenseNotificationTypes]string) {
	lic := f.infra.license
	out, causes := []vbawsapi.LicenseNotification{}, map[vbawsapi.LicenseNotificationTypes]string{}
	if lic == nil {
		return out, causes
	}
	raise := func(typ vbawsapi.LicenseNotificationTypes, cause string, sev vbawsapi.LicenseNotificationSeverities, msg string, replies ...string) {
		if f.alerts.resolved[typ] == cause {
			return
		}
		n := vbawsapi.LicenseNotification{NotificationType: typ, NotificationSeverity: sev, Message: msg}
		for _, text := range replies {
			n.Replies = append(n.Replies, reply(typ, text))
		}
		out, causes[typ] = append(out, n), cause
	}
	if exp := lic.LicenseExpires; exp != nil && time.Until(*exp) < expiryWarning {
		cause := valueOf(lic.LicenseID) + "@" + exp.UTC().Format(time.RFC3339)
		if days := int(time.Until(*exp).Hours() / 24); days >= 0 {
			raise(vbawsapi.LicenseNotificationTypesExpiration, cause, vbawsapi.LicenseNotificationSeveritiesWarning, fmt.Sprintf("The license expires in %d days.", days), "Remind me later", "Do not show again")
		} else {
			raise(vbawsapi.LicenseNotificationTypesExpiration, cause, vbawsapi.LicenseNotificationSeveritiesError, "The license has expired.", "Do not show again")
		}
	}
	if used, limit := valueOf(lic.InstancesUses), valueOf(lic.Instances); used > float64(limit) {
		raise(vbawsapi.LicenseNotificationTypesExceed, fmt.Sprintf("%s:%g/%d", valueOf(lic.LicenseID), used, limit), vbawsapi.LicenseNotificationSeveritiesError,
			fmt.Sprintf("%g instances are protected, and the license covers %d.", used, limit), "Acknowledge")
	}
	return out, causes
}

func (f *Fake) licenseAlertList(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	f.mu.Lock()
	active, _ := f.activeAlertsLocked()
	f.mu.Unlock()
	veeamfake.WriteJSON(w, http.StatusOK, vbawsapi.LicenseNotifications{Results: active})
}

// resolveAlerts resolves the notifications of the types given; each must be
// raised, and each reply chosen must be one of theirs. It runs under f.mu
// (withBody).
func (f *Fake) resolveAlerts(w http.ResponseWriter, r *http.Request, _ *fake.Input, spec vbawsapi.ResolveNotificationsSpec) {
	active, causes := f.activeAlertsLocked()
	if len(spec.NotificationsToResolve) == 0 {
		badRequest(w, r, "name the notifications to resolve")
		return
	}
	for _, typ := range spec.NotificationsToResolve {
		if _, ok := causes[typ]; !ok {
			badRequest(w, r, "there is no "+string(typ)+" notification to resolve")
			return
		}
	}
	for _, rep := range spec.SelectedReplies {
		known := slices.ContainsFunc(active, func(n vbawsapi.LicenseNotification) bool {
			return n.NotificationType == rep.NotificationType && slices.ContainsFunc(n.Replies, func(x vbawsapi.LicenseNotificationReply) bool { return x.ReplyID == rep.ReplyID })
		})
		if !known || !slices.Contains(spec.NotificationsToResolve, rep.NotificationType) {
			badRequest(w, r, "the reply "+rep.ReplyID.String()+" does not answer a notification being resolved")
			return
		}
	}
	if f.alerts.resolved == nil {
		f.alerts.resolved = map[vbawsapi.LicenseNotificationTypes]string{}
	}
	for _, typ := range spec.NotificationsToResolve {
		f.alerts.resolved[typ] = causes[typ]
	}
	w.WriteHeader(http.StatusNoContent)
}
