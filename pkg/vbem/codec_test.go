package vbem

import (
	"encoding/xml"
	"errors"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/specs"
)

// requestBodies are Go values of every request body schema of the spec,
// by schema name. AccountsPostSpec is the merged schema of one URL's two
// calls: they send EnterpriseAccountCreateSpec or RebuildScopeJobSpec.
var requestBodies = map[string]any{
	"PasswordKeyInfoSpec":         vbemapi.PasswordKeyInfoSpec{},
	"HierarchyScopeCreateSpec":    vbemapi.HierarchyScopeCreateSpec{},
	"EnterpriseAccountCreateSpec": vbemapi.EnterpriseAccountCreateSpec{},
	"RebuildScopeJobSpec":         vbemapi.RebuildScopeJobSpec{},
	"LoginSpec":                   &vbemapi.LoginSpec{},
	"Job":                         vbemapi.Job{},
	"JobCloneSpec":                &vbemapi.JobCloneSpec{},
	"CreateObjectInJobSpec":       vbemapi.CreateObjectInJobSpec{},
	"RestoreSpec":                 vbemapi.RestoreSpec{},

	"FileLevelMountSpec":                &vbemapi.FileLevelMountSpec{},
	"FileRestoreSpec":                   vbemapi.FileRestoreSpec{},
	"FailoverPlan":                      vbemapi.FailoverPlan{},
	"FailoverPlanManagementSpec":        &vbemapi.FailoverPlanManagementSpec{},
	"EnterpriseAccountInRoleCreateSpec": vbemapi.EnterpriseAccountInRoleCreateSpec{},
	"CredentialsInfoSpec":               vbemapi.CredentialsInfoSpec{},

	"CreateCloudTenantSpec":                vbemapi.CreateCloudTenantSpec{},
	"CloudTenant":                          vbemapi.CloudTenant{},
	"CreateCloudTenantResourceSpec":        vbemapi.CreateCloudTenantResourceSpec{},
	"CloudTenantComputeResourceCreateSpec": vbemapi.CloudTenantComputeResourceCreateSpec{},
	"CreateCloudGatewaySpec":               vbemapi.CreateCloudGatewaySpec{},
	"CloudGateway":                         vbemapi.CloudGateway{},
	"CreateCloudGatewayPoolSpec":           vbemapi.CreateCloudGatewayPoolSpec{},
	"CloudGatewayPool":                     vbemapi.CloudGatewayPool{},
	"CloudHardwarePlanCreateSpec":          vbemapi.CloudHardwarePlanCreateSpec{},
	"CloudHardwarePlan":                    vbemapi.CloudHardwarePlan{},
	"BackupServerSpec":                     vbemapi.BackupServerSpec{},
	"VeeamZipStartupSpec":                  vbemapi.VeeamZipStartupSpec{},
	"QuickBackupStartupSpec":               vbemapi.QuickBackupStartupSpec{},

	"CreateLinkedJobSpec":              vbemapi.CreateLinkedJobSpec{},
	"CreateLinkedBackupRepositorySpec": vbemapi.CreateLinkedBackupRepositorySpec{},
	"VAppRestoreSpec":                  vbemapi.VAppRestoreSpec{},

	"VCloudOrganizationConfigCreateSpec": vbemapi.VCloudOrganizationConfigCreateSpec{},
	"VCloudOrganizationConfig":           vbemapi.VCloudOrganizationConfig{},
	"VSphereSelfServiceCreateSpec":       vbemapi.VSphereSelfServiceCreateSpec{},
	"VSphereSelfServiceConfig":           vbemapi.VSphereSelfServiceConfig{},

	"CdpPolicy":               vbemapi.CdpPolicy{},
	"CdpFailoverStartSpec":    vbemapi.CdpFailoverStartSpec{},
	"CdpReplicaIntervalsSpec": vbemapi.CdpReplicaIntervalsSpec{},

	"CloudSubtenantCreateSpec":                   vbemapi.CloudSubtenantCreateSpec{},
	"CloudSubtenant":                             vbemapi.CloudSubtenant{},
	"CloudTenantVCloudComputeResourceCreateSpec": vbemapi.CloudTenantVCloudComputeResourceCreateSpec{},
	"CloudPublicIpAddressCreateSpec":             vbemapi.CloudPublicIpAddressCreateSpec{},
	"CloudPublicIpAddress":                       vbemapi.CloudPublicIpAddress{},
	"VlanConfiguration":                          vbemapi.VlanConfiguration{},
	"CloudFailoverPlan":                          vbemapi.CloudFailoverPlan{},
	"CloudFailoverPlanManagementSpec":            vbemapi.CloudFailoverPlanManagementSpec{},
}

// TestXMLRootIsTheSpecsElementName checks that the codec names the root of
// each request body as the spec does (xml.name): it takes the name from
// the Go type, which oapi-codegen names after the schema.
func TestXMLRootIsTheSpecsElementName(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(specs.VBEM)
	require.NoError(t, err)
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody == nil {
				continue
			}
			for _, mt := range op.RequestBody.Value.Content {
				// A body of several schemas (one per action) is a oneOf.
				refs := []string{mt.Schema.Ref}
				if mt.Schema.Ref == "" {
					refs = nil
					for _, alt := range mt.Schema.Value.OneOf {
						refs = append(refs, alt.Ref)
					}
				}
				for _, ref := range refs {
					name := strings.TrimPrefix(ref, "#/components/schemas/")
					if name == "AccountsPostSpec" {
						continue
					}
					_, ok := requestBodies[name]
					assert.True(t, ok, "%s: no Go value for the body %s", op.OperationID, name)
				}
			}
		}
	}
	for name, v := range requestBodies {
		schema := doc.Components.Schemas[name]
		require.NotNil(t, schema, name)
		require.NotNil(t, schema.Value.XML, name)
		ct, r, err := codec{xml: true}.Encode("op", v)
		require.NoError(t, err)
		assert.Equal(t, "application/xml", ct)
		var root struct {
			XMLName xml.Name
		}
		b, err := io.ReadAll(r)
		require.NoError(t, err)
		require.NoError(t, xml.Unmarshal(b, &root))
		assert.Equal(t, schema.Value.XML.Name, root.XMLName.Local, name)
		assert.Equal(t, Namespace, root.XMLName.Space, name)
	}
}

func TestCodecEncodeErrorsNameTheOperation(t *testing.T) {
	_, _, err := codec{}.Encode("CreatePassword", map[string]any{"Hint": math.NaN()})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "vbem: CreatePassword: encode request body")
	_, _, err = codec{xml: true}.Encode("CreateAccountScopes", struct{ A int }{1})
	assert.ErrorContains(t, err, "names no XML root element", "an anonymous type has no root name")
	_, _, err = codec{xml: true}.Encode("CreateAccountScopes", nil)
	assert.Error(t, err)
}

func TestCodecDecodeRefusesWhatIsNotAnAnswer(t *testing.T) {
	for name, tc := range map[string]struct{ ct, body, want string }{
		"an HTML page": {"text/html", "<html><body>proxy</body></html>", "HTML"},
		"no body":      {"application/json", " \r\n", "no body"},
		"only a BOM":   {"application/json", "\xef\xbb\xbf", "no body"},
	} {
		t.Run(name, func(t *testing.T) {
			resp := &http.Response{Header: http.Header{"Content-Type": {tc.ct}}, Body: io.NopCloser(strings.NewReader(tc.body))}
			var v vbemapi.Task
			assert.ErrorContains(t, codec{}.Decode(resp, &v), tc.want)
		})
	}
	resp := &http.Response{Header: http.Header{}, Body: io.NopCloser(strings.NewReader("\xef\xbb\xbf" + `<Task><TaskId>task-1</TaskId></Task>`))}
	var v vbemapi.Task
	require.NoError(t, codec{}.Decode(resp, &v), "XML by its first byte, after the mark")
	assert.Equal(t, "task-1", *v.TaskID)
	resp = &http.Response{Header: http.Header{}, Body: io.NopCloser(errReader{})}
	assert.ErrorIs(t, codec{}.Decode(resp, &v), errCut)
}

var errCut = errors.New("connection cut")

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errCut }
