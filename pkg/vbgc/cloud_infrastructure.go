package vbgc

import (
	"errors"
	"fmt"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
)

// The checks of the request bodies the generated methods of
// CloudInfrastructureService call before sending (x-backupsdk-check):
// what the spec requires of a body and the appliance would refuse anyway,
// refused here with a message that says which member is wrong. Path
// parameters are checked by the generated code.

func checkAddFolder(spec vbgcapi.CloudInfrastructureFolderSpec) error {
	if err := folderID(spec.FolderID); err != nil {
		return err
	}
	return accounts(len(spec.Accounts))
}

func checkSetFolderPermissions(_ string, spec vbgcapi.CloudInfrastructureObjectAccessSpec) error {
	return accounts(len(spec.Accounts))
}

func checkAddProject(spec vbgcapi.CloudInfrastructureProjectSpec) error {
	if err := required("project ID", spec.ProjectID); err != nil {
		return err
	}
	return accounts(len(spec.Accounts))
}

func checkSetProjectPermissions(_ string, spec vbgcapi.CloudInfrastructureObjectAccessSpec) error {
	return accounts(len(spec.Accounts))
}

func checkFolderPermissionsScript(spec vbgcapi.DownloadServiceAccountScriptSpec) error {
	if err := required("service account ID", spec.ServiceAccountID); err != nil {
		return err
	}
	if spec.FolderID != nil {
		return folderID(*spec.FolderID)
	}
	return nil
}

// errNoAccounts refuses a spec without service accounts, which the API
// requires (at least one).
var errNoAccounts = errors.New("vbgc: at least one service account is required")

func accounts(n int) error {
	if n == 0 {
		return errNoAccounts
	}
	return nil
}

// required refuses an empty required string member of a body.
func required(what, v string) error {
	if v == "" {
		return fmt.Errorf("vbgc: %s must not be empty", what)
	}
	return nil
}

// folderID refuses a folder ID that is not the numeric Google Cloud ID the
// API requires.
func folderID(id string) error {
	if id == "" {
		return errors.New("vbgc: folder ID must not be empty")
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return fmt.Errorf("vbgc: folder ID %q is not a numeric Google Cloud folder ID", id)
		}
	}
	return nil
}
