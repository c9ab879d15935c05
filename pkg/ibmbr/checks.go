package ibmbr

import (
	"errors"
	"fmt"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
)

// The checks of this file run before anything is sent (the spec names them
// with x-backupsdk-check): each takes the arguments of its method after
// ctx, and refuses a request the service would refuse, or could not make
// sense of, with an error that says what is wrong. The protection group
// checks are in protection_groups.go.

func checkUpgradeTask(t ibmbrapi.CreateUpgradeTaskRequest) error {
	if len(t.AgentIDs) == 0 && t.RetryTaskID == nil {
		return errors.New("ibmbr: an upgrade task needs agent ids or a task to retry")
	}
	return nil
}

func checkAgentDownload(r ibmbrapi.DownloadAgentRequest) error {
	if r.Platform == "" {
		return errors.New("ibmbr: an agent download needs a platform")
	}
	return nil
}

// errNoConnectionName is returned, before any request, for a connection
// without a name.
var errNoConnectionName = errors.New("ibmbr: empty connection name")

func checkCreateConnection(c ibmbrapi.DataSourceConnectionCreateParams) error {
	if c.ConnectionName == "" {
		return errNoConnectionName
	}
	if c.ConnectionEnvType != nil && !c.ConnectionEnvType.Valid() {
		return fmt.Errorf("ibmbr: invalid connection environment type %q", *c.ConnectionEnvType)
	}
	return nil
}

func checkPatchConnection(_ string, p ibmbrapi.DataSourceConnectionPatchParams) error {
	if p.ConnectionName == "" {
		return errNoConnectionName
	}
	return nil
}

func checkPatchConnector(_ string, p ibmbrapi.DataSourceConnectorPatchParams) error {
	if p.ConnectorName != nil && *p.ConnectorName == "" {
		return errors.New("ibmbr: empty connector name")
	}
	return nil
}

func checkRecovery(r ibmbrapi.CreateRecoveryRequest, _ *CreateRecoveryOptions) error {
	if r.Name == "" {
		return errors.New("ibmbr: a recovery needs a name")
	}
	if r.SnapshotEnvironment == "" {
		return errors.New("ibmbr: a recovery needs a snapshot environment")
	}
	return nil
}

func checkDownloadRecovery(r ibmbrapi.DownloadFilesAndFoldersRequestParams) error {
	switch {
	case r.Name == "":
		return errors.New("ibmbr: a recovery needs a name")
	case r.Object.SnapshotID == "":
		return errors.New("ibmbr: a files and folders download needs the snapshot id of its object")
	case len(r.FilesAndFolders) == 0:
		return errors.New("ibmbr: a files and folders download needs at least one file or folder")
	}
	return nil
}

func checkRecoveryDownload(_ string, opts *DownloadRecoveryFilesOptions) error {
	if opts == nil {
		return nil
	}
	return checkRange(opts.StartOffset, opts.Length)
}

func checkFileDownload(_ string, opts *DownloadIndexedFileOptions) error {
	if opts == nil {
		return nil
	}
	return checkRange(opts.StartOffset, opts.Length)
}

// checkRange refuses a negative byte range of a download.
func checkRange(offset, length int64) error {
	if offset < 0 {
		return errors.New("ibmbr: negative download start offset")
	}
	if length < 0 {
		return errors.New("ibmbr: negative download length")
	}
	return nil
}

// errPageSize refuses a search page size below 1.
var errPageSize = errors.New("ibmbr: search page size (Count) must be at least 1")

func checkSearchObjects(opts *SearchObjectsOptions) error {
	if opts != nil && opts.Count < 0 {
		return errPageSize
	}
	return nil
}

func checkIndexedSearch(r ibmbrapi.SearchIndexedObjectsRequest) error {
	if r.ObjectType == "" {
		return errors.New("ibmbr: an indexed object search needs an object type")
	}
	if r.Count != nil && *r.Count < 1 {
		return errPageSize
	}
	return nil
}

func checkRestorePoints(r ibmbrapi.GetRestorePointsInTimeRangeParamsBody) error {
	switch {
	case r.Environment == "":
		return errors.New("ibmbr: restore points need an environment")
	case len(r.ProtectionGroupIDs) == 0:
		return errors.New("ibmbr: restore points need at least one protection group id")
	case r.EndTimeUsecs < r.StartTimeUsecs:
		return errors.New("ibmbr: restore points: the time range ends before it starts")
	}
	return nil
}

func checkListSources(opts *ListSourceRegistrationsOptions) error {
	if opts != nil && opts.IncludeSourceCredentials != nil && *opts.IncludeSourceCredentials && opts.EncryptionKey == "" {
		return errors.New("ibmbr: IncludeSourceCredentials needs an EncryptionKey")
	}
	return nil
}

// sourceEnvironment is the environment enum of the three source
// registration requests.
type sourceEnvironment interface {
	~string
	Valid() bool
}

func checkEnvironment[E sourceEnvironment](env E) error {
	if !env.Valid() {
		return fmt.Errorf("ibmbr: invalid source environment %q", env)
	}
	return nil
}

func checkRegisterSource(r ibmbrapi.SourceRegistrationRequestParams) error {
	return checkEnvironment(r.Environment)
}

func checkUpdateSource(_ int64, r ibmbrapi.SourceRegistrationUpdateRequestParams) error {
	return checkEnvironment(r.Environment)
}

func checkPatchSource(_ int64, r ibmbrapi.SourceRegistrationPatchRequestParams) error {
	return checkEnvironment(r.Environment)
}
