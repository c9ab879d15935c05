package specs_test

import (
	"context"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/specs"
)

func load(t *testing.T, data []byte) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	require.NoError(t, err)
	return doc
}

// TestSpecsValidate runs kin-openapi's full validation, including examples
// and defaults against their schemas.
func TestSpecsValidate(t *testing.T) {
	for name, data := range specs.All() {
		t.Run(name, func(t *testing.T) {
			doc := load(t, data)
			assert.Equal(t, "3.0.3", doc.OpenAPI)
			require.NoError(t, doc.Validate(context.Background(), openapi3.EnableExamplesValidation()))
		})
	}
}

// TestSpecVersions checks that each spec's info.version names the vendor
// API revision it follows.
func TestSpecVersions(t *testing.T) {
	want := map[string]string{"vbaws": "1.7-rev0", "vbgc": "1.4-rev0", "vbem": "v1_7", "ibmbr": "v2",
		"ibmbr-connector": "v2", "ibmbr-sre": "v2", "ibmbr-reporting": "v1"}
	require.Len(t, specs.All(), len(want))
	for name, data := range specs.All() {
		assert.Equal(t, want[name], load(t, data).Info.Version, name)
	}
}

// TestVBAWSEndpoints pins the 15 endpoints of the seed, the token
// endpoints, the sessions and the FSx, Redshift and infrastructure
// endpoints, the Amazon connections, buckets, regions and tags, the user
// accounts and the appliance settings, by method and path, and the
// documented parameters.
func TestVBAWSEndpoints(t *testing.T) {
	doc := load(t, specs.VBAWS)
	want := [][2]string{
		{"POST", "/api/v1/organizations/amazon/rescan"},
		{"GET", "/api/v1/organizations/amazon"},
		{"POST", "/api/v1/organizations/amazon"},
		{"GET", "/api/v1/organizations/amazon/{organizationId}"},
		{"PUT", "/api/v1/organizations/amazon/{organizationId}"},
		{"DELETE", "/api/v1/organizations/amazon/{organizationId}"},
		{"POST", "/api/v1/organizations/amazon/rescan/{sessionId}/identitiesInMemory"},
		{"POST", "/api/v1/organizations/amazon/{organizationId}/identitiesInDb"},
		{"POST", "/api/v1/organizations/amazon/{organizationId}/validateDelete"},
		{"POST", "/api/v1/organizations/amazon/validateDelete"},
		{"POST", "/api/v1/organizations/amazon/testConfiguration"},
		{"POST", "/api/v1/organizations/amazon/export"},
		{"POST", "/api/v1/organizations/amazon/checkOrganizationExists"},
		{"POST", "/api/v1/organizations/amazon/validateName"},
		{"POST", "/api/v1/organizations/amazon/validateOrganization"},
		{"POST", "/api/v1/token"},
		{"DELETE", "/api/v1/token"},
		{"GET", "/api/v1/sessions"},
		{"GET", "/api/v1/sessions/{sessionId}"},
		{"GET", "/api/v1/fsx/policies"},
		{"POST", "/api/v1/fsx/policies"},
		{"GET", "/api/v1/fsx/policies/{policyId}"},
		{"PUT", "/api/v1/fsx/policies/{policyId}"},
		{"DELETE", "/api/v1/fsx/policies/{policyId}"},
		{"POST", "/api/v1/fsx/policies/{policyId}/start"},
		{"POST", "/api/v1/fsx/policies/{policyId}/stop"},
		{"POST", "/api/v1/fsx/policies/{policyId}/enable"},
		{"POST", "/api/v1/fsx/policies/{policyId}/disable"},
		{"GET", "/api/v1/fsx"},
		{"GET", "/api/v1/fsx/restorePoints"},
		{"GET", "/api/v1/fsx/restorePoints/{restorePointId}"},
		{"POST", "/api/v1/fsx/restorePoints/{restorePointId}/restore"},
		{"GET", "/api/v1/redshift/policies"},
		{"POST", "/api/v1/redshift/policies"},
		{"GET", "/api/v1/redshift/policies/{policyId}"},
		{"PUT", "/api/v1/redshift/policies/{policyId}"},
		{"DELETE", "/api/v1/redshift/policies/{policyId}"},
		{"POST", "/api/v1/redshift/policies/{policyId}/start"},
		{"POST", "/api/v1/redshift/policies/{policyId}/stop"},
		{"POST", "/api/v1/redshift/policies/{policyId}/enable"},
		{"POST", "/api/v1/redshift/policies/{policyId}/disable"},
		{"GET", "/api/v1/redshift"},
		{"GET", "/api/v1/redshift/restorePoints"},
		{"GET", "/api/v1/redshift/restorePoints/{restorePointId}"},
		{"POST", "/api/v1/redshift/restorePoints/{restorePointId}/restore"},
		{"GET", "/api/v1/repositories"},
		{"POST", "/api/v1/repositories"},
		{"GET", "/api/v1/repositories/{repositoryId}"},
		{"PUT", "/api/v1/repositories/{repositoryId}"},
		{"DELETE", "/api/v1/repositories/{repositoryId}"},
		{"POST", "/api/v1/repositories/settings/validate"},
		{"POST", "/api/v1/repositories/{repositoryId}/checkPassword"},
		{"GET", "/api/v1/workers/profiles"},
		{"POST", "/api/v1/workers/profiles"},
		{"GET", "/api/v1/workers/profiles/{profileId}"},
		{"PUT", "/api/v1/workers/profiles/{profileId}"},
		{"DELETE", "/api/v1/workers/profiles/{profileId}"},
		{"GET", "/api/v1/workers/configurations"},
		{"POST", "/api/v1/workers/configurations"},
		{"GET", "/api/v1/workers/configurations/{configurationId}"},
		{"PUT", "/api/v1/workers/configurations/{configurationId}"},
		{"DELETE", "/api/v1/workers/configurations/{configurationId}"},
		{"GET", "/api/v1/accounts/amazon"},
		{"POST", "/api/v1/accounts/amazon"},
		{"GET", "/api/v1/accounts/amazon/{amazonAccountId}"},
		{"PUT", "/api/v1/accounts/amazon/{amazonAccountId}"},
		{"DELETE", "/api/v1/accounts/amazon/{amazonAccountId}"},
		{"POST", "/api/v1/accounts/amazon/{amazonAccountId}/rescan"},
		{"POST", "/api/v1/accounts/amazon/validateName"},
		{"POST", "/api/v1/accounts/amazon/{amazonAccountId}/validateDelete"},
		{"GET", "/api/v1/accounts/standard"},
		{"POST", "/api/v1/accounts/standard"},
		{"GET", "/api/v1/accounts/standard/{standardAccountId}"},
		{"PUT", "/api/v1/accounts/standard/{standardAccountId}"},
		{"DELETE", "/api/v1/accounts/standard/{standardAccountId}"},
		{"GET", "/api/v1/configurationBackup/settings"},
		{"PUT", "/api/v1/configurationBackup/settings"},
		{"POST", "/api/v1/configurationBackup/enableSchedule"},
		{"POST", "/api/v1/configurationBackup/disableSchedule"},
		{"GET", "/api/v1/configurationBackup/restorePoints"},
		{"GET", "/api/v1/configurationBackup/restorePoints/{restorePointId}"},
		{"DELETE", "/api/v1/configurationBackup/restorePoints/{restorePointId}"},
		{"POST", "/api/v1/configurationBackup/backup"},
		{"GET", "/api/v1/licensing/license"},
		{"DELETE", "/api/v1/licensing/license"},
		{"GET", "/api/v1/licensing/licensedWorkloads"},
		{"GET", "/api/v1/system/version"},
		{"POST", "/api/v1/token/authorizationCode"},
		{"GET", "/api/v1/overview/userStatus"},
		{"GET", "/api/v1/statistics/summary"},
		{"GET", "/api/v1/sessions/{sessionId}/log"},
		{"POST", "/api/v1/sessions/{sessionId}/stop"},
		{"GET", "/api/v1/sessions/{backupSessionId}/protectedItems"},
		{"GET", "/api/v1/sessions/{restoreSessionId}/restoredItems"},
		{"GET", "/api/v1/virtualMachines/policies"},
		{"POST", "/api/v1/virtualMachines/policies"},
		{"GET", "/api/v1/virtualMachines/policies/{policyId}"},
		{"PUT", "/api/v1/virtualMachines/policies/{policyId}"},
		{"DELETE", "/api/v1/virtualMachines/policies/{policyId}"},
		{"POST", "/api/v1/virtualMachines/policies/{policyId}/start"},
		{"POST", "/api/v1/virtualMachines/policies/{policyId}/stop"},
		{"POST", "/api/v1/virtualMachines/policies/{policyId}/enable"},
		{"POST", "/api/v1/virtualMachines/policies/{policyId}/disable"},
		{"GET", "/api/v1/virtualMachines/policies/{policyId}/selectedItems"},
		{"GET", "/api/v1/virtualMachines/policies/{policyId}/excludedItems"},
		{"GET", "/api/v1/virtualMachines/policies/{policyId}/regions"},
		{"GET", "/api/v1/virtualMachines"},
		{"GET", "/api/v1/virtualMachines/{virtualMachineId}"},
		{"GET", "/api/v1/virtualMachines/restorePoints"},
		{"GET", "/api/v1/virtualMachines/restorePoints/{restorePointId}"},
		{"POST", "/api/v1/virtualMachines/restorePoints/{restorePointId}/restoreVm"},
		{"POST", "/api/v1/virtualMachines/restorePoints/{restorePointId}/validateRestoreVm"},
		{"POST", "/api/v1/virtualMachines/restorePoints/{restorePointId}/restoreDisk"},
		{"POST", "/api/v1/virtualMachines/restorePoints/{restorePointId}/validateRestoreDisk"},
		{"POST", "/api/v1/virtualMachines/restorePoints/{restorePointId}/restoreFile"},
		{"GET", "/api/v1/rds/policies"},
		{"POST", "/api/v1/rds/policies"},
		{"GET", "/api/v1/rds/policies/{policyId}"},
		{"PUT", "/api/v1/rds/policies/{policyId}"},
		{"DELETE", "/api/v1/rds/policies/{policyId}"},
		{"POST", "/api/v1/rds/policies/{policyId}/start"},
		{"POST", "/api/v1/rds/policies/{policyId}/stop"},
		{"POST", "/api/v1/rds/policies/{policyId}/enable"},
		{"POST", "/api/v1/rds/policies/{policyId}/disable"},
		{"GET", "/api/v1/rds"},
		{"GET", "/api/v1/rds/{rdsId}"},
		{"GET", "/api/v1/rds/restorePoints"},
		{"GET", "/api/v1/rds/restorePoints/{restorePointId}"},
		{"POST", "/api/v1/rds/restorePoints/{restorePointId}/restore"},
		{"POST", "/api/v1/rds/restorePoints/{restorePointId}/validateRestore"},
		{"GET", "/api/v1/efs/policies"},
		{"POST", "/api/v1/efs/policies"},
		{"GET", "/api/v1/efs/policies/{policyId}"},
		{"PUT", "/api/v1/efs/policies/{policyId}"},
		{"DELETE", "/api/v1/efs/policies/{policyId}"},
		{"POST", "/api/v1/efs/policies/{policyId}/start"},
		{"POST", "/api/v1/efs/policies/{policyId}/stop"},
		{"POST", "/api/v1/efs/policies/{policyId}/enable"},
		{"POST", "/api/v1/efs/policies/{policyId}/disable"},
		{"GET", "/api/v1/efs"},
		{"GET", "/api/v1/efs/{efsId}"},
		{"GET", "/api/v1/efs/restorePoints"},
		{"GET", "/api/v1/efs/restorePoints/{restorePointId}"},
		{"POST", "/api/v1/efs/restorePoints/{restorePointId}/restore"},
		{"POST", "/api/v1/efs/restorePoints/{restorePointId}/validateRestore"},
		{"POST", "/api/v1/efs/restorePoints/{restorePointId}/restoreFiles"},
		{"POST", "/api/v1/efs/restorePoints/{restorePointId}/startFlr"},
		{"GET", "/api/v1/dynamoDb/policies"},
		{"POST", "/api/v1/dynamoDb/policies"},
		{"GET", "/api/v1/dynamoDb/policies/{policyId}"},
		{"PUT", "/api/v1/dynamoDb/policies/{policyId}"},
		{"DELETE", "/api/v1/dynamoDb/policies/{policyId}"},
		{"POST", "/api/v1/dynamoDb/policies/{policyId}/start"},
		{"POST", "/api/v1/dynamoDb/policies/{policyId}/stop"},
		{"POST", "/api/v1/dynamoDb/policies/{policyId}/enable"},
		{"POST", "/api/v1/dynamoDb/policies/{policyId}/disable"},
		{"GET", "/api/v1/dynamoDb"},
		{"GET", "/api/v1/dynamoDb/{dynamoDbId}"},
		{"GET", "/api/v1/dynamoDb/restorePoints"},
		{"GET", "/api/v1/dynamoDb/restorePoints/{restorePointId}"},
		{"POST", "/api/v1/dynamoDb/restorePoints/{restorePointId}/restore"},
		{"POST", "/api/v1/dynamoDb/restorePoints/{restorePointId}/validateRestore"},
		{"GET", "/api/v1/amazonConnections"},
		{"POST", "/api/v1/amazonConnections"},
		{"GET", "/api/v1/amazonConnections/{amazonConnectionId}"},
		{"DELETE", "/api/v1/amazonConnections/{amazonConnectionId}"},
		{"GET", "/api/v1/amazonConnections/{amazonConnectionId}/availabilityZones"},
		{"GET", "/api/v1/amazonConnections/{amazonConnectionId}/cloudEncryptionKeys"},
		{"GET", "/api/v1/amazonConnections/{amazonConnectionId}/cloudNetworks"},
		{"GET", "/api/v1/amazonConnections/{amazonConnectionId}/cloudSecurityGroups"},
		{"GET", "/api/v1/amazonConnections/{amazonConnectionId}/cloudSubnetworks"},
		{"GET", "/api/v1/amazonConnections/{amazonConnectionId}/validateS3endpoint"},
		{"GET", "/api/v1/amazonConnections/{amazonConnectionId}/browseBucketFolders/{bucketId}"},
		{"GET", "/api/v1/cloudInfrastructure/buckets"},
		{"GET", "/api/v1/cloudInfrastructure/buckets/{bucketId}"},
		{"POST", "/api/v1/cloudInfrastructure/buckets/rescan/{amazonAccountId}"},
		{"GET", "/api/v1/cloudInfrastructure/buckets/{bucketId}/folders"},
		{"GET", "/api/v1/cloudInfrastructure/buckets/{bucketId}/folders/{folderName}"},
		{"GET", "/api/v1/cloudInfrastructure/regions"},
		{"GET", "/api/v1/cloudInfrastructure/regions/{regionId}"},
		{"GET", "/api/v1/cloudInfrastructure/regions/{regionId}/zones"},
		{"GET", "/api/v1/cloudInfrastructure/regions/{regionId}/instancesTypes"},
		{"GET", "/api/v1/cloudInfrastructure/tags"},
		{"GET", "/api/v1/cloudInfrastructure/tags/{tagId}"},
		{"GET", "/api/v1/users"},
		{"POST", "/api/v1/users"},
		{"GET", "/api/v1/users/{userId}"},
		{"PUT", "/api/v1/users/{userId}"},
		{"DELETE", "/api/v1/users/{userId}"},
		{"POST", "/api/v1/users/validateName"},
		{"POST", "/api/v1/users/validateDescription"},
		{"POST", "/api/v1/users/validatePassword"},
		{"POST", "/api/v1/users/{userId}/enableMfa"},
		{"POST", "/api/v1/users/{userId}/disableMfa"},
		{"POST", "/api/v1/users/{userId}/acceptMfa"},
		{"GET", "/api/v1/users/isFirstLogin"},
		{"POST", "/api/v1/users/checkInstanceId"},
		{"POST", "/api/v1/users/createDefaultUser"},
		{"POST", "/api/v1/users/export"},
		{"GET", "/api/v1/settings/certificate"},
		{"POST", "/api/v1/settings/certificates/regenerate"},
		{"POST", "/api/v1/settings/certificates/upload"},
		{"GET", "/api/v1/settings/retentionSettings"},
		{"POST", "/api/v1/settings/retentionSettings"},
		{"POST", "/api/v1/settings/retentionSettings/reset"},
		{"GET", "/api/v1/settings/dateTime"},
		{"POST", "/api/v1/settings/dateTime"},
		{"GET", "/api/v1/settings/dateTime/timeZones"},
		{"POST", "/api/v1/settings/dateTime/setDefault"},
		{"GET", "/api/v1/settings/dateTime/getDefault"},
		{"GET", "/api/v1/licenseAgreement"},
		{"GET", "/api/v1/licenseAgreement/accepted"},
		{"POST", "/api/v1/licenseAgreement/accept"},
		{"GET", "/api/v1/licenseAgreement/download"},
		{"POST", "/api/v1/test"},
		{"POST", "/api/v1/licensing/license"},
		{"POST", "/api/v1/accounts/amazon/export"},
		{"POST", "/api/v1/accounts/standard/export"},
		{"POST", "/api/v1/accounts/standard/validateName"},
		{"POST", "/api/v1/repositories/export"},
		{"POST", "/api/v1/sessions/export"},
		{"GET", "/api/v1/sessions/{retentionSessionId}/deletedItems"},
		{"POST", "/api/v1/virtualMachines/export"},
		{"POST", "/api/v1/virtualMachines/{virtualMachineId}/takeSnapshot"},
		{"POST", "/api/v1/virtualMachines/{virtualMachineId}/deleteSnapshots"},
		{"POST", "/api/v1/virtualMachines/{virtualMachineId}/deleteBackups"},
		{"POST", "/api/v1/licensing/license/export"},
		{"GET", "/api/v1/licensing/alerts"},
		{"POST", "/api/v1/licensing/alerts/resolve"},
		{"GET", "/api/v1/system/logs"},
		{"GET", "/api/v1/system/time"},
		{"GET", "/api/v1/system/version/productId"},
		{"GET", "/api/v1/amazonConnections/{amazonConnectionId}/rdsSubnetGroups"},
		{"GET", "/api/v1/amazonConnections/{amazonConnectionId}/rdsSecurityGroups"},
		{"GET", "/api/v1/amazonConnections/{amazonConnectionId}/rdsLicense"},
		{"GET", "/api/v1/amazonConnections/{amazonConnectionId}/rdsInstanceClasses"},
		{"GET", "/api/v1/amazonConnections/{amazonConnectionId}/cloudRouteTables"},
		{"GET", "/api/v1/backupVaults"},
	}
	count := 0
	for _, item := range doc.Paths.Map() {
		count += len(item.Operations())
	}
	assert.Equal(t, len(want), count, "no operation beyond the documented ones")
	for _, w := range want {
		item := doc.Paths.Find(w[1])
		require.NotNil(t, item, w[1])
		op := item.GetOperation(w[0])
		require.NotNil(t, op, "%s %s", w[0], w[1])
		var version *openapi3.Parameter
		for _, p := range append(item.Parameters, op.Parameters...) {
			if p.Value.Name == "x-api-version" {
				version = p.Value
			}
		}
		require.NotNil(t, version, "%s %s lacks x-api-version", w[0], w[1])
		assert.True(t, version.Required)
		assert.Equal(t, "1.7-rev0", version.Schema.Value.Default)
	}

	list := doc.Paths.Find("/api/v1/organizations/amazon").Get
	names := map[string]bool{}
	for _, p := range list.Parameters {
		names[p.Value.Name] = true
	}
	for _, n := range []string{"SearchPattern", "Offset", "Limit", "Sort"} {
		assert.True(t, names[n], "list lacks %s", n)
	}
	sort := list.Parameters.GetByInAndName("query", "Sort").Schema.Value.Items.Value
	assert.Len(t, sort.Enum, 10)

	export := doc.Paths.Find("/api/v1/organizations/amazon/export").Post.Responses.Status(200).Value
	assert.Contains(t, export.Content, "text/csv")
	assert.Contains(t, export.Content, "application/xml")

	errSchema := doc.Components.Schemas["Error"].Value
	for _, f := range []string{"errorCode", "message", "type", "title", "status", "details", "instance", "resourceId", "data"} {
		assert.Contains(t, errSchema.Properties, f)
	}
	grant := doc.Components.Schemas["GrantType"].Value
	assert.ElementsMatch(t, []any{"password", "refresh_token", "authorization_code", "mfa"}, grant.Enum)
	token := doc.Paths.Find("/api/v1/token").Post.Responses
	assert.NotNil(t, token.Status(202), "MFA challenge")
}
