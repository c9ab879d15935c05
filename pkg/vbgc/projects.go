package vbgc

import "github.com/backupsdk/backupsdk/gen/vbgcapi"

// The checks of the request bodies the generated methods of
// ProjectsService call before sending (x-backupsdk-check).

func checkProjectAdd(spec vbgcapi.ProjectSpec) error {
	if err := required("project ID", spec.ProjectID); err != nil {
		return err
	}
	return accounts(len(spec.ServiceAccountIDs))
}

func checkProjectUpdate(_ string, spec vbgcapi.ProjectUpdateSpec) error {
	return accounts(len(spec.ServiceAccountIDs))
}

func checkAddExistingHMACKey(_, _ string, spec vbgcapi.ProjectHmacKeyAddExistingSpec) error {
	if err := required("HMAC key access ID", spec.AccessID); err != nil {
		return err
	}
	return required("HMAC key secret", spec.Secret)
}

func checkProjectPermissionsScript(spec vbgcapi.DownloadServiceAccountScriptSpec) error {
	return required("service account ID", spec.ServiceAccountID)
}
