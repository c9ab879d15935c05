package vbawsfake

import (
	"cmp"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // RFC 6238 one-time codes are HMAC-SHA-1
	"encoding/base32"
	"encoding/binary"
	"encoding/csv"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// WithFirstLogin starts the fake as a newly installed appliance: it has no
// user (the user of WithUser cannot log in), the license agreements are
// not accepted and IsFirstLogin answers true. The first-login operations
// need no access token; CreateDefaultUser, after the agreements are
// accepted and with the fake's InstanceID, creates the default user, who
// can log in from then on.
func WithFirstLogin() Option { return func(c *config) { c.firstLogin = true } }

// fakeInstanceID is the ID of the EC2 instance the fake pretends to run on.
const fakeInstanceID = "i-0a1b2c3d4e5f60718"

// InstanceID returns the ID of the EC2 instance the fake runs on, the one
// CheckInstanceID accepts and CreateDefaultUser needs.
func (f *Fake) InstanceID() string { return fakeInstanceID }

// admin is the appliance's own administration: its users, TLS certificate,
// retention and time settings, and the license agreements. The Fake's
// mutex guards it.
type admin struct {
	users map[string]*account
	order []string // user names in the order they were added

	cert      vbawsapi.Certificate
	retention vbawsapi.RetentionSettings
	dateTime  vbawsapi.DateTimeSettings
	accepted  bool // the license agreements
}

// account is a user with what the API never shows: its password and its
// MFA secrets.
type account struct {
	user     vbawsapi.User
	password string
	// external: the user's identity comes from the identity provider
	// (accountType External); it has no password and signs in through
	// single sign-on, never with a password.
	external bool
	active   *mfaSecret // the secret in force while MFA is enabled
	pending  *mfaSecret // the secret EnableMFA issued, until AcceptMFA
}

type mfaSecret struct {
	secret, token string
	scratch       []string
}

// initAdmin seeds the administration: the user of WithUser as the default
// user with the license agreements accepted, or nothing with
// WithFirstLogin.
func (f *Fake) initAdmin(cfg config) {
	a := &admin{users: map[string]*account{}, retention: defaultRetention(), dateTime: defaultDateTime(), accepted: !cfg.firstLogin}
	a.cert = selfSigned(time.Now().UTC(), time.Now().UTC().AddDate(10, 0, 0))
	if cfg.firstLogin {
		f.Tokens.RemoveUser(cfg.user)
	} else {
		a.put(&account{user: vbawsapi.User{Name: cfg.user, Description: "Default Admin", IsDefault: true}, password: cfg.password})
	}
	f.admin = a
}

func (a *admin) put(acc *account) {
	if _, ok := a.users[acc.user.Name]; !ok {
		a.order = append(a.order, acc.user.Name)
	}
	a.users[acc.user.Name] = acc
}

func (a *admin) hasDefault() bool {
	for _, acc := range a.users {
		if acc.user.IsDefault {
			return true
		}
	}
	return false
}

func (f *Fake) userHandlers() map[string]fake.HandlerFunc {
	return map[string]fake.HandlerFunc{
		"UsersGetAll":         f.listUsers,
		"CreateUser":          withBody(f, f.createUser),
		"UsersGetByName":      f.getUser,
		"UpdateUser":          withBody(f, f.updateUser),
		"DeleteUser":          f.deleteUser,
		"ValidateName":        withBody(f, f.validateUserName),
		"ValidateDescription": withBody(f, f.validateUserDescription),
		"ValidatePassword":    withBody(f, f.validateUserPassword),
		"EnableMfa":           withBody(f, f.enableMFA),
		"AcceptMfa":           withBody(f, f.acceptMFA),
		"DisableMfa":          f.disableMFA,
		"IsFirstLogin":        f.isFirstLogin,
		"CheckInstance":       withBody(f, f.checkInstance),
		"CreateDefaultUser":   withBody(f, f.createDefaultUser),
		"ExportUsers":         f.exportUsers,
	}
}

// ---- the rules of names, descriptions and passwords

// userName is what a user name may hold: lowercase Latin letters, digits,
// underscores and dashes, and a dollar sign at the end.
var userName = regexp.MustCompile(`^[a-z0-9_-]+\$?$`)

const (
	maxUserName        = 32
	maxUserDescription = 255
	minPassword        = 8
	// monotonicRun is the length of a run of characters that each go up by
	// one, down by one or stay the same ("abcd", "4321", "aaaa") from
	// which a password is refused.
	monotonicRun = 4
)

func errorMsg(text string) vbawsapi.ValidationMessage {
	return vbawsapi.ValidationMessage{Severity: vbawsapi.ValidationMessageSeverityError, Message: text}
}

// nameMessages says what is wrong with a new user's name. The caller holds
// f.mu.
func (a *admin) nameMessages(name string) []vbawsapi.ValidationMessage {
	msgs := []vbawsapi.ValidationMessage{}
	switch {
	case name == "":
		msgs = append(msgs, errorMsg("The user name must not be empty."))
	case utf8.RuneCountInString(name) > maxUserName:
		msgs = append(msgs, errorMsg(fmt.Sprintf("The user name must not exceed %d characters.", maxUserName)))
	case !userName.MatchString(name):
		msgs = append(msgs, errorMsg("The user name can contain only lowercase Latin letters, digits, underscores and dashes, and a dollar sign as its last character."))
	}
	if _, ok := a.users[name]; ok {
		msgs = append(msgs, errorMsg("A user with this name already exists."))
	}
	return msgs
}

func descriptionMessages(d string) []vbawsapi.ValidationMessage {
	if utf8.RuneCountInString(d) > maxUserDescription {
		return []vbawsapi.ValidationMessage{errorMsg(fmt.Sprintf("The description must not exceed %d characters.", maxUserDescription))}
	}
	return []vbawsapi.ValidationMessage{}
}

// passwordMessages says what is wrong with a password: it must be at least
// 8 characters long, mix uppercase and lowercase letters and digits, and
// hold no monotonic sequence. The messages never quote the password.
func passwordMessages(pw string) []vbawsapi.ValidationMessage {
	msgs := []vbawsapi.ValidationMessage{}
	if utf8.RuneCountInString(pw) < minPassword {
		msgs = append(msgs, errorMsg(fmt.Sprintf("The password must be at least %d characters long.", minPassword)))
	}
	if !strings.ContainsFunc(pw, unicode.IsUpper) || !strings.ContainsFunc(pw, unicode.IsLower) || !strings.ContainsFunc(pw, unicode.IsDigit) {
		msgs = append(msgs, errorMsg("The password must contain uppercase and lowercase letters and digits."))
	}
	if monotonic(pw) {
		msgs = append(msgs, errorMsg("The password must not contain monotonic sequences."))
	}
	return msgs
}

// monotonic reports whether s has a run of monotonicRun characters that
// each go up by one, down by one or stay the same.
func monotonic(s string) bool {
	r := []rune(s)
	for _, step := range []rune{-1, 0, 1} {
		run := 1
		for i := 1; i < len(r); i++ {
			if r[i]-r[i-1] == step {
				run++
				if run >= monotonicRun {
					return true
				}
			} else {
				run = 1
			}
		}
	}
	return false
}

// newUser checks a user to add and adds it, answering 400 itself with the
// first problem. The caller holds f.mu.
//
// A user of the identity provider (accountType External) is given no
// password, and every other user one (the 1.2-rev0 rule); the default user
// is never External.
func (f *Fake) newUser(w http.ResponseWriter, r *http.Request, spec vbawsapi.UserCreateSpec, isDefault bool) (*account, bool) {
	external := spec.AccountType != nil && *spec.AccountType == externalAccount
	msgs := f.admin.nameMessages(spec.Name)
	msgs = append(msgs, descriptionMessages(spec.Description)...)
	switch {
	case spec.AccountType != nil && !external:
		msgs = append(msgs, errorMsg("The account type must be External or left out."))
	case external && isDefault:
		msgs = append(msgs, errorMsg("The default user cannot be a user of the identity provider."))
	case external && spec.Password != nil:
		msgs = append(msgs, errorMsg("A user of the identity provider signs in through single sign-on and has no password."))
	case !external && spec.Password == nil:
		msgs = append(msgs, errorMsg("The password is required."))
	case !external:
		msgs = append(msgs, passwordMessages(*spec.Password)...)
	}
	if len(msgs) > 0 {
		badRequest(w, r, msgs[0].Message)
		return nil, false
	}
	acc := &account{user: vbawsapi.User{Name: spec.Name, Description: spec.Description, IsDefault: isDefault}, external: external}
	if !external {
		acc.password = *spec.Password
		f.Tokens.AddUser(spec.Name, acc.password)
	}
	f.admin.put(acc)
	return acc, true
}

// externalAccount is the accountType of a user whose identity comes from the
// identity provider.
const externalAccount = "External"

// ---- handlers

func (f *Fake) listUsers(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	q := r.URL.Query()
	f.mu.Lock()
	all := []vbawsapi.User{}
	for _, name := range f.admin.order {
		if u := f.admin.users[name].user; matches(u.Name, q.Get("SearchPattern")) {
			all = append(all, u)
		}
	}
	f.mu.Unlock()
	for _, s := range slices.Backward(q["Sort"]) {
		sortUsers(all, s)
	}
	page := window(all, queryInt(r, "Offset", 0), queryInt(r, "Limit", 0))
	veeamfake.WriteJSON(w, http.StatusOK, vbawsapi.UsersPage{Results: orEmpty(page), TotalCount: int32(len(all))}) //nolint:gosec // small
}

func sortUsers(all []vbawsapi.User, col string) {
	desc := strings.HasSuffix(col, "Desc")
	key := func(u vbawsapi.User) string {
		switch strings.TrimSuffix(strings.TrimSuffix(col, "Asc"), "Desc") {
		case "description":
			return u.Description
		case "isDefault":
			return strconv.FormatBool(u.IsDefault)
		case "mfaEnabled":
			return strconv.FormatBool(u.MFAEnabled)
		}
		return u.Name
	}
	slices.SortStableFunc(all, func(a, b vbawsapi.User) int {
		c := cmp.Compare(key(a), key(b))
		if desc {
			return -c
		}
		return c
	})
}

// userByPath is the account named by the userId path parameter; it
// answers 404 itself when there is none. The caller holds f.mu.
func (f *Fake) userByPath(w http.ResponseWriter, r *http.Request, in *fake.Input) (*account, bool) {
	name := in.PathParams["userId"]
	acc, ok := f.admin.users[name]
	if !ok {
		f.notFound(w, r, "the user "+strconv.Quote(name))
	}
	return acc, ok
}

func (f *Fake) createUser(w http.ResponseWriter, r *http.Request, _ *fake.Input, spec vbawsapi.UserCreateSpec) {
	if acc, ok := f.newUser(w, r, spec, false); ok {
		veeamfake.WriteJSON(w, http.StatusCreated, acc.user)
	}
}

func (f *Fake) getUser(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if acc, ok := f.userByPath(w, r, in); ok {
		veeamfake.WriteJSON(w, http.StatusOK, acc.user)
	}
}

// updateUser changes the description, and the password when the current
// one is given as oldPassword.
func (f *Fake) updateUser(w http.ResponseWriter, r *http.Request, in *fake.Input, spec vbawsapi.UserUpdateSpec) {
	acc, ok := f.userByPath(w, r, in)
	if !ok {
		return
	}
	if spec.Description != nil {
		if msgs := descriptionMessages(*spec.Description); len(msgs) > 0 {
			badRequest(w, r, msgs[0].Message)
			return
		}
	}
	if spec.Password != nil {
		if acc.external {
			badRequest(w, r, "a user of the identity provider has no password to change")
			return
		}
		if spec.OldPassword == nil || !hmac.Equal([]byte(*spec.OldPassword), []byte(acc.password)) {
			badRequest(w, r, "the current password (oldPassword) is missing or wrong")
			return
		}
		if msgs := passwordMessages(*spec.Password); len(msgs) > 0 {
			badRequest(w, r, msgs[0].Message)
			return
		}
		acc.password = *spec.Password
		f.Tokens.AddUser(acc.user.Name, acc.password)
	}
	if spec.Description != nil {
		acc.user.Description = *spec.Description
	}
	veeamfake.WriteJSON(w, http.StatusOK, acc.user)
}

// deleteUser removes a user, who can no longer log in; the default user
// stays.
func (f *Fake) deleteUser(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	acc, ok := f.userByPath(w, r, in)
	if !ok {
		return
	}
	if acc.user.IsDefault {
		veeamfake.WriteError(w, r, http.StatusBadRequest, "AccessDenied", "the default user cannot be removed")
		return
	}
	delete(f.admin.users, acc.user.Name)
	f.admin.order = slices.DeleteFunc(f.admin.order, func(n string) bool { return n == acc.user.Name })
	f.Tokens.RemoveUser(acc.user.Name)
	w.WriteHeader(http.StatusNoContent)
}

func (f *Fake) validateUserName(w http.ResponseWriter, _ *http.Request, _ *fake.Input, spec vbawsapi.UserNameValidationSpec) {
	veeamfake.WriteJSON(w, http.StatusOK, f.admin.nameMessages(spec.Name))
}

func (f *Fake) validateUserDescription(w http.ResponseWriter, _ *http.Request, _ *fake.Input, spec vbawsapi.UserDescriptionValidationSpec) {
	veeamfake.WriteJSON(w, http.StatusOK, descriptionMessages(spec.Description))
}

func (f *Fake) validateUserPassword(w http.ResponseWriter, _ *http.Request, _ *fake.Input, spec vbawsapi.UserPasswordValidationSpec) {
	veeamfake.WriteJSON(w, http.StatusOK, passwordMessages(spec.Password))
}

// ---- multi-factor authentication

const mfaIssuer = "Veeam Backup for AWS"

// enableMFA issues a secret for the user to confirm with AcceptMFA. A
// secret issued before and not yet confirmed is answered again, unless
// recreate asks for a new one; a user whose MFA is enabled gets a new
// secret only with recreate.
func (f *Fake) enableMFA(w http.ResponseWriter, r *http.Request, in *fake.Input, spec vbawsapi.UserMFASetup) {
	acc, ok := f.userByPath(w, r, in)
	if !ok {
		return
	}
	recreate := spec.Recreate != nil && *spec.Recreate
	if acc.user.MFAEnabled && !recreate {
		badRequest(w, r, "MFA is already enabled for the user; set recreate to issue a new secret")
		return
	}
	if acc.pending == nil || recreate {
		s, err := newMFASecret()
		if err != nil {
			veeamfake.WriteError(w, r, http.StatusInternalServerError, "InternalError", "cannot make an MFA secret")
			return
		}
		acc.pending = s
	}
	p := acc.pending
	label := url.PathEscape(mfaIssuer + ":" + acc.user.Name)
	qr := "otpauth://totp/" + label + "?" + url.Values{"secret": {p.secret}, "issuer": {mfaIssuer}}.Encode()
	veeamfake.WriteJSON(w, http.StatusOK, vbawsapi.UserMFAData{
		UserName: to.Ptr(acc.user.Name), QrString: to.Ptr(qr), SecretKey: to.Ptr(p.secret),
		ScratchCodes: slices.Clone(p.scratch), Token: to.Ptr(p.token),
	})
}

func newMFASecret() (*mfaSecret, error) {
	raw := make([]byte, 20+8+5*4)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	s := &mfaSecret{
		secret: base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw[:20]),
		token:  hex.EncodeToString(raw[20:28]),
	}
	for i := range 5 {
		n := binary.BigEndian.Uint32(raw[28+4*i:]) % 100_000_000
		s.scratch = append(s.scratch, fmt.Sprintf("%08d", n))
	}
	return s, nil
}

// acceptMFA confirms the pending secret with its token and a one-time code
// (or a scratch code, which is used up): MFA is enabled from then on.
func (f *Fake) acceptMFA(w http.ResponseWriter, r *http.Request, in *fake.Input, spec vbawsapi.UserMFAAccept) {
	acc, ok := f.userByPath(w, r, in)
	if !ok {
		return
	}
	p := acc.pending
	if p == nil {
		badRequest(w, r, "there is no MFA setup to confirm: call EnableMfa first")
		return
	}
	if !hmac.Equal([]byte(spec.Token), []byte(p.token)) {
		badRequest(w, r, "the MFA token is not the one EnableMfa issued")
		return
	}
	if i := slices.Index(p.scratch, spec.Code); i >= 0 {
		p.scratch = slices.Delete(p.scratch, i, i+1)
	} else if !validCode(p.secret, spec.Code, f.Tokens.Now()) {
		badRequest(w, r, "the one-time code is not valid")
		return
	}
	acc.active, acc.pending, acc.user.MFAEnabled = p, nil, true
	w.WriteHeader(http.StatusCreated)
}

func (f *Fake) disableMFA(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	acc, ok := f.userByPath(w, r, in)
	if !ok {
		return
	}
	acc.active, acc.pending, acc.user.MFAEnabled = nil, nil, false
	w.WriteHeader(http.StatusOK)
}

// totpStep is the period of the one-time codes (RFC 6238).
const totpStep = 30 * time.Second

// MFACode returns the one-time code that an authenticator app shows at t
// for secretKey (the base32 secret of EnableMFA's answer): RFC 6238 with
// HMAC-SHA-1, 30-second steps and 6 digits. The fake accepts the code of
// the current step and of the steps either side of it.
func MFACode(secretKey string, t time.Time) (string, error) {
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(strings.TrimRight(secretKey, "=")))
	if err != nil || len(key) == 0 {
		return "", errors.New("vbawsfake: the MFA secret is not base32")
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(t.Unix()/int64(totpStep/time.Second))) //nolint:gosec // a time after 1970
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	n := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", n%1_000_000), nil
}

func validCode(secret, code string, now time.Time) bool {
	for _, d := range []time.Duration{0, -totpStep, totpStep} {
		if c, err := MFACode(secret, now.Add(d)); err == nil && hmac.Equal([]byte(c), []byte(code)) {
			return true
		}
	}
	return false
}

// ---- the first login

func (f *Fake) isFirstLogin(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	f.mu.Lock()
	first := !f.admin.hasDefault()
	f.mu.Unlock()
	veeamfake.WriteJSON(w, http.StatusOK, vbawsapi.IsFirstLoginResult{IsFirstLogin: first})
}

func (f *Fake) checkInstance(w http.ResponseWriter, _ *http.Request, _ *fake.Input, spec vbawsapi.CheckInstanceIDSpec) {
	veeamfake.WriteJSON(w, http.StatusOK, vbawsapi.CheckInstanceIDResult{IsValid: spec.InstanceID == fakeInstanceID})
}

// createDefaultUser creates the default user once the license agreements
// are accepted, given the instance ID; the user can log in from then on.
func (f *Fake) createDefaultUser(w http.ResponseWriter, r *http.Request, _ *fake.Input, spec vbawsapi.DefaultUserSpec) {
	switch {
	case !f.admin.accepted:
		veeamfake.WriteError(w, r, http.StatusConflict, "AccessDenied", "the license agreements have not been accepted")
	case f.admin.hasDefault():
		badRequest(w, r, "the appliance already has its default user")
	case spec.Instance.InstanceID != fakeInstanceID:
		badRequest(w, r, "the instance ID is not that of the appliance's EC2 instance")
	default:
		if acc, ok := f.newUser(w, r, spec.UserSpec, true); ok {
			veeamfake.WriteJSON(w, http.StatusCreated, acc.user)
		}
	}
}

// ---- export

type xmlUser struct {
	Name        string `xml:"Name"`
	Description string `xml:"Description"`
	MFAEnabled  bool   `xml:"MfaEnabled"`
	IsDefault   bool   `xml:"IsDefault"`
}

// exportUsers writes the users as XML when the Accept header asks for XML
// and not CSV, and as CSV otherwise.
func (f *Fake) exportUsers(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	f.mu.Lock()
	rows := make([]xmlUser, 0, len(f.admin.order))
	for _, name := range f.admin.order {
		u := f.admin.users[name].user
		rows = append(rows, xmlUser{u.Name, u.Description, u.MFAEnabled, u.IsDefault})
	}
	f.mu.Unlock()
	accept := r.Header.Get("Accept")
	if strings.Contains(accept, "xml") && !strings.Contains(accept, "text/csv") {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusOK)
		_ = xml.NewEncoder(w).Encode(struct {
			XMLName xml.Name  `xml:"Users"`
			Items   []xmlUser `xml:"User"`
		}{Items: rows})
		return
	}
	w.Header().Set("Content-Type", "text/csv")
	w.WriteHeader(http.StatusOK)
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"Name", "Description", "MFA Enabled", "Default"})
	for _, u := range rows {
		_ = cw.Write([]string{u.Name, u.Description, strconv.FormatBool(u.MFAEnabled), strconv.FormatBool(u.IsDefault)})
	}
	cw.Flush()
}
