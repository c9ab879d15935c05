package tests

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/vbawsfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

// answers keeps every response body a handler writes.
type answers struct {
	h  http.Handler
	mu sync.Mutex
	b  bytes.Buffer
}

func (a *answers) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.h.ServeHTTP(&teeWriter{ResponseWriter: w, a: a}, r)
}

func (a *answers) String() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.b.String()
}

type teeWriter struct {
	http.ResponseWriter
	a *answers
}

func (t *teeWriter) Write(p []byte) (int, error) {
	t.a.mu.Lock()
	t.a.b.Write(p)
	t.a.mu.Unlock()
	return t.ResponseWriter.Write(p)
}

// TestVBAWSIAMRoleAccessKeysKeepNoSecret adds an IAM role with access keys
// and checks that its secret key reaches no answer of the fake, no error
// and no log record of the client, while the access key ID and the AWS
// partition are shown.
func TestVBAWSIAMRoleAccessKeysKeepNoSecret(t *testing.T) {
	const secret = "wJalrXUtnFEMI-K7MDENG-never-shown-4242"
	ctx := context.Background()
	f, err := vbawsfake.New(vbawsfake.WithUser("admin", "s3cret-pw"))
	require.NoError(t, err)
	f.OnViolation(func(err error) { t.Errorf("spec violation: %v", err) })
	track("vbaws", f)
	rec := &answers{h: f}
	srv := fake.StartTLS(rec)
	t.Cleanup(srv.Close)
	var logs bytes.Buffer
	c, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "s3cret-pw"), option.WithCACert(srv.CACertPEM()),
		option.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	require.NoError(t, err)
	roles := c.IAMRoles
	keys := &vbawsapi.AmazonAccountAccessKeysCreateSpec{AccessKey: "AKIAIOSFODNN7EXAMPLE", SecretKey: secret, DefaultRegionType: vbawsapi.RegionTypesGovernment}

	role, err := roles.Add(ctx, vbawsapi.AmazonAccountCreateSpec{Name: "GovCloud role", AccessKeys: keys})
	require.NoError(t, err)
	require.NotNil(t, role.AccessKeys)
	assert.Equal(t, "AKIAIOSFODNN7EXAMPLE", role.AccessKeys.AccessKey)
	assert.Equal(t, vbawsapi.RegionTypesGovernment, *role.AccessKeys.DefaultRegion)
	assert.Equal(t, vbawsapi.RegionTypesGovernment, *role.RegionType)
	assert.Len(t, role.Awsid, 12)
	assert.Nil(t, role.IAMRole)
	again, err := roles.Add(ctx, vbawsapi.AmazonAccountCreateSpec{Name: "Same key", AccessKeys: keys})
	require.NoError(t, err)
	assert.Equal(t, role.Awsid, again.Awsid, "the account follows the access key")
	got, err := roles.Get(ctx, role.ID)
	require.NoError(t, err)
	assert.Equal(t, role.AccessKeys, got.AccessKeys)
	listed := collect(t, roles.All(ctx, &vbaws.ListIAMRolesOptions{SearchPattern: "GovCloud*"}))
	require.Len(t, listed, 1)
	assert.Equal(t, "AKIAIOSFODNN7EXAMPLE", listed[0].AccessKeys.AccessKey)
	seeded := collect(t, roles.All(ctx, &vbaws.ListIAMRolesOptions{SearchPattern: "Default*"}))
	require.Len(t, seeded, 1)
	assert.Equal(t, vbawsapi.RegionTypesGlobal, *seeded[0].RegionType)
	assert.Nil(t, seeded[0].AccessKeys)

	// Refusals say why without the secret.
	_, err = roles.Add(ctx, vbawsapi.AmazonAccountCreateSpec{Name: "GovCloud role", AccessKeys: keys})
	require.ErrorIs(t, err, apierr.ErrBadRequest, "the name is taken")
	assert.NotContains(t, err.Error(), secret)
	_, err = roles.Add(ctx, vbawsapi.AmazonAccountCreateSpec{Name: "Two modes", AccessKeys: keys, IAMRole: &vbawsapi.AmazonAccountIAMRoleCreateSpec{RoleName: "R"}})
	require.ErrorIs(t, err, apierr.ErrBadRequest)
	assert.NotContains(t, err.Error(), secret)
	_, err = roles.Update(ctx, uuid.New(), vbawsapi.AmazonAccountUpdateSpec{Name: "Nobody", AccessKeys: keys})
	require.ErrorIs(t, err, apierr.ErrNotFound)
	assert.NotContains(t, err.Error(), secret)

	// Switching the role to an existing IAM role drops the access keys.
	updated, err := roles.Update(ctx, role.ID, vbawsapi.AmazonAccountUpdateSpec{Name: "GovCloud role", IAMRole: &vbawsapi.AmazonAccountIAMRoleCreateSpec{RoleName: "VeeamRole"}})
	require.NoError(t, err)
	assert.Nil(t, updated.AccessKeys)
	updated, err = roles.Update(ctx, role.ID, vbawsapi.AmazonAccountUpdateSpec{Name: "GovCloud role", AccessKeys: keys})
	require.NoError(t, err)
	require.NotNil(t, updated.AccessKeys)

	// The export lists the access key ID, never the secret.
	rc, err := roles.Export(ctx, vbaws.ExportCSV)
	require.NoError(t, err)
	records, err := csv.NewReader(rc).ReadAll()
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	require.Len(t, records, 4, "a header and three roles")
	assert.Equal(t, []string{"Name", "Description", "AWS Account ID", "Role Name", "Region Type", "Access Key"}, records[0])
	rows := map[string][]string{}
	for _, r := range records[1:] {
		rows[r[0]] = r
	}
	assert.Equal(t, []string{"GovCloud role", "", role.Awsid, "", "Government", "AKIAIOSFODNN7EXAMPLE"}, rows["GovCloud role"])
	assert.Equal(t, "VeeamBackupRestoreRole", rows["Default Backup Restore"][3])
	rc, err = roles.Export(ctx, vbaws.ExportXML)
	require.NoError(t, err)
	body, err := io.ReadAll(rc)
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	assert.Contains(t, string(body), "<AccessKey>AKIAIOSFODNN7EXAMPLE</AccessKey>")

	require.Contains(t, rec.String(), "AKIAIOSFODNN7EXAMPLE", "the recorder saw the answers")
	assert.NotContains(t, rec.String(), secret, "no answer carries the secret key")
	require.NotEmpty(t, logs.String())
	assert.NotContains(t, logs.String(), secret, "no log record carries it")
	assert.Empty(t, f.Violations())
}

// TestVBAWSRepositoriesAndAccountsExtras reads a repository's IAM role
// through _embedded as it changes, validates standard account names, and
// exports repositories and standard accounts.
func TestVBAWSRepositoriesAndAccountsExtras(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))

	role, err := c.IAMRoles.Add(ctx, vbawsapi.AmazonAccountCreateSpec{Name: "Archive role", IAMRole: &vbawsapi.AmazonAccountIAMRoleCreateSpec{RoleName: "ArchiveRole"}})
	require.NoError(t, err)
	repo, err := c.Repositories.Create(ctx, vbawsapi.RepositoryCreateSpec{Name: "Archive", AmazonAccountID: role.ID, AmazonBucketID: uuid.New(), AmazonStorageFolder: "archive"})
	require.NoError(t, err)
	require.NotNil(t, repo.Embedded)
	assert.Equal(t, "Archive role", *repo.Embedded.AmazonAccount)
	assert.Equal(t, "/api/v1/accounts/amazon/"+role.ID.String(), repo.Embedded.AmazonAccountLink.Href)
	_, err = c.IAMRoles.Update(ctx, role.ID, vbawsapi.AmazonAccountUpdateSpec{Name: "Long-term role", IAMRole: &vbawsapi.AmazonAccountIAMRoleCreateSpec{RoleName: "ArchiveRole"}})
	require.NoError(t, err)
	got, err := c.Repositories.Get(ctx, repo.ID)
	require.NoError(t, err)
	assert.Equal(t, "Long-term role", *got.Embedded.AmazonAccount, "the name is read when the repository is")
	all := collect(t, c.Repositories.All(ctx, &vbaws.ListRepositoriesOptions{Sort: []vbawsapi.RepositoriesSortColumns{vbawsapi.RepositoriesSortColumnsNameAsc}}))
	require.Len(t, all, 2)
	assert.Equal(t, "Long-term role", *all[0].Embedded.AmazonAccount)
	assert.Equal(t, "Default Backup Restore", *all[1].Embedded.AmazonAccount)
	updated, err := c.Repositories.Update(ctx, repo.ID, vbawsapi.RepositoryUpdateSpec{Name: "Archive", AmazonAccountID: all[1].AmazonAccountID})
	require.NoError(t, err)
	assert.Equal(t, "Default Backup Restore", *updated.Embedded.AmazonAccount)

	rc, err := c.Repositories.Export(ctx, vbaws.ExportCSV)
	require.NoError(t, err)
	records, err := csv.NewReader(rc).ReadAll()
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	require.Len(t, records, 3)
	assert.Equal(t, []string{"Name", "Description", "Folder", "Bucket ID", "IAM Role", "Encryption"}, records[0])
	byName := map[string][]string{}
	for _, r := range records[1:] {
		byName[r[0]] = r
	}
	assert.Equal(t, []string{"Archive", "", "archive", repo.AmazonBucketID.String(), "Default Backup Restore", "false"}, byName["Archive"])
	assert.Equal(t, "true", byName["Default repository"][5])
	rc, err = c.Repositories.Export(ctx, vbaws.ExportXML)
	require.NoError(t, err)
	body, err := io.ReadAll(rc)
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	assert.Contains(t, string(body), "<Repository><Name>Default repository</Name>")

	// Standard accounts: the name check, and an export without passwords.
	accounts := c.StandardAccounts
	msgs, err := accounts.ValidateName(ctx, vbawsapi.StandardAccountNameValidationSpec{Name: "smtp"})
	require.NoError(t, err)
	assert.Empty(t, msgs, "no account yet")
	_, err = accounts.Add(ctx, vbawsapi.StandardAccountCreateSpec{Name: "SMTP", Username: "backup@example.com", Password: to.Ptr("mail-pw-1234"), Description: to.Ptr("Mail server")})
	require.NoError(t, err)
	msgs, err = accounts.ValidateName(ctx, vbawsapi.StandardAccountNameValidationSpec{Name: "smtp"})
	require.NoError(t, err)
	require.Len(t, msgs, 1, "names clash in any case")
	assert.Equal(t, vbawsapi.ValidationMessageSeverityError, msgs[0].Severity)
	msgs, err = accounts.ValidateName(ctx, vbawsapi.StandardAccountNameValidationSpec{Name: "Proxy"})
	require.NoError(t, err)
	assert.Empty(t, msgs)
	rc, err = accounts.Export(ctx, vbaws.ExportCSV)
	require.NoError(t, err)
	body, err = io.ReadAll(rc)
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	assert.Equal(t, "Name,User Name,Description\nSMTP,backup@example.com,Mail server\n", string(body))
	assert.NotContains(t, string(body), "mail-pw-1234")
	rc, err = accounts.Export(ctx, vbaws.ExportXML)
	require.NoError(t, err)
	body, err = io.ReadAll(rc)
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	assert.Equal(t, "<StandardAccounts><StandardAccount><Name>SMTP</Name><UserName>backup@example.com</UserName><Description>Mail server</Description></StandardAccount></StandardAccounts>",
		strings.TrimSpace(string(body)))
	_, err = accounts.Export(ctx, "")
	assert.Error(t, err)
	assert.Empty(t, srv.Violations())
}
